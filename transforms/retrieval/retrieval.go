package retrieval

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/transforms/decontam"
	"github.com/unitcoder/unitcoder/transforms/dedup"
)

// Params configures retrieval.
type Params struct {
	// Input is the corpus glob.
	Input string
	// Fields maps corpus columns to FileDoc fields.
	Fields corpus.Fields
	// Extract tunes parsing.
	Extract extract.Options
	// Filter selects libraries and quality bounds.
	Filter FilterParams
	// SkipFilter keeps every extracted function, for inputs that were
	// retrieved already (UnitCoder's stage-1 rows). Dedup and
	// decontamination still run.
	SkipFilter bool
	// Dedup tunes near-duplicate detection.
	Dedup dedup.Params
	// Decontaminate names the benchmark files to check against.
	Decontaminate decontam.Params
	// Modules are the top-level modules the sandbox's Python can import
	// (sandbox.InstalledModules). Functions importing others are rejected
	// before dedup; nil checks only for relative imports.
	Modules []string
}

// Retrieve reads the corpus and returns the functions worth testing, and a
// reject for every row or function dropped on the way.
func Retrieve(s beam.Scope, p Params) (functions, rejected beam.PCollection) {
	s = s.Scope("Retrieve")
	docs, readRejects := ReadCorpus(s, p.Input, p.Fields)
	// One corpus file yields many rows; spread them before parsing.
	docs = beam.Reshuffle(s, docs)
	if !p.SkipFilter {
		// Closures only for what the filter could keep (see
		// extract.Options.ClosureLibraries).
		if rules, err := p.Filter.Rules(); err == nil {
			p.Extract.ClosureLibraries, p.Extract.MaxClosureLines = rules.Libraries, rules.MaxClosureLines
		}
	}
	funcs, extractRejects := Extract(s, docs, p.Extract)
	rejects := []beam.PCollection{readRejects, extractRejects}
	kept := funcs
	if !p.SkipFilter {
		var filterRejects beam.PCollection
		kept, filterRejects = Filter(s, funcs, p.Filter)
		rejects = append(rejects, filterRejects)
	}
	// Before dedup, so an unloadable copy never stands in for a loadable one.
	loadable, importRejects := CheckImports(s, kept, p.Modules)
	unique, dedupRejects := dedup.Dedup(s, loadable, p.Dedup)
	clean, decontamRejects := decontam.Decontaminate(s, unique, p.Decontaminate)
	return clean, beam.Flatten(s, append(rejects, importRejects, dedupRejects, decontamRejects)...)
}
