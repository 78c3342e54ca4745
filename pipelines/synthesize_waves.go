package pipelines

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/transforms/output"
)

// Synthesis waves bound the local runner's memory as extract's do: the
// function rows are cut, in input order, into waves of at most a given
// number of rows; each wave is a Synthesize job of its own over its rows,
// spilled to local disk first; and the waves' outputs are merged shard by
// shard into the run's data/, rejected/ and near_miss/. A function's fate
// depends on that function alone (its tests, its verdicts, its LLM
// replies), so the merged output is what one job writes.

// DefaultWaveRows is synthesize's default wave size (--wave_rows), in
// function rows.
const DefaultWaveRows = 500

// DefaultWaveFunctionMB is synthesize's default cap on a wave's function
// rows (--wave_mb), in MB of their lines. A function's program is copied
// into its sample, its candidates, its attempt history and its record, so
// a wave's memory follows its programs' bytes more than its row count: in
// the stdlib's functions, 500 rows hold 2.2 to 6.4 MB, and the 6.4 MB wave
// (six functions with a 237 KB program) peaked 1.4x the others. The cap
// bounds a wave's input, not its output, and the run's peak is its
// heaviest wave's: at 4 MB a 30K run rose past 1 GB (Go + sandbox
// workers); 2 MB took that wave from 599 to 449 MB for 1.04x the
// samples/s, and the 30K to 966 MB (README, runs 7-9).
const DefaultWaveFunctionMB = 2

// waveCompression is how a wave writes its outputs to the spill.
const waveCompression = dataset.CompressionNone

// FunctionWaves is the plan of a synthesis run in waves: the spill file
// of each wave's input lines, and how many function rows (lines, and
// read errors that stand for lines) each holds.
type FunctionWaves struct {
	Files []string
	Rows  []int64
}

// Total is the number of function rows over all waves.
func (w FunctionWaves) Total() int64 {
	var n int64
	for _, r := range w.Rows {
		n += r
	}
	return n
}

// PlanFunctionWaves reads the files the functions glob matches as
// ReadFunctions reads them (dataset.EachLine, same sources and line
// numbers) and spills their lines, in order and byte for byte
// (dataset.LineSpill), to local files under spill of at most waveRows
// lines each, one per wave; when waveBytes > 0, a wave also ends before
// its lines pass waveBytes bytes (a longer line is a wave of its own).
// Rows are not parsed here:
// a bad row is rejected by its wave's job, as by one job.
func PlanFunctionWaves(ctx context.Context, functions string, waveRows int, waveBytes int64, spill string) (FunctionWaves, error) {
	if waveRows < 1 {
		return FunctionWaves{}, fmt.Errorf("plan waves: %d rows a wave; need at least 1", waveRows)
	}
	files, _, err := dataset.ListSizes(ctx, functions)
	if err != nil {
		return FunctionWaves{}, err
	}
	if len(files) == 0 {
		return FunctionWaves{}, fmt.Errorf("%s: no files match", functions)
	}
	var plan FunctionWaves
	var out *dataset.LineSpill
	closeWave := func() error {
		if out == nil {
			return nil
		}
		err := out.Close()
		out = nil
		return err
	}
	var werr error
	var bytes int64 // the current wave's line bytes
	spillLine := func(l dataset.Line) {
		if werr != nil {
			return
		}
		size := int64(len(l.Text))
		if out == nil || plan.Rows[len(plan.Rows)-1] == int64(waveRows) ||
			waveBytes > 0 && bytes > 0 && bytes+size > waveBytes {
			if werr = closeWave(); werr != nil {
				return
			}
			path := filepath.Join(spill, fmt.Sprintf("functions-%05d.jsonl.zst", len(plan.Files)))
			if out, werr = dataset.CreateLineSpill(path); werr != nil {
				return
			}
			plan.Files = append(plan.Files, path)
			plan.Rows = append(plan.Rows, 0)
			bytes = 0
		}
		werr = out.Write(l)
		plan.Rows[len(plan.Rows)-1]++
		bytes += size
	}
	for _, f := range files {
		err := dataset.EachLine(ctx, f, 0, spillLine)
		if werr != nil {
			err = fmt.Errorf("spill function rows: %w", werr)
		}
		if err != nil {
			closeWave()
			return FunctionWaves{}, err
		}
	}
	if err := closeWave(); err != nil {
		return FunctionWaves{}, fmt.Errorf("spill function rows: %w", err)
	}
	return plan, nil
}

// SynthesizeWave builds the job of one wave: Synthesize over the function
// lines spilled to lines, writing its outputs, sharded as the run's, to
// dir, uncompressed: the merge reads every wave's shard at once, and a
// zstd reader holds its whole window (8 MB), a plain one a read buffer.
func SynthesizeWave(s beam.Scope, o SynthesizeOptions, lines, dir string) {
	o.Functions, o.FunctionLines, o.Output, o.Compression = "", lines, dir, waveCompression
	Synthesize(s, o)
}

