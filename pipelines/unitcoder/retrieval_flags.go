package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/pyast/filter"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/decontam"
	"github.com/unitcoder/unitcoder/transforms/dedup"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
)

// retrievalFlags defines the flags of package-based retrieval, shared by
// extract and synthesize, and returns a function building its Params.
func retrievalFlags(fs *flagSet) func() (retrieval.Params, error) {
	def := corpus.DefaultFields()
	input := fs.String("input", "", "corpus files: a path or glob, local or gs:// (JSONL, .jsonl.gz, .jsonl.zst or Parquet)")
	content := fs.String("content_field", def.Content, "corpus column holding the source code")
	id := fs.String("id_field", def.ID, "corpus column holding a row id (empty: a stable id from path + content hash)")
	path := fs.String("path_field", def.Path, "corpus column(s) holding the file path, comma-separated alternatives")
	repo := fs.String("repo_field", def.Repo, "corpus column(s) holding the repository name")
	license := fs.String("license_field", def.License, "corpus column(s) holding the license (string or list)")
	imports := fs.String("imports_field", def.Imports, "corpus column holding extra import lines (UnitCoder's import_code)")
	maxFile := fs.Int("max_file_bytes", extract.DefaultOptions().MaxBytes, "reject source files larger than this")
	useFilter := fs.Bool("filter", true, "apply the retrieval filter (false: keep every extracted function, for already-retrieved input such as UnitCoder's stage-1 rows)")
	libraries := fs.String("libraries", "", "target library list, one import name per line (default: BigCodeBench's 139)")
	minLines := fs.Int("min_lines", 0, "reject functions shorter than this many lines (0: default)")
	maxLines := fs.Int("max_lines", 0, "reject functions longer than this many lines (0: default)")
	maxClosure := fs.Int("max_closure_lines", filter.DefaultMaxClosureLines, "reject functions whose same-file dependency closure (helpers, constants, classes) exceeds this many lines (-1: no bound)")
	checkImports := fs.Bool("check_imports", true, "reject functions whose imports are relative or missing from the sandbox's Python before any LLM call (the module list is read once from /usr/bin/python3 and cached)")
	threshold := fs.Float64("near_dup_threshold", dedup.DefaultThreshold, "estimated Jaccard similarity at which near-duplicates are rejected")
	bench := fs.String("decontaminate", "", "comma-separated benchmark JSONL(.gz) files (HumanEval, MBPP, BigCodeBench) to decontaminate against")
	ngram := fs.Int("ngram", decontam.DefaultN, "n-gram length (code tokens) for decontamination")
	spread := fs.String("spread_docs", "auto", "reshuffle corpus rows after reading so one large file is extracted on many workers: true, false, or auto (true on distributed runners; false on the local runner, where the runner would hold the whole corpus in memory)")
	return func() (retrieval.Params, error) {
		fields := corpus.Fields{Content: *content, ID: *id, Path: *path, Repo: *repo, License: *license, Imports: *imports}
		var paths []string
		for _, p := range strings.Split(*bench, ",") {
			if p = strings.TrimSpace(p); p != "" {
				paths = append(paths, p)
			}
		}
		spreadDocs, err := autoBool("spread_docs", *spread, !runsInProcess())
		if err != nil {
			return retrieval.Params{}, err
		}
		var modules []string
		if *checkImports {
			var err error
			if modules, err = sandbox.InstalledModules(context.Background(), ""); err != nil {
				return retrieval.Params{}, fmt.Errorf("--check_imports: %w", err)
			}
		}
		return retrieval.Params{
			Input:         *input,
			Fields:        fields,
			Extract:       extract.Options{MaxBytes: *maxFile},
			Filter:        retrieval.FilterParams{LibrariesFile: *libraries, MinLines: *minLines, MaxLines: *maxLines, MaxClosureLines: *maxClosure},
			SkipFilter:    !*useFilter,
			Dedup:         dedup.Params{Threshold: *threshold},
			Decontaminate: decontam.Params{Paths: paths, N: *ngram},
			Modules:       modules,
			SpreadDocs:    spreadDocs,
		}, nil
	}
}

// autoBool reads a true/false/auto flag; auto is def.
func autoBool(name, v string, def bool) (bool, error) {
	switch strings.ToLower(v) {
	case "auto", "":
		return def, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("--%s=%q: want true, false or auto", name, v)
}
