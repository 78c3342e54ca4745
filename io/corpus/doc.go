// Package corpus streams a raw code corpus into sample.FileDoc values, one
// per row, for the extraction stage.
//
// In: corpus files named by Match (comma-separated local paths, globs and
// gs://bucket/glob patterns). Formats: JSON lines (decoded with sonic),
// optionally .gz or .zst compressed (klauspost/compress, streaming), and
// Parquet (parquet-go, read a batch of rows at a time; on gs:// through
// ranged reads, so objects are never downloaded whole). Fields maps
// columns to FileDoc fields and accepts both The Stack v2-style rows
// (content, path, repo_name, license or a detected_licenses list) and
// UnitCoder stage-1 rows (id, content, import_code); columns are chosen
// by the pipeline's field flags.
//
// Out: ReadFile calls emit for each good row and reject for everything
// else, with Rejected{Unit:"file", Stage:"read"} and id "path#line" (row
// number for Parquet) or "path" for the whole file:
//   - invalid_json, missing_content, content_not_string: the row cannot
//     give a source file;
//   - invalid_utf8, binary (NUL bytes), too_large (over Fields.MaxBytes,
//     default 4 MiB; a longer JSONL line is skipped without being held);
//   - truncated_stream: the file ends mid-stream (a cut .gz/.zst); the rows
//     before the cut are emitted, one reject stands for the rest;
//   - unreadable: the file cannot be opened or is not the format its name
//     says (bad gzip header, no Parquet footer).
//
// Nothing is dropped silently and bad input never panics; ReadFile returns
// an error only when its context is cancelled. Unlike Beam's textio this
// reader knows rows rather than lines, so it can account for each one.
//
// Progress: under a context from WithReadProgress, ReadFile reports the
// stored bytes it consumes as it reads; dataset.TotalSize gives the total to
// measure them against (the commands' live "input" line and its ETA).
//
// PackStdlib builds a real test corpus (Debian's Python 3.11 standard
// library) in both formats for tests and benchmarks.
package corpus
