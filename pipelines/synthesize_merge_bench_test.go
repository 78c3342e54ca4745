package pipelines

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/runstats"
)

// benchMergeWaveRows is the rows of each wave BenchmarkMergeSynthesisWaves
// merges (DefaultWaveRows).
const benchMergeWaveRows = DefaultWaveRows

// BenchmarkMergeSynthesisWaves is the peak memory of merging synthesis
// waves at 10K and 30K records (20 and 60 waves of 500), the part of a
// run in waves whose work grows with the run's size. Each wave's data/
// holds synthetic records (repeated code text) whose sizes follow the heaviest wave of the stdlib
// functions in BenchmarkSynthesizeMemory (median 8.7 KB, 90th percentile
// 140 KB, largest 1.2 MB: a program with a 237 KB dependency closure,
// copied into its prompt, answer and history), so every wave here is
// that heavy, about 25 MB. It compares the streaming merge
// (MergeSynthesisWaves) with the merge it replaced, which read all of a
// shard's rows and wrote them with dataset.WriteShard, in the same
// process. The figure is VmHWM above the resident memory before the merge.
func BenchmarkMergeSynthesisWaves(b *testing.B) {
	for _, n := range []int{10000, 30000} {
		waves := n / benchMergeWaveRows
		spill := b.TempDir()
		dirs := writeBenchWaves(b, spill, waves, 4)
		for _, merge := range []struct {
			name string
			fn   func(ctx context.Context, output string, shards int, waveDirs []string) error
		}{
			{"streaming", MergeSynthesisWaves},
			{"holding_shards", mergeHoldingShards},
		} {
			b.Run(fmt.Sprintf("%s/%d", merge.name, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					out := filepath.Join(b.TempDir(), "run")
					start := startPeakRSS(b)
					if err := merge.fn(context.Background(), out, 4, dirs); err != nil {
						b.Fatal(err)
					}
					peak, err := peakRSSBytes()
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(peak-start)/(1<<20), "peak_above_start_MB")
					b.ReportMetric(float64(waves), "waves")
					os.RemoveAll(out)
				}
			})
		}
	}
}

// writeBenchWaves writes waves wave outputs of benchMergeWaveRows records
// each, as SynthesizeWave writes them (plain data/ shards).
func writeBenchWaves(b *testing.B, spill string, waves, shards int) []string {
	b.Helper()
	rng := rand.New(rand.NewSource(16))
	body := strings.Repeat("def f(x):\n    return pandas.DataFrame(x).describe()\n", 1<<14) // 0.8 MB
	var dirs []string
	for w := 0; w < waves; w++ {
		dir := WaveDir(spill, w)
		rows := make([][]dataset.Row, shards)
		for r := 0; r < benchMergeWaveRows; r++ {
			// Log-normal sizes: median 8.7 KB, 90th percentile 140 KB
			// (sigma 2.17), capped at 1.2 MB.
			size := min(int(8700*math.Exp(2.17*rng.NormFloat64())), 1200<<10)
			id := fmt.Sprintf("%016x_%d", rng.Uint64(), r)
			var text strings.Builder
			for text.Len() < size {
				text.WriteString(body[:min(len(body), size-text.Len())])
			}
			line := fmt.Sprintf(`{"id":%q,"response":%q}`, id, text.String())
			i := dataset.ShardOf(id, shards)
			rows[i] = append(rows[i], dataset.Row{ID: id, Line: line})
		}
		for i := range shards {
			if _, err := dataset.WriteShard(context.Background(), dataset.Params{
				Dir: filepath.Join(dir, runstats.DataDir), Shards: shards, Compression: waveCompression}, i, rows[i]); err != nil {
				b.Fatal(err)
			}
		}
		dirs = append(dirs, dir)
	}
	return dirs
}

// mergeHoldingShards is the merge MergeSynthesisWaves replaced, the
// baseline: every wave's rows of one shard read into memory, then written
// with dataset.WriteShard.
func mergeHoldingShards(ctx context.Context, output string, shards int, waveDirs []string) error {
	for i := range shards {
		var rows []dataset.Row
		for _, w := range waveDirs {
			path := filepath.Join(w, runstats.DataDir, dataset.ShardName(i, shards, waveCompression))
			err := dataset.ReadFileLines(ctx, path, func(line []byte) error {
				id, err := rowID(false)(line)
				if err != nil {
					return err
				}
				rows = append(rows, dataset.Row{ID: id, Line: string(line)})
				return nil
			})
			if err != nil {
				return err
			}
		}
		if _, err := dataset.WriteShard(ctx, dataset.Params{Dir: dataset.JoinPath(output, runstats.DataDir), Shards: shards}, i, rows); err != nil {
			return err
		}
	}
	return nil
}
