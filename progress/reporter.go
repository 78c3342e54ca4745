package progress

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Modes of the reporter.
const (
	ModeAuto = "auto" // bars on a terminal, log lines otherwise
	ModeBars = "bars"
	ModeLog  = "log"
	ModeOff  = "off"
)

// Options configures Start.
type Options struct {
	// Mode is one of the Mode constants; "" means auto.
	Mode string
	// Interval between log lines or bar updates (0: 10s for log lines,
	// 200ms for bars).
	Interval time.Duration
	// Out is where progress goes (nil: os.Stderr).
	Out io.Writer
	// Stages, when non-empty, limits what is shown to these stage labels
	// (input, read, extracted, kept, tests, verified, fixed, refined,
	// records, written, rejected); e.g. extract shows no synthesis stages.
	Stages []string
	// Notes, when set, is asked at each update for states that no count
	// shows, such as an LLM endpoint paused by its circuit breaker; each
	// note is printed with the counts while it lasts.
	Notes func(now time.Time) []string
}

// Start reports progress until the returned stop function is called (or
// ctx ends); stop prints a last update and returns when output is done.
// Counts are relative to the moment Start was called, so a process that
// runs several pipelines reports each on its own.
func Start(ctx context.Context, o Options) (stop func(), err error) {
	if o.Out == nil {
		o.Out = os.Stderr
	}
	mode := o.Mode
	switch mode {
	case "", ModeAuto:
		mode = ModeLog
		if tty, sized := terminal(o.Out); tty && sized {
			mode = ModeBars
		}
	case ModeBars, ModeLog, ModeOff:
	default:
		return nil, fmt.Errorf("progress mode %q: want auto, bars, log or off", o.Mode)
	}
	if mode == ModeOff {
		return func() {}, nil
	}
	if o.Interval <= 0 {
		o.Interval = 10 * time.Second
		if mode == ModeBars {
			o.Interval = 200 * time.Millisecond
		}
	}
	r := &reporter{base: Snapshot(), start: time.Now(), tracks: map[string]track{}, only: o.Stages}
	var out sink = &logSink{w: o.Out, start: r.start}
	if mode == ModeBars {
		w := o.Out
		if tty, sized := terminal(w); tty && !sized {
			w = plainWriter{w}
		}
		out = newBarSink(w)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Counters are sampled more often than lines are printed, so a
		// stage's rate and the moment it finished are known to within a
		// sample, not to within a (10 s) log interval.
		sample := min(o.Interval, sampleInterval)
		t := time.NewTicker(sample)
		defer t.Stop()
		printed := r.start
		for {
			select {
			case <-ctx.Done():
				now := time.Now()
				out.final(r.lines(now), notes(o.Notes, now))
				return
			case now := <-t.C:
				lines := r.lines(now)
				if now.Sub(printed) >= o.Interval-sample/2 {
					out.update(lines, notes(o.Notes, now))
					printed = now
				}
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); <-done }) }, nil
}

func notes(fn func(time.Time) []string, now time.Time) []string {
	if fn == nil {
		return nil
	}
	return fn(now)
}

// sampleInterval is how often the reporter reads the counters between
// the lines or bar refreshes it prints.
const sampleInterval = 100 * time.Millisecond

type reporter struct {
	base   map[string]int64
	start  time.Time
	tracks map[string]track
	only   []string
}

func (r *reporter) lines(now time.Time) []Line {
	counts := Snapshot()
	for k, v := range r.base {
		counts[k] -= v
	}
	return view(counts, r.tracks, r.start, now, r.only)
}

// sink is where lines go: periodic log lines or live bars.
type sink interface {
	update(lines []Line, notes []string)
	final(lines []Line, notes []string)
}

type logSink struct {
	w     io.Writer
	start time.Time
}

func (s *logSink) update(lines []Line, notes []string) {
	if len(lines) == 0 && len(notes) == 0 {
		return
	}
	s.print("progress", lines, notes)
}

func (s *logSink) final(lines []Line, notes []string) { s.print("progress done", lines, notes) }

func (s *logSink) print(prefix string, lines []Line, notes []string) {
	parts := make([]string, len(lines), len(lines)+len(notes))
	for i, l := range lines {
		parts[i] = l.String()
	}
	parts = append(parts, notes...)
	fmt.Fprintf(s.w, "%s %s: %s\n", prefix, time.Since(s.start).Round(time.Second), strings.Join(parts, " · "))
}

// barSink draws one mpb bar per stage: filled against the upstream count
// where there is one, full otherwise.
type barSink struct {
	p    *mpb.Progress
	bars map[string]*mpb.Bar
	// text is read by mpb's render goroutine while update writes it.
	text map[string]*atomic.Pointer[string]
	n    int
	// note and noteBar show the notes, made when the first one comes.
	note    *atomic.Pointer[string]
	noteBar *mpb.Bar
}

func newBarSink(w io.Writer) *barSink {
	return &barSink{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(80), mpb.WithRefreshRate(150*time.Millisecond),
		// Bars asked for explicitly still draw when w is not a terminal.
		mpb.WithAutoRefresh()),
		bars: map[string]*mpb.Bar{}, text: map[string]*atomic.Pointer[string]{}}
}

// update runs on the reporter's goroutine only.
func (s *barSink) update(lines []Line, notes []string) {
	s.showNotes(notes)
	for _, l := range lines {
		b, ok := s.bars[l.Label]
		if !ok {
			text := &atomic.Pointer[string]{}
			text.Store(new(string))
			s.text[l.Label] = text
			b = s.p.AddBar(0, mpb.BarPriority(s.n),
				mpb.PrependDecorators(decor.Name(l.Label, decor.WC{C: decor.DindentRight | decor.DextraSpace, W: 10})),
				mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return *text.Load() })))
			s.bars[l.Label] = b
			s.n++
		}
		t := countText(l)
		s.text[l.Label].Store(&t)
		total := max(l.Of, l.Count)
		b.SetTotal(total, false)
		b.SetCurrent(l.Count)
	}
}

// showNotes puts the notes on a bar of their own below the stages; it
// stays, empty, once they are gone.
func (s *barSink) showNotes(notes []string) {
	if s.note == nil {
		if len(notes) == 0 {
			return
		}
		s.note = &atomic.Pointer[string]{}
		s.note.Store(new(string))
		text := s.note
		s.noteBar = s.p.AddBar(0, mpb.BarPriority(1<<20), mpb.BarFillerClearOnComplete(),
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return *text.Load() })))
	}
	t := strings.Join(notes, " · ")
	s.note.Store(&t)
}

func (s *barSink) final(lines []Line, notes []string) {
	s.update(lines, notes)
	for _, b := range s.bars {
		b.SetTotal(-1, true)
	}
	if s.noteBar != nil {
		s.noteBar.SetTotal(-1, true)
	}
	s.p.Wait()
}

func countText(l Line) string {
	t := l.counts()
	if st := l.stats(); st != "" {
		t += "  " + st
	}
	return t
}

// plainWriter hides that a writer is a terminal, so that mpb draws on it
// as on a file.
type plainWriter struct{ w io.Writer }

func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }
