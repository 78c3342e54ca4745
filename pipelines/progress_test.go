package pipelines

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
)

// lockedBuffer is a bytes.Buffer the reporter's goroutine can write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runDemoExtract runs extract on the 860 demo functions with the progress
// reporter in the given mode (off: no reporter at all).
func runDemoExtract(tb testing.TB, mode string, interval time.Duration, out io.Writer) {
	tb.Helper()
	stop, err := progress.Start(context.Background(), progress.Options{Mode: mode, Interval: interval, Out: out})
	if err != nil {
		tb.Fatal(err)
	}
	p, s := beam.NewPipelineWithRoot()
	Extract(s, ExtractOptions{Retrieval: retrieval.Params{Input: testfixtures.Stage1Path(tb),
		Fields: corpus.DefaultFields()}, Output: tb.TempDir(), Shards: 2})
	_, err = ptest.RunWithMetrics(p)
	stop()
	if err != nil {
		tb.Fatalf("pipeline: %v", err)
	}
}

// TestProgressCountsExtract runs the extract pipeline on prism with the
// reporter in log mode (its non-terminal mode): prism runs the DoFns in
// this process, so the counters they bump reach the reporter, and its
// last line holds the run's true counts.
func TestProgressCountsExtract(t *testing.T) {
	var out lockedBuffer
	runDemoExtract(t, progress.ModeLog, 50*time.Millisecond, &out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	for _, want := range []string{"progress done", "read 860 ", "extracted 860 ", "kept 319 ", "written 319 ", "rejected 541 "} {
		if !strings.Contains(last, want) {
			t.Errorf("last progress line lacks %q:\n%s", want, out.String())
		}
	}
	if len(lines) < 2 {
		t.Errorf("want periodic lines before the final one, got:\n%s", out.String())
	}
}

// BenchmarkExtractProgress measures what live progress costs: each
// iteration runs the 860-function extract pipeline with the reporter off,
// in log mode and in bars mode (both refreshing every 50ms, far more often
// than their defaults), back to back in rotating order so machine load
// hits all alike. The
// metrics are the medians over iterations of the time ratios log/off and
// bars/off (medians: other processes on the machine make single runs
// noisy).
func BenchmarkExtractProgress(b *testing.B) {
	timed := func(mode string) time.Duration {
		start := time.Now()
		runDemoExtract(b, mode, 50*time.Millisecond, io.Discard)
		return time.Since(start)
	}
	timed(progress.ModeOff) // warm caches and prism
	b.ResetTimer()
	logOff, barsOff, off := progressRatios(b.N, timed)
	b.ReportMetric(logOff, "log/off")
	b.ReportMetric(barsOff, "bars/off")
	b.ReportMetric(off.Seconds(), "s/run-off")
}

// progressRatios runs timed in each progress mode, rounds times, rotating
// the order (a run can pay for the garbage of the one before it, which
// must not always be the same mode). It returns the medians of the
// per-round ratios log/off and bars/off and the mean time with it off.
func progressRatios(rounds int, timed func(mode string) time.Duration) (logOff, barsOff float64, off time.Duration) {
	modes := []string{progress.ModeOff, progress.ModeLog, progress.ModeBars}
	var logRatios, barRatios []float64
	for i := range rounds {
		d := map[string]time.Duration{}
		for k := range modes {
			m := modes[(i+k)%len(modes)]
			d[m] = timed(m)
		}
		off += d[progress.ModeOff]
		logRatios = append(logRatios, float64(d[progress.ModeLog])/float64(d[progress.ModeOff]))
		barRatios = append(barRatios, float64(d[progress.ModeBars])/float64(d[progress.ModeOff]))
	}
	return median(logRatios), median(barRatios), off / time.Duration(max(rounds, 1))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
