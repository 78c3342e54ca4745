// Package retrieval is the UnitCoder method's first stage, package-based
// retrieval, as one composite transform:
//
//	corpus files -> Reshuffle (file names) -> rows (FileDoc)
//	[-> Reshuffle, Params.SpreadDocs] -> top-level functions, each with
//	its program (imports + same-file dependency closure + code)
//	-> retrieval filter -> import check -> exact + near dedup
//	-> decontamination
//
// Everything before dedup depends on one file at a time ([Candidates]),
// so the local runner can take a corpus in waves of files and resolve
// dedup and decontamination across them afterwards (pipelines.MergeWaves).
//
// In: a corpus glob (JSONL, optionally .gz/.zst, or Parquet; local or
// gs://). Out: PCollection<sample.Function> kept, and
// PCollection<sample.Rejected> for every corpus row (Unit "file", stages
// read and extract) and every function (Unit "function", stages filter,
// load, dedup, decontaminate) that was dropped, with a reason. The import
// check (stage load) rejects programs with relative imports
// (relative_import) or imports the sandbox's Python lacks
// (env:missing_module:NAME), so no LLM call is paid for them.
//
// Counters (namespace/name) make conservation checkable from metrics:
// read/rows_emitted + read/rows_rejected is the number of files in;
// extract/files_parsed + file rejects is the same number; and
// extract/functions_found is kept + function rejects.
//
// Flags: --input, the --*_field mappings, --libraries, --min_lines,
// --max_lines, --max_closure_lines, --check_imports, --near_dup_threshold,
// --decontaminate, --ngram.
package retrieval
