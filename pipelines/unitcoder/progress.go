package main

import (
	"context"
	"time"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/transforms/progress"
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

// Stages each command shows.
var (
	extractProgress    = []string{"input", "read", "extracted", "kept", "written", "rejected"}
	synthesizeProgress = []string(nil) // all
)

// start starts the reporter; the returned stop prints its last update.
// When the run reads a corpus (input, a glob), the reporter is told its
// stored size, so that reading shows an ETA.
func (p progressFlags) start(ctx context.Context, stages []string, input string) (stop func(), err error) {
	stop, err = progress.Start(ctx, progress.Options{Mode: *p.mode, Interval: time.Duration(*p.interval), Stages: stages})
	if err != nil || input == "" || *p.mode == progress.ModeOff {
		return stop, err
	}
	// Counted after Start, which takes its baseline then. A pattern that
	// matches nothing fails the run itself, with a clearer error.
	if _, size, err := corpus.TotalSize(ctx, input); err == nil {
		progress.Add(progress.InputBytes, size)
	}
	return stop, nil
}
