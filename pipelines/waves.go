package pipelines

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/transforms/decontam"
	"github.com/unitcoder/unitcoder/transforms/dedup"
	"github.com/unitcoder/unitcoder/transforms/output"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
)

// The local runner (prism) holds every PCollection that crosses a stage
// boundary in memory until the job ends its stage, so one extract job's
// peak memory grows with the corpus. Waves bound it: the corpus's files
// are split into waves of bounded size, each wave is a job of its own that
// runs retrieval up to dedup (retrieval.Candidates) and spills its
// candidates and rejects to local disk, and dedup and decontamination are
// then resolved across all waves from the spilled candidates' compact
// entries (dedup.Resolve), one output shard at a time. The result is
// byte for byte what one Extract job writes.

// DefaultWaveMB is extract's default wave size (--wave_mb), in stored MB
// of corpus files.
const DefaultWaveMB = 256

// Spill directories of a wave.
const (
	candidatesDir = "candidates"
	waveRejectDir = runstats.RejectedDir
)

// waveCandidate is a candidate function as a wave spills it: the function,
// and the entry dedup resolves it by.
type waveCandidate struct {
	Entry    dedup.Entry     `json:"entry"`
	Function sample.Function `json:"function"`
}

func init() {
	beam.RegisterType(reflect.TypeOf((*waveCandidate)(nil)).Elem())
	register.DoFn1x2[sample.Function, dataset.Row, error](&candidateRowFn{})
}

// PlanWaves lists the corpus files input matches (sorted, as
// corpus.Match returns them) and cuts the list into waves of at most
// waveBytes stored bytes each; a larger file is a wave of its own. A
// non-positive waveBytes gives one wave.
func PlanWaves(ctx context.Context, input string, waveBytes int64) ([][]string, error) {
	files, err := corpus.Match(ctx, input)
	if err != nil {
		return nil, err
	}
	if waveBytes <= 0 {
		return [][]string{files}, nil
	}
	var waves [][]string
	var cur []string
	var curBytes int64
	for _, f := range files {
		size, err := corpus.Size(ctx, f)
		if err != nil {
			return nil, err
		}
		if len(cur) > 0 && curBytes+size > waveBytes {
			waves = append(waves, cur)
			cur, curBytes = nil, 0
		}
		cur = append(cur, f)
		curBytes += size
	}
	if len(cur) > 0 {
		waves = append(waves, cur)
	}
	return waves, nil
}

// ExtractWave builds the job of one wave: retrieval up to dedup over
// files, its candidates (with their dedup entries) spilled to
// dir/candidates/ and its rejects to dir/rejected/, sharded as the run's
// own outputs are, uncompressed.
func ExtractWave(s beam.Scope, o ExtractOptions, files []string, dir string) {
	s = s.Scope("extract")
	p := o.Retrieval
	p.Files = files
	candidates, rejected := retrieval.Candidates(s.Scope("Retrieve"), p)
	s = s.Scope("Spill")
	dataset.WriteShards(s, beam.ParDo(s, &candidateRowFn{Dedup: p.Dedup}, candidates),
		dataset.Params{Dir: filepath.Join(dir, candidatesDir), Shards: o.Shards, Compression: dataset.CompressionNone})
	dataset.WriteShards(s, beam.ParDo(s, output.RejectedRow, rejected),
		dataset.Params{Dir: filepath.Join(dir, waveRejectDir), Shards: o.Shards, Compression: dataset.CompressionNone})
}

// candidateRowFn renders a candidate and its dedup entry as a spill row.
type candidateRowFn struct {
	Dedup dedup.Params `json:"dedup"`
}

func (fn *candidateRowFn) ProcessElement(f sample.Function) (dataset.Row, error) {
	b, err := json.Marshal(waveCandidate{Entry: dedup.NewEntry(f, fn.Dedup), Function: f})
	if err != nil {
		return dataset.Row{}, fmt.Errorf("encode candidate %s: %w", f.ID, err)
	}
	return dataset.Row{ID: f.ID, Line: string(b)}, nil
}

