// Package report turns a finished run directory into what a person reads:
// an HTML run report and a dataset card.
//
// In: a run directory written by `unitcoder extract` or `unitcoder
// synthesize` (stats.json, data/part-*.jsonl.zst, rejected/part-*.jsonl.zst),
// local or gs://. Load reads stats.json and the shards back once and
// aggregates them (libraries, APIs, coverage, licenses, sample rows).
//
// Out:
//   - Render/WriteReport: one self-contained HTML file (inline CSS, inline
//     SVG charts drawn here, a few lines of inline JS for filtering the
//     sample table; nothing is fetched, so it works offline): the funnel,
//     pass rate by fix round, reject reasons, a coverage histogram, the
//     library and API distribution of accepted rows, tokens and time per
//     stage, and sample records with their tests and attempt history.
//     Sections whose data a run does not have (an extract run has no
//     tests, rounds or coverage) say so instead of drawing an empty chart.
//   - Card/WriteCard: README.md with Hugging Face datasets YAML front
//     matter (configs "default" → data/*.jsonl.zst and "rejected" →
//     rejected/*.jsonl.zst, and dataset_info.features derived from the Go
//     row types), provenance and aggregated licenses, the exact command
//     line and parameters, and the stats. The card holds no timestamps, so
//     the same run always produces the same bytes.
//
// Rejected: a run directory without stats.json, one whose stats.json says
// the run stopped before it finished (incomplete), or one with an
// unreadable shard, is an error naming the file; rows that do not decode are counted
// (Run.BadRows) and shown, never fatal.
//
// Tuning: Options.Samples bounds the sample table (default 50),
// Options.Top the bars in the library and API charts (default 20).
package report
