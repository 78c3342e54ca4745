package report

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

// Options tunes Load.
type Options struct {
	// Samples is the most accepted rows kept for the sample table (0: 50).
	Samples int
	// Top is the most bars in the library and API charts (0: 20).
	Top int
}

// Run is a finished run directory, read back and aggregated.
type Run struct {
	Dir   string
	Stats runstats.Stats
	// Accepted counts rows in data/; Rejected rows in rejected/.
	Accepted, Rejected int
	// Libs and APIs count accepted rows per library and per API call.
	Libs, APIs map[string]int
	// Licenses counts accepted rows per provenance license ("" when the
	// corpus did not say).
	Licenses map[string]int
	// Repos counts accepted rows per source repository ("" when unknown).
	Repos map[string]int
	// Coverage holds the line coverage of each accepted row that has one.
	Coverage []float64
	// Rounds counts accepted rows by the fix round whose code passed.
	Rounds map[int]int
	// Samples are the first accepted rows by id; FailedSamples the first
	// rejects that carry an attempt history.
	Samples       []Row
	FailedSamples []sample.Rejected
	// BadRows counts shard lines that did not decode.
	BadRows int
	top     int
}

// Row is an accepted row of either run kind: a record of a synthesize run
// or a kept function of an extract run (which has no tests or history).
type Row struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	EntryPoint string            `json:"entry_point"`
	Code       string            `json:"code"`
	Response   string            `json:"response"`
	Tests      string            `json:"tests"`
	Libs       []string          `json:"libs"`
	APIs       []string          `json:"apis"`
	Provenance sample.Provenance `json:"provenance"`
	Rounds     *int              `json:"rounds"`
	TestCount  int               `json:"test_count"`
	Coverage   *float64          `json:"coverage"`
	Refined    bool              `json:"refined"`
	TestRepair string            `json:"test_repair"`
	History    []sample.Attempt  `json:"history"`
}

// Synthesized reports whether the run is a synthesis run (records with
// tests) rather than an extraction run.
func (r *Run) Synthesized() bool { return r.Stats.Command == "synthesize" }

// Load reads the run directory dir (local or gs://).
func Load(ctx context.Context, dir string, o Options) (*Run, error) {
	if o.Samples <= 0 {
		o.Samples = 50
	}
	if o.Top <= 0 {
		o.Top = 20
	}
	r := &Run{Dir: dir, Libs: map[string]int{}, APIs: map[string]int{}, Licenses: map[string]int{},
		Repos: map[string]int{}, Rounds: map[int]int{}, top: o.Top}
	if err := readStats(ctx, dir, &r.Stats); err != nil {
		return nil, err
	}
	if err := r.readData(ctx, o.Samples); err != nil {
		return nil, err
	}
	if err := r.readRejected(ctx, o.Samples); err != nil {
		return nil, err
	}
	return r, nil
}

func readStats(ctx context.Context, dir string, st *runstats.Stats) error {
	path := dataset.JoinPath(dir, runstats.StatsFile)
	f, err := dataset.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("read stats: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	if st.Incomplete != "" {
		return fmt.Errorf("%s: the run stopped before it finished, so it has no dataset to report: %s", path, st.Incomplete)
	}
	return nil
}

// readData aggregates data/ and keeps the first n rows by id.
func (r *Run) readData(ctx context.Context, n int) error {
	return dataset.ReadLines(ctx, shardGlob(r.Dir, runstats.DataDir), func(line []byte) error {
		var row Row
		if err := json.Unmarshal(line, &row); err != nil {
			r.BadRows++
			return nil
		}
		r.Accepted++
		for _, l := range row.Libs {
			r.Libs[l]++
		}
		for _, a := range row.APIs {
			r.APIs[a]++
		}
		r.Licenses[row.Provenance.License]++
		r.Repos[row.Provenance.Repo]++
		if row.Coverage != nil {
			r.Coverage = append(r.Coverage, *row.Coverage)
		}
		if row.Rounds != nil {
			r.Rounds[*row.Rounds]++
		}
		r.Samples = keepFirst(r.Samples, row, n, func(a, b Row) bool { return a.ID < b.ID })
		return nil
	})
}

// readRejected counts rejects and keeps the first n that have a history.
func (r *Run) readRejected(ctx context.Context, n int) error {
	return dataset.ReadLines(ctx, shardGlob(r.Dir, runstats.RejectedDir), func(line []byte) error {
		var rej sample.Rejected
		if err := json.Unmarshal(line, &rej); err != nil {
			r.BadRows++
			return nil
		}
		r.Rejected++
		if len(rej.History) > 0 {
			r.FailedSamples = keepFirst(r.FailedSamples, rej, n,
				func(a, b sample.Rejected) bool { return a.ID < b.ID })
		}
		return nil
	})
}

func shardGlob(dir, sub string) string {
	return dataset.JoinPath(dataset.JoinPath(dir, sub), "part-*")
}

// keepFirst keeps the n smallest items seen so far, sorted, so the sample
// does not depend on the order shards are read in.
func keepFirst[T any](s []T, x T, n int, less func(a, b T) bool) []T {
	i := sort.Search(len(s), func(i int) bool { return less(x, s[i]) })
	if i >= n {
		return s
	}
	s = append(s, x)
	copy(s[i+1:], s[i:])
	s[i] = x
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// counted is one label and its count, for charts and tables.
type counted struct {
	Label string
	Count float64
}

// topN sorts m by count (then label) and keeps the first n.
func topN(m map[string]int, n int) []counted {
	out := make([]counted, 0, len(m))
	for k, v := range m {
		out = append(out, counted{k, float64(v)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Label < out[j].Label
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
