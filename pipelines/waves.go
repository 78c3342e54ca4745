package pipelines

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

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

// waveCandidate is a candidate function as a wave spills it: the entry
// dedup resolves it by, what decontamination reads, and its data/ row as
// the wave rendered it (so no decoding and encoding again can change a
// byte of it).
type waveCandidate struct {
	Entry dedup.Entry `json:"entry"`
	ID    string      `json:"id"`
	Code  string      `json:"code"`
	Row   string      `json:"row"`
}

func init() {
	beam.RegisterType(reflect.TypeOf((*waveCandidate)(nil)).Elem())
	register.DoFn1x2[sample.Function, dataset.Row, error](&candidateRowFn{})
}

// PlanWaves lists the corpus files input matches, sorted, as the
// pipeline's own read lists them (Beam's filesystems), and cuts the list
// into waves of at most waveBytes stored bytes each; a larger file is a
// wave of its own. A non-positive waveBytes gives one wave.
func PlanWaves(ctx context.Context, input string, waveBytes int64) ([][]string, error) {
	files, sizes, err := dataset.ListSizes(ctx, input)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no files match", input)
	}
	if waveBytes <= 0 {
		return [][]string{files}, nil
	}
	var waves [][]string
	var cur []string
	var curBytes int64
	for i, f := range files {
		if len(cur) > 0 && curBytes+sizes[i] > waveBytes {
			waves = append(waves, cur)
			cur, curBytes = nil, 0
		}
		cur = append(cur, f)
		curBytes += sizes[i]
	}
	return append(waves, cur), nil
}

// WaveDir is where wave w of a run spills, under the run's spill directory.
func WaveDir(spill string, w int) string {
	return filepath.Join(spill, fmt.Sprintf("wave-%05d", w))
}

// CheckWaveParams reports, before any wave runs, the settings that would
// only fail the merge: dedup's parameters and the benchmarks to
// decontaminate against (loaded once per process; the merge reuses them).
func CheckWaveParams(o ExtractOptions) error {
	if err := o.Retrieval.Dedup.WithDefaults().Validate(); err != nil {
		return err
	}
	_, err := decontam.LoadIndex(o.Retrieval.Decontaminate)
	return err
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
	row, err := output.FunctionRow(f)
	if err != nil {
		return dataset.Row{}, err
	}
	b, err := json.Marshal(waveCandidate{Entry: dedup.NewEntry(f, fn.Dedup), ID: f.ID, Code: f.Code, Row: row.Line})
	if err != nil {
		return dataset.Row{}, fmt.Errorf("encode candidate %s: %w", f.ID, err)
	}
	return dataset.Row{ID: f.ID, Line: string(b)}, nil
}

