// Package pipelines holds unitcoder's pipeline graphs, one function per
// pipeline, each reading top to bottom as the stages of the UnitCoder method:
//
//	Verify:     rows {id, code, test} -> sandbox -> result rows
//	Extract:    corpus -> functions -> filter -> dedup -> decontaminate -> shards
//	Synthesize: functions -> tests -> verify -> fix rounds -> refine -> records
//
// The graphs only wire stages together; the stages themselves live in
// transforms/ and io/, and the accounting after a run (stats.json) in
// runstats. The unitcoder binary (pipelines/unitcoder) parses flags,
// builds one of these graphs and runs it on the runner that --runner
// selects (prism by default).
package pipelines