// RunJob runs a built pipeline to its end and returns its result
// (beamx.RunWithMetrics; ptest.RunWithMetrics in tests).
type RunJob func(ctx context.Context, p *beam.Pipeline) (beam.PipelineResult, error)

// RunSynthesisWaves runs plan's waves, one job each with run, each
// writing under spill (WaveDir), then merges their outputs into
// o.Output. It returns the jobs' counters and stage seconds, summed, the
// merge's time under "MergeWaves". done, when not nil, is called after
// each wave.
func RunSynthesisWaves(ctx context.Context, o SynthesizeOptions, plan FunctionWaves, spill string, run RunJob, done func(wave int)) (counters map[string]int64, stageSeconds map[string]float64, err error) {
	if len(plan.Files) == 0 {
		return nil, nil, fmt.Errorf("no waves: the input holds no function rows")
	}
	counters, stageSeconds = map[string]int64{}, map[string]float64{}
	outputs := make([]string, len(plan.Files))
	for w, lines := range plan.Files {
		outputs[w] = WaveDir(spill, w)
		p, s := beam.NewPipelineWithRoot()
		SynthesizeWave(s, o, lines, outputs[w])
		res, err := run(ctx, p)
		if err != nil {
			return nil, nil, fmt.Errorf("wave %d of %d: %w", w+1, len(plan.Files), err)
		}
		for k, v := range runstats.Counters(res) {
			counters[k] += v
		}
		for k, v := range runstats.StageSeconds(res, p) {
			stageSeconds[k] += v
		}
		if done != nil {
			done(w)
		}
	}
	start := time.Now()
	if err := MergeSynthesisWaves(ctx, o.Output, o.Shards, outputs); err != nil {
		return nil, nil, fmt.Errorf("merge waves: %w", err)
	}
	stageSeconds["MergeWaves"] += time.Since(start).Seconds()
	return counters, stageSeconds, nil
}

// synthesisOutputDirs are the directories a synthesis run writes shards
// to, with the id each row is placed by, as output's RecordRow,
// RejectedRow and WriteNearMisses place them.
var synthesisOutputDirs = []struct {
	name string
	id   func(line []byte) (string, error)
}{
	{runstats.DataDir, rowID(false)},
	{runstats.RejectedDir, rowID(true)},
	{runstats.NearMissDir, rowID(false)},
}

func rowID(withUnit bool) func(line []byte) (string, error) {
	return func(line []byte) (string, error) {
		var r struct {
			ID   string `json:"id"`
			Unit string `json:"unit"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return "", err
		}
		if withUnit {
			return output.RejectedRowID(r.Unit, r.ID), nil
		}
		return r.ID, nil
	}
}

// MergeSynthesisWaves merges the outputs the waves wrote to waveDirs
// (plain JSONL, as SynthesizeWave writes them) into output's data/,
// rejected/ and near_miss/ (each where the first wave wrote it: every
// wave of a run writes the same directories), one shard at a time. Each
// wave's shard i is sorted as WriteShard sorts (by row ID, then line), so
// shard i of the run is their k-way merge (dataset.MergeSortedLines),
// streamed into the writer's encoder (dataset.WriteShardLines): the files
// are byte for byte one job's, and the merge holds a line per wave, not a
// shard, whatever the run's size. Its passes beyond 64 waves go to a
// temporary directory beside the first wave's.
func MergeSynthesisWaves(ctx context.Context, output string, shards int, waveDirs []string) error {
	if len(waveDirs) == 0 {
		return fmt.Errorf("merge waves: no waves")
	}
	tmp, err := os.MkdirTemp(filepath.Dir(waveDirs[0]), "merge-")
	if err != nil {
		return fmt.Errorf("merge waves: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, d := range synthesisOutputDirs {
		if _, err := os.Stat(filepath.Join(waveDirs[0], d.name)); err != nil {
			continue // not an output of this run (near_miss/ without adequacy)
		}
		dir := dataset.JoinPath(output, d.name)
		for i := range shards {
			files := make([]string, len(waveDirs))
			var size int64 // plain files, each line with its newline, as the merge writes them
			for w, wd := range waveDirs {
				files[w] = filepath.Join(wd, d.name, dataset.ShardName(i, shards, waveCompression))
				fi, err := os.Stat(files[w])
				if err != nil {
					return fmt.Errorf("merge waves: %w", err)
				}
				size += fi.Size()
			}
			info, err := dataset.WriteShardLines(ctx, dataset.Params{Dir: dir, Shards: shards}, i, size, func(write func(string) error) error {
				return dataset.MergeSortedLines(ctx, files, d.id, tmp, write)
			})
			if err != nil {
				return err
			}
			// The waves' rows were counted as written when the waves
			// wrote them.
			progress.Add(progress.WrittenPrefix+d.name, -int64(info.Rows))
		}
	}
	return nil
}
