package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/progress"
)

// progressFlags are the live-progress flags of the pipeline commands.
type progressFlags struct {
	mode     *string
	interval *durationValue
}

func defineProgress(fs *flagSet) progressFlags {
	return progressFlags{
		mode: fs.String("progress", progress.ModeAuto,
			"live progress on stderr: auto (bars on a terminal, log lines otherwise), bars, log or off; counts only work where DoFns run in this process (prism)"),
		interval: fs.Duration("progress_interval", 0, "time between progress log lines (0: 10s; bars refresh every 200ms)"),
	}
}

// runsInProcess reports whether the chosen runner executes DoFns in this
// process, where progress counters are live: prism (the default) and the
// direct runner, or any portable runner with a LOOPBACK environment.
func runsInProcess() bool {
	runner := ""
	if f := flag.Lookup("runner"); f != nil {
		runner = strings.ToLower(f.Value.String())
	}
	switch runner {
	case "direct":
		return true
	case "", "prism":
		// Prism runs the DoFns here unless told to start workers
		// elsewhere (a DOCKER, PROCESS or EXTERNAL environment).
		return *jobopts.EnvironmentType == "" || jobopts.IsLoopback()
	}
	return jobopts.IsLoopback()
}

// Stages each command shows.
var (
	extractProgress    = []string{"input", "read", "extracted", "kept", "written", "rejected"}
	synthesizeProgress = []string(nil) // all
)

// start starts the reporter; the returned stop prints its last update.
// On a runner whose DoFns run elsewhere the counters never move here, so
// there is no reporter (the runner's own UI shows progress). When the run
// reads a corpus (input, a glob), the reporter is told its stored size,
// listed in the background so that the run does not wait for it.
func (p progressFlags) start(ctx context.Context, stages []string, input string) (stop func(), err error) {
	mode := *p.mode
	if !runsInProcess() {
		mode = progress.ModeOff
	}
	stop, err = progress.Start(ctx, progress.Options{Mode: mode, Interval: time.Duration(*p.interval), Stages: stages,
		Notes: llmPauseNotes})
	if err != nil || input == "" || mode == progress.ModeOff {
		return stop, err
	}
	// Counted after Start, which takes its baseline then. A listing error
	// only leaves the input line without a total; the run reports its own.
	go func() {
		if size, err := dataset.TotalSize(ctx, input); err == nil {
			progress.Add(progress.InputBytes, size)
		}
	}()
	return stop, nil
}

// llmPauseNotes describes each LLM endpoint whose circuit breaker holds
// its calls: since when, the last failure, and the time left before the
// run stops (--llm_outage_timeout).
func llmPauseNotes(now time.Time) []string {
	var notes []string
	for _, o := range llm.Outages() {
		cause := o.LastCause
		if len(cause) > 80 {
			cause = cause[:77] + "..."
		}
		notes = append(notes, fmt.Sprintf("LLM paused: %s failing for %s (%s), stopping the run in %s",
			o.Endpoint, now.Sub(o.Since).Round(time.Second), cause, max(0, o.GivesUpAt.Sub(now)).Round(time.Second)))
	}
	return notes
}