// MergeWaves resolves dedup and decontamination across the candidates the
// waves in waveDirs spilled, and writes the run's data/ and rejected/
// shards, identical to one Extract job's. It holds every candidate's dedup
// entry (about 1 KB each) and one output shard at a time. It returns the
// counters the dedup and decontamination stages would have recorded.
func MergeWaves(ctx context.Context, o ExtractOptions, waveDirs []string) (map[string]int64, error) {
	shardFile := func(dir, sub string, i int) string {
		return filepath.Join(dir, sub, dataset.ShardName(i, o.Shards, dataset.CompressionNone))
	}
	// Pass 1: every candidate's entry, in (wave, shard, line) order.
	var entries []dedup.Entry
	first := make([][]int, len(waveDirs)) // index of each spill file's first entry
	for w, dir := range waveDirs {
		first[w] = make([]int, o.Shards)
		for i := range o.Shards {
			first[w][i] = len(entries)
			err := dataset.ReadLines(ctx, shardFile(dir, candidatesDir, i), func(line []byte) error {
				var c struct {
					Entry dedup.Entry `json:"entry"`
				}
				if err := json.Unmarshal(line, &c); err != nil {
					return fmt.Errorf("candidate row: %w", err)
				}
				entries = append(entries, c.Entry)
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	rejects, counters := dedup.Resolve(entries, o.Retrieval.Dedup)
	entries = nil
	idx, err := decontam.LoadIndex(o.Retrieval.Decontaminate)
	if err != nil {
		return nil, err
	}

	// Pass 2: data/ shard by shard; the candidates' rejects are few and
	// wait for pass 3.
	lateRejects := make([][]dataset.Row, o.Shards)
	addReject := func(r sample.Rejected) error {
		row, err := output.RejectedRow(r)
		if err != nil {
			return err
		}
		j := dataset.ShardOf(row.ID, o.Shards)
		lateRejects[j] = append(lateRejects[j], row)
		return nil
	}
	dataDir := dataset.JoinPath(o.Output, runstats.DataDir)
	for i := range o.Shards {
		var rows []dataset.Row
		for w, dir := range waveDirs {
			n := first[w][i]
			err := dataset.ReadLines(ctx, shardFile(dir, candidatesDir, i), func(line []byte) error {
				k := n
				n++
				if r, dup := rejects[k]; dup {
					return addReject(r)
				}
				var c waveCandidate
				if err := json.Unmarshal(line, &c); err != nil {
					return fmt.Errorf("candidate row: %w", err)
				}
				counters["decontaminate/in"]++
				if r, hit := idx.Reject(c.Function); hit {
					counters["decontaminate/benchmark_overlap"]++
					return addReject(r)
				}
				counters["decontaminate/kept"]++
				progress.Add(progress.Kept, 1)
				row, err := output.FunctionRow(c.Function)
				rows = append(rows, row)
				return err
			})
			if err != nil {
				return nil, err
			}
		}
		if _, err := dataset.WriteShard(ctx, dataset.Params{Dir: dataDir, Shards: o.Shards}, i, rows); err != nil {
			return nil, err
		}
	}

	// Pass 3: rejected/ shard by shard, the waves' rejects kept as written.
	rejectedDir := dataset.JoinPath(o.Output, runstats.RejectedDir)
	for j := range o.Shards {
		rows := lateRejects[j]
		late := len(rows)
		lateRejects[j] = nil
		for _, dir := range waveDirs {
			err := dataset.ReadLines(ctx, shardFile(dir, waveRejectDir, j), func(line []byte) error {
				var r sample.Rejected
				if err := json.Unmarshal(line, &r); err != nil {
					return fmt.Errorf("reject row: %w", err)
				}
				rows = append(rows, dataset.Row{ID: r.Unit + ":" + r.ID, Line: string(line)})
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		// The waves' rejects were counted as written when spilled.
		progress.Add(progress.WrittenPrefix+runstats.RejectedDir, -int64(len(rows)-late))
		if _, err := dataset.WriteShard(ctx, dataset.Params{Dir: rejectedDir, Shards: o.Shards}, j, rows); err != nil {
			return nil, err
		}
	}
	for k, v := range counters {
		if v == 0 {
			delete(counters, k)
		}
	}
	return counters, nil
}
