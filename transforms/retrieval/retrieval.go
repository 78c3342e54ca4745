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
	// Files, when set, are the corpus files to read instead of Input's
	// (one wave of pipelines.ExtractWaves).
	Files []string
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
	// SpreadDocs reshuffles the corpus rows after reading, so that the rows
	// of one large file are extracted on many workers. The runner then
	// holds every row's content at once: worth it where workers are many
	// and memory is the runner's concern (Dataflow, Flink), not on the
	// local runner, where it multiplied peak memory by seven.
	SpreadDocs bool
	// Modules are the top-level modules the sandbox's Python can import
	// (sandbox.InstalledModules). Functions importing others are rejected
	// before dedup; nil checks only for relative imports.
	Modules []string
}

// Retrieve reads the corpus and returns the functions worth testing, and a
// reject for every row or function dropped on the way.
func Retrieve(s beam.Scope, p Params) (functions, rejected beam.PCollection) {
	s = s.Scope("Retrieve")
	candidates, rejects := Candidates(s, p)
	unique, dedupRejects := dedup.Dedup(s, candidates, p.Dedup)
	clean, decontamRejects := decontam.Decontaminate(s, unique, p.Decontaminate)
	return clean, beam.Flatten(s, rejects, dedupRejects, decontamRejects)
}

// Candidates is retrieval up to dedup: it reads, extracts, filters and
// checks imports, and returns the functions that reach dedup and a reject
// for every row or function dropped on the way. Each function's fate so
// far depends on its own file only, so the corpus can be split into waves
// (pipelines.ExtractWaves) and dedup and decontamination resolved after.
func Candidates(s beam.Scope, p Params) (candidates, rejected beam.PCollection) {
	var docs, readRejects beam.PCollection
	if p.Files != nil {
		docs, readRejects = ReadFiles(s, p.Files, p.Fields)
	} else {
		docs, readRejects = ReadCorpus(s, p.Input, p.Fields)
	}
	if p.SpreadDocs {
		docs = beam.Reshuffle(s, docs)
	}
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
	return loadable, beam.Flatten(s, append(rejects, importRejects)...)
}
