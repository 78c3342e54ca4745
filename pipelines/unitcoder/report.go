package main

import (
	"context"
	"fmt"
	"os"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/report"
)

func init() {
	register(command{
		name:     "report",
		synopsis: "render a run's HTML report and dataset card",
		description: `Reads a finished extract or synthesize run directory (stats.json, data/,
rejected/) and writes
  OUTPUT (default RUN/report.html)  one self-contained HTML file, no network
                                    needed: funnel, pass rate by fix round,
                                    reject reasons, coverage, libraries and
                                    APIs, tokens and time per stage, sample
                                    records with tests and attempt history
  RUN/README.md                     the dataset card (--card=false to skip)
extract and synthesize write both at the end of a run; this command
re-renders them, e.g. for a run made by an older binary.`,
		defineFlags: reportFlags,
	})
}

func reportFlags(fs *flagSet) func(context.Context) error {
	run := fs.String("run", "", "run directory, local or gs:// (required)")
	output := fs.String("output", "", "report file (default RUN/report.html)")
	card := fs.Bool("card", true, "also write the dataset card RUN/README.md")
	samples := fs.Int("samples", 50, "sample records shown with their tests and history")
	return func(ctx context.Context) error {
		if *run == "" {
			return fmt.Errorf("--run is required")
		}
		out := *output
		if out == "" {
			out = dataset.JoinPath(*run, report.ReportFile)
		}
		r, err := report.Load(ctx, *run, report.Options{Samples: *samples})
		if err != nil {
			return err
		}
		if err := report.WriteReport(ctx, r, out); err != nil {
			return err
		}
		fmt.Fprintf(os.Stdout, "report: %s\n", out)
		if *card {
			if err := report.WriteCard(ctx, r); err != nil {
				return err
			}
			fmt.Fprintf(os.Stdout, "card:   %s\n", dataset.JoinPath(*run, report.CardFile))
		}
		return nil
	}
}

// writeRunDocs writes the report and the dataset card of a run that has
// just finished.
func writeRunDocs(ctx context.Context, dir string) error {
	r, err := report.Load(ctx, dir, report.Options{})
	if err != nil {
		return fmt.Errorf("dataset card: %w", err)
	}
	if err := report.WriteCard(ctx, r); err != nil {
		return err
	}
	return report.WriteReport(ctx, r, dataset.JoinPath(dir, report.ReportFile))
}

// commandLine is the command as the user typed it: main removed the
// subcommand from os.Args before parsing flags.
func commandLine(name string) []string {
	return append([]string{"unitcoder", name}, os.Args[1:]...)
}
