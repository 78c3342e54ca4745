package retrieval

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/pyast/filter"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

func init() {
	register.DoFn4x0[context.Context, sample.FileDoc, func(sample.Function), func(sample.Rejected)](&extractFn{})
	register.DoFn4x1[context.Context, sample.Function, func(sample.Function), func(sample.Rejected), error](&filterFn{})
	register.Emitter1[sample.Function]()
}

var (
	filesParsed    = runstats.FilesParsed.Beam()
	functionsFound = runstats.FunctionsFound.Beam()
	functionsKept  = beam.NewCounter("filter", "kept")
	closureRescued = runstats.ClosureRescued.Beam()
)

// Extract parses each file and emits its top-level functions; files that
// cannot be parsed become rejects.
func Extract(s beam.Scope, docs beam.PCollection, o extract.Options) (functions, rejected beam.PCollection) {
	s = s.Scope("Extract")
	return beam.ParDo2(s, &extractFn{Options: o}, docs)
}

type extractFn struct {
	Options extract.Options `json:"options"`
}

func (fn *extractFn) ProcessElement(ctx context.Context, doc sample.FileDoc, emit func(sample.Function), reject func(sample.Rejected)) {
	funcs, rejects := extract.Extract(doc, fn.Options)
	fileRejected := false
	for _, r := range rejects {
		if r.Unit == sample.UnitFile {
			fileRejected = true
		} else {
			functionsFound.Inc(ctx, 1)
			progress.Add(progress.Extracted, 1)
		}
		reject(r)
	}
	if !fileRejected {
		filesParsed.Inc(ctx, 1)
	}
	functionsFound.Inc(ctx, int64(len(funcs)))
	progress.Add(progress.Extracted, int64(len(funcs)))
	for _, f := range funcs {
		emit(f)
	}
}

// FilterParams are the retrieval filter's settings; they travel to workers.
type FilterParams struct {
	// LibrariesFile overrides the embedded BigCodeBench list ("": embedded).
	LibrariesFile string `json:"libraries_file,omitempty"`
	// MinLines and MaxLines bound a function's length (0: the defaults).
	MinLines int `json:"min_lines,omitempty"`
	MaxLines int `json:"max_lines,omitempty"`
	// MaxClosureLines bounds a function's dependency closure (0: the
	// default; negative: no bound).
	MaxClosureLines int `json:"max_closure_lines,omitempty"`
}

// Rules builds the filter rules these parameters select.
func (p FilterParams) Rules() (filter.Rules, error) {
	r := filter.DefaultRules()
	if p.LibrariesFile != "" {
		libs, err := filter.LoadLibraries(p.LibrariesFile)
		if err != nil {
			return r, err
		}
		r.Libraries = libs
	}
	if p.MinLines > 0 {
		r.MinLines = p.MinLines
	}
	if p.MaxLines > 0 {
		r.MaxLines = p.MaxLines
	}
	switch {
	case p.MaxClosureLines > 0:
		r.MaxClosureLines = p.MaxClosureLines
	case p.MaxClosureLines < 0:
		r.MaxClosureLines = 0
	}
	return r, nil
}

// Filter keeps functions that call a target library and pass the quality
// rules; the others become rejects with the failing rule's reason.
func Filter(s beam.Scope, functions beam.PCollection, p FilterParams) (kept, rejected beam.PCollection) {
	s = s.Scope("Filter")
	if _, err := p.Rules(); err != nil {
		panic(err) // fail at construction, before any work
	}
	return beam.ParDo2(s, &filterFn{Params: p}, functions)
}

type filterFn struct {
	Params FilterParams `json:"params"`
	rules  filter.Rules
}

func (fn *filterFn) Setup() error {
	var err error
	fn.rules, err = fn.Params.Rules()
	return err
}

func (fn *filterFn) ProcessElement(ctx context.Context, f sample.Function, emit func(sample.Function), reject func(sample.Rejected)) error {
	if reason, ok := filter.Check(f, fn.rules); !ok {
		detail := ""
		if reason == filter.ReasonClosureTooLarge {
			detail = fmt.Sprintf("closure of %d lines > %d", f.Shape.ClosureLines, fn.rules.MaxClosureLines)
		}
		reject(sample.RejectFunction(f.ID, sample.StageFilter, reason, detail))
		return nil
	}
	functionsKept.Inc(ctx, 1)
	if len(f.Closure) > 0 {
		closureRescued.Inc(ctx, 1)
	}
	emit(f)
	return nil
}
