// Package output writes a run's outputs: accepted rows to data/ and every
// reject to rejected/, as deterministic shards, and encodes the elements
// that become those rows (kept functions, training records, sandbox
// results, rejects).
package output

import (
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

func init() {
	register.Function1x2[sample.Function, dataset.Row, error](FunctionRow)
	register.Function1x2[sample.Record, dataset.Row, error](RecordRow)
	register.Function1x2[sandbox.Result, dataset.Row, error](ResultRow)
	register.Function1x2[sample.Rejected, dataset.Row, error](RejectedRow)
	register.Function1x2[sample.NearMiss, dataset.Row, error](nearMissRow)
	// Live progress counts the rows written per output directory.
	dataset.OnRowsWritten(func(dir string, rows int64) { progress.Add(progress.WrittenPrefix+dir, rows) })
}

// Write writes accepted rows (PCollection<dataset.Row>) to dir's data/ and
// rejects (PCollection<sample.Rejected>) to its rejected/, shards files
// each, compressed with compression (dataset.CompressionZstd when empty).
func Write(s beam.Scope, dir string, shards int, compression string, accepted, rejected beam.PCollection) {
	s = s.Scope("Write")
	dataset.WriteShards(s, accepted, dataset.Params{Dir: dataset.JoinPath(dir, runstats.DataDir), Shards: shards, Compression: compression})
	dataset.WriteShards(s, beam.ParDo(s, RejectedRow, rejected),
		dataset.Params{Dir: dataset.JoinPath(dir, runstats.RejectedDir), Shards: shards, Compression: compression})
}

// WriteNearMisses writes near misses (PCollection<sample.NearMiss>) to
// dir's near_miss/, shards files, compressed as Write compresses.
func WriteNearMisses(s beam.Scope, dir string, shards int, compression string, nearMisses beam.PCollection) {
	s = s.Scope("WriteNearMisses")
	dataset.WriteShards(s, beam.ParDo(s, nearMissRow, nearMisses),
		dataset.Params{Dir: dataset.JoinPath(dir, runstats.NearMissDir), Shards: shards, Compression: compression})
}

func nearMissRow(n sample.NearMiss) (dataset.Row, error) { return jsonRow(n.ID, n, "near miss") }

// FunctionRow encodes a kept function as extract's data row.
func FunctionRow(f sample.Function) (dataset.Row, error) {
	return jsonRow(f.ID, runstats.KeptFunction(f), "function")
}

// RecordRow encodes a training record.
func RecordRow(r sample.Record) (dataset.Row, error) { return jsonRow(r.ID, r, "record") }

// ResultRow encodes a sandbox result (verify's output row).
func ResultRow(r sandbox.Result) (dataset.Row, error) { return jsonRow(r.ID, r, "result") }

// RejectedRow is r's row in rejected/.
func RejectedRow(r sample.Rejected) (dataset.Row, error) {
	return jsonRow(RejectedRowID(r.Unit, r.ID), r, "reject")
}

// RejectedRowID is the id that places a reject of unit and id in its
// rejected/ shard. A file and a function may share an id; the unit keeps
// their rows apart.
func RejectedRowID(unit, id string) string { return unit + ":" + id }

func jsonRow(id string, v any, what string) (dataset.Row, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return dataset.Row{}, fmt.Errorf("encode %s %s: %w", what, id, err)
	}
	return dataset.Row{ID: id, Line: string(b)}, nil
}
