package progress

import (
	"bytes"
	"context"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestView(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tests := []struct {
		name   string
		counts map[string]int64
		first  map[string]time.Time
		only   []string
		want   []Line
	}{
		{"nothing started", map[string]int64{}, nil, nil, nil},
		{"extract", map[string]int64{Read: 100, Extracted: 80, Kept: 30}, nil, []string{"read", "extracted", "kept", "written", "rejected"}, []Line{
			{Label: "read", Count: 100, Rate: 10}, {Label: "extracted", Count: 80, Rate: 8}, {Label: "kept", Count: 30, Rate: 3}}},
		{"synthesis with fix rounds and ETA", map[string]int64{Kept: 40, Selected: 30, TestsGenerated: 20, VerifiedRound + "0": 10,
			PassedRound + "0": 4, PassedRound + "2": 1, PassedRound + "1": 2, Refined: 0},
			map[string]time.Time{TestsGenerated: t0.Add(5 * time.Second)}, nil, []Line{
				{Label: "kept", Count: 40, Rate: 4},
				{Label: "tests", Count: 20, Of: 30, Rate: 4, ETA: 3 * time.Second},
				{Label: "verified", Count: 10, Of: 20, Rate: 1, ETA: 10 * time.Second},
				{Label: "fixed r1", Count: 2, Rate: 0.2}, {Label: "fixed r2", Count: 1, Rate: 0.1},
				{Label: "refined", Of: 7}}},
		{"input bytes with ETA", map[string]int64{InputBytes: 1000, InputBytesRead: 400, Read: 40}, nil, nil, []Line{
			{Label: "input", Bytes: true, Count: 400, Of: 1000, Rate: 40, ETA: 15 * time.Second}, {Label: "read", Count: 40, Rate: 4}}},
		{"input total known, nothing read yet", map[string]int64{InputBytes: 1000}, nil, nil, []Line{
			{Label: "input", Bytes: true, Of: 1000}}},
		{"writes", map[string]int64{WrittenPrefix + "data": 5, WrittenPrefix + "rejected": 7}, nil, nil, []Line{
			{Label: "written", Count: 5, Rate: 0.5}, {Label: "rejected", Count: 7, Rate: 0.7}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tracks := map[string]track{}
			for k, v := range tc.first {
				tracks[k] = track{first: v}
			}
			// The reporter started at t0; "now" is t0+10s.
			got := view(tc.counts, tracks, t0, t0.Add(10*time.Second), tc.only)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("view =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestLineString(t *testing.T) {
	for _, tc := range []struct {
		line Line
		want string
	}{
		{Line{Label: "tests", Count: 120, Of: 319, Rate: 4, ETA: 50 * time.Second}, "tests 120/319 (4.0/s, ETA 50s)"},
		{Line{Label: "read", Count: 7}, "read 7"},
		// Bytes share the unit of the larger figure; the rate has its own.
		{Line{Label: "input", Bytes: true, Count: 3 << 20, Of: 11<<20 + 600<<10, Rate: 2 << 20, ETA: 4 * time.Second},
			"input 3.0/11.6 MiB (2.0 MiB/s, ETA 4s)"},
		{Line{Label: "input", Bytes: true, Count: 512 << 10, Of: 3 << 30, Rate: 900 << 10, ETA: time.Hour},
			"input 0.0/3.0 GiB (900.0 KiB/s, ETA 1h0m0s)"},
		{Line{Label: "input", Bytes: true, Count: 1536, Of: 1536}, "input 1.5/1.5 KiB"},
	} {
		if got := tc.line.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the reporter's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogMode is the non-terminal mode: a writer that is not a TTY gets
// periodic plain lines with the counts since Start, then a final line.
func TestLogMode(t *testing.T) {
	Add(Read, 1000) // before Start: not part of this run
	var out syncBuffer
	stop, err := Start(context.Background(), Options{Mode: ModeAuto, Interval: 20 * time.Millisecond, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	Add(Read, 12)
	Add(Extracted, 30)
	Add(Kept, 9)
	Add(Selected, 9)
	Add(TestsGenerated, 3)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "tests 3/9") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	Add(TestsGenerated, 6)
	stop()
	stop() // idempotent
	text := out.String()
	for _, want := range []string{"progress ", "read 12", "extracted 30", "kept 9", "tests 3/9", "progress done ", "tests 9/9 ("} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Errorf("log mode wrote terminal escapes:\n%q", text)
	}
	last := strings.Split(strings.TrimSpace(text), "\n")
	if !strings.HasPrefix(last[len(last)-1], "progress done") {
		t.Errorf("last line %q is not the final summary", last[len(last)-1])
	}
}

func TestBarsModeFinishes(t *testing.T) {
	var out syncBuffer
	stop, err := Start(context.Background(), Options{Mode: ModeBars, Interval: 10 * time.Millisecond, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	Add(Read, 5)
	time.Sleep(50 * time.Millisecond)
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("bars did not finish after stop")
	}
	// A bar line: label, the bar, the count, the rate ("read [===] 5  498.5/s").
	if text := out.String(); !regexp.MustCompile(`(?m)^read +\[=+\] 5 +[0-9.]+/s$`).MatchString(text) {
		t.Errorf("bars output lacks a full read bar with count 5 and a rate:\n%q", text)
	}
}

// TestNotesShowWhileTheyLast: a note (an LLM endpoint paused, say) is
// printed with the counts in both modes while the Notes function returns
// it, and is gone once it stops.
func TestNotesShowWhileTheyLast(t *testing.T) {
	for _, mode := range []string{ModeLog, ModeBars} {
		var paused atomic.Bool
		paused.Store(true)
		notes := func(time.Time) []string {
			if paused.Load() {
				return []string{"LLM paused: http://x/v1, giving up in 4m0s"}
			}
			return nil
		}
		var out syncBuffer
		stop, err := Start(context.Background(), Options{Mode: mode, Interval: 10 * time.Millisecond, Out: &out, Notes: notes})
		if err != nil {
			t.Fatal(err)
		}
		Add(Read, 1)
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(out.String(), "LLM paused") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		paused.Store(false)
		stop()
		text := out.String()
		if !strings.Contains(text, "LLM paused: http://x/v1, giving up in 4m0s") {
			t.Errorf("%s mode: the note was never shown:\n%q", mode, text)
		}
		if mode == ModeLog {
			lines := strings.Split(strings.TrimSpace(text), "\n")
			if last := lines[len(lines)-1]; strings.Contains(last, "LLM paused") {
				t.Errorf("log mode: the final line still shows the note after it ended: %q", last)
			}
		}
	}
}

func TestModes(t *testing.T) {
	if _, err := Start(context.Background(), Options{Mode: "loud"}); err == nil {
		t.Error("unknown mode accepted")
	}
	var out syncBuffer
	stop, err := Start(context.Background(), Options{Mode: ModeOff, Interval: time.Millisecond, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	Add(Read, 1)
	time.Sleep(20 * time.Millisecond)
	stop()
	if out.String() != "" {
		t.Errorf("off mode wrote %q", out.String())
	}
}

func BenchmarkAdd(b *testing.B) {
	c := Get("bench")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Add(1)
		}
	})
}

// TestRateFreezesWhenDone: a finished stage keeps the rate it ran at
// instead of decaying while later stages work.
func TestRateFreezesWhenDone(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tracks := map[string]track{}
	view(map[string]int64{Read: 0}, tracks, t0, t0, nil)
	view(map[string]int64{Read: 50}, tracks, t0, t0.Add(5*time.Second), nil)
	a := view(map[string]int64{Read: 50}, tracks, t0, t0.Add(60*time.Second), nil)
	if len(a) != 1 || a[0].Rate != 10 {
		t.Errorf("rate after the stage finished = %+v, want 10/s", a)
	}
}

// TestRateUsesSamplesBetweenLines: with a log interval far longer than
// the run, the final line's rate still reflects when the stage finished
// (the reporter samples every 100ms): 100 rows read at once, then a 1s
// wait, must not read as 100 rows per second.
func TestRateUsesSamplesBetweenLines(t *testing.T) {
	var out syncBuffer
	stop, err := Start(context.Background(), Options{Mode: ModeLog, Interval: time.Hour, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	Add(Read, 100)
	time.Sleep(time.Second)
	stop()
	m := regexp.MustCompile(`read 100 \(([0-9.]+)/s\)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no read line with a rate in %q", out.String())
	}
	// Seen at the first sample (~0.1s): ~1000/s. Seen only at the end: 100/s.
	if rate, _ := strconv.ParseFloat(m[1], 64); rate < 200 {
		t.Errorf("read rate %.1f/s: the finish was seen only at the final line, not at a sample", rate)
	}
	if n := strings.Count(out.String(), "\n"); n != 1 {
		t.Errorf("want only the final line with a 1h interval, got %d lines:\n%s", n, out.String())
	}
}