// MergeWaves resolves dedup and decontamination across the candidates that
// waves 0..waves-1 spilled under spill (WaveDir), and writes the run's
// data/ and rejected/ shards, identical to one Extract job's. It holds
// every candidate's dedup entry (about 1 KB each) and one output shard at
// a time. It returns the counters the dedup and decontamination stages
// would have recorded.
func MergeWaves(ctx context.Context, o ExtractOptions, spill string, waves int) (map[string]int64, error) {
	shardFile := func(dir, sub string, i int) string {
		return filepath.Join(dir, sub, dataset.ShardName(i, o.Shards, dataset.CompressionNone))
	}
	// Pass 1: every candidate's entry, in (wave, shard, line) order.
	var entries []dedup.Entry
	first := make([][]int, waves) // index of each spill file's first entry
	for w := range waves {
		first[w] = make([]int, o.Shards)
		for i := range o.Shards {
			first[w][i] = len(entries)
			err := dataset.ReadFileLines(ctx, shardFile(WaveDir(spill, w), candidatesDir, i), func(line []byte) error {
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
	rejects, counters, err := dedup.Resolve(entries, o.Retrieval.Dedup)
	if err != nil {
		return nil, err
	}
	entries = nil
	idx, err := decontam.LoadIndex(o.Retrieval.Decontaminate)
	if err != nil {
		return nil, err
	}

	// Pass 2: data/ shard by shard. The candidates' own rejects go to
	// spill files by their rejected/ shard, for pass 3.
	late := filepath.Join(spill, "merge")
	lateFiles, err := newShardAppenders(filepath.Join(late, waveRejectDir), o.Shards)
	if err != nil {
		return nil, err
	}
	defer lateFiles.close()
	addReject := func(r sample.Rejected) error {
		row, err := output.RejectedRow(r)
		if err != nil {
			return err
		}
		lateFiles.count++
		return lateFiles.add(dataset.ShardOf(row.ID, o.Shards), row.Line)
	}
	dataDir := dataset.JoinPath(o.Output, runstats.DataDir)
	for i := range o.Shards {
		var rows []dataset.Row
		for w := range waves {
			n := first[w][i]
			err := dataset.ReadFileLines(ctx, shardFile(WaveDir(spill, w), candidatesDir, i), func(line []byte) error {
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
				if r, hit := idx.Reject(sample.Function{ID: c.ID, Code: c.Code}); hit {
					counters["decontaminate/benchmark_overlap"]++
					return addReject(r)
				}
				counters["decontaminate/kept"]++
				progress.Add(progress.Kept, 1)
				rows = append(rows, dataset.Row{ID: c.ID, Line: c.Row})
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		if _, err := dataset.WriteShard(ctx, dataset.Params{Dir: dataDir, Shards: o.Shards}, i, rows); err != nil {
			return nil, err
		}
	}
	if err := lateFiles.close(); err != nil {
		return nil, err
	}

	// Pass 3: rejected/ shard by shard, every reject kept as written.
	rejectedDir := dataset.JoinPath(o.Output, runstats.RejectedDir)
	for j := range o.Shards {
		var rows []dataset.Row
		for _, dir := range append(waveDirs(spill, waves), late) {
			err := dataset.ReadFileLines(ctx, shardFile(dir, waveRejectDir, j), func(line []byte) error {
				var r sample.Rejected
				if err := json.Unmarshal(line, &r); err != nil {
					return fmt.Errorf("reject row: %w", err)
				}
				rows = append(rows, dataset.Row{ID: output.RejectedRowID(r.Unit, r.ID), Line: string(line)})
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		// The waves' rejects were counted as written when spilled.
		progress.Add(progress.WrittenPrefix+runstats.RejectedDir, -int64(len(rows)))
		if _, err := dataset.WriteShard(ctx, dataset.Params{Dir: rejectedDir, Shards: o.Shards}, j, rows); err != nil {
			return nil, err
		}
	}
	progress.Add(progress.WrittenPrefix+runstats.RejectedDir, int64(lateFiles.count))
	for k, v := range counters {
		if v == 0 {
			delete(counters, k)
		}
	}
	return counters, nil
}

func waveDirs(spill string, waves int) []string {
	dirs := make([]string, waves)
	for w := range dirs {
		dirs[w] = WaveDir(spill, w)
	}
	return dirs
}

// shardAppenders writes lines to one uncompressed spill file per shard.
type shardAppenders struct {
	files []*os.File
	bufs  []*bufio.Writer
	count int
}

func newShardAppenders(dir string, shards int) (*shardAppenders, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	a := &shardAppenders{}
	for i := range shards {
		f, err := os.Create(filepath.Join(dir, dataset.ShardName(i, shards, dataset.CompressionNone)))
		if err != nil {
			a.close()
			return nil, err
		}
		a.files = append(a.files, f)
		a.bufs = append(a.bufs, bufio.NewWriter(f))
	}
	return a, nil
}

func (a *shardAppenders) add(shard int, line string) error {
	b := a.bufs[shard]
	if _, err := b.WriteString(line); err != nil {
		return err
	}
	return b.WriteByte('\n')
}

// close flushes and closes every file; later calls do nothing.
func (a *shardAppenders) close() error {
	var first error
	for i, f := range a.files {
		if err := a.bufs[i].Flush(); err != nil && first == nil {
			first = err
		}
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	a.files, a.bufs = nil, nil
	return first
}
