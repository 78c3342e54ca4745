package decontam

import (
	"fmt"
	"hash/fnv"
	"strconv"

	"github.com/unitcoder/unitcoder/pyast/pytok"
)

// Default hit rule; see the package doc for how they were chosen.
const (
	DefaultN           = 10
	DefaultMinOverlap  = 4
	DefaultMinCoverage = 0.5
)

// shared marks an n-gram that occurs in more than one task: it identifies
// no task, so it never counts as overlap.
const shared = -1

// Index holds the task-specific n-grams of a set of benchmark tasks.
type Index struct {
	// N is the n-gram length in feature tokens.
	N int
	// MinOverlap and MinCoverage form the hit rule: code matches a task
	// when it contains at least MinOverlap of the task's specific n-grams
	// and they are at least MinCoverage of them.
	MinOverlap  int
	MinCoverage float64

	ids   []string
	sizes []int            // specific n-grams per task
	grams map[uint64]int32 // n-gram hash -> task index, or shared
}

// LoadBenchmarks reads the benchmark files at paths (HumanEval, MBPP or
// BigCodeBench JSONL, optionally gzip-compressed) and indexes their code by
// n-grams of n tokens, with the default hit rule. A task id seen again (the
// same file listed twice) is skipped.
func LoadBenchmarks(paths []string, n int) (*Index, error) {
	if n < 1 {
		return nil, fmt.Errorf("decontam: n-gram length %d must be positive", n)
	}
	var tasks []Task
	for _, p := range paths {
		ts, err := ReadTasks(p)
		if err != nil {
			return nil, fmt.Errorf("decontam: %w", err)
		}
		tasks = append(tasks, ts...)
	}
	return NewIndex(tasks, n), nil
}

// NewIndex indexes tasks by n-grams of n feature tokens.
func NewIndex(tasks []Task, n int) *Index {
	idx := &Index{N: n, MinOverlap: DefaultMinOverlap, MinCoverage: DefaultMinCoverage,
		grams: map[uint64]int32{}}
	seen := map[string]bool{}
	for _, t := range tasks {
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		ti := int32(len(idx.ids))
		idx.ids = append(idx.ids, t.ID)
		for g := range Grams(t.Code, n) {
			if prev, ok := idx.grams[g]; ok && prev != ti {
				idx.grams[g] = shared
			} else {
				idx.grams[g] = ti
			}
		}
	}
	idx.sizes = make([]int, len(idx.ids))
	for _, ti := range idx.grams {
		if ti != shared {
			idx.sizes[ti]++
		}
	}
	return idx
}

// Grams returns the distinct n-gram hashes of code's feature tokens
// (pytok.FeatureTokens: comments, docstrings and layout dropped). Inside
// each n-gram, local names are numbered by first appearance in that n-gram,
// so an n-gram survives renaming and does not depend on what precedes it,
// yet "a = b" and "a = a" stay different. Code shorter than n tokens has
// none.
func Grams(code string, n int) map[uint64]struct{} {
	fts := pytok.FeatureTokens(code, nil)
	out := map[uint64]struct{}{}
	local := map[string]int{}
	var buf []byte
	for i := 0; i+n <= len(fts); i++ {
		clear(local)
		buf = buf[:0]
		for _, f := range fts[i : i+n] {
			if f.Local {
				k, ok := local[f.Text]
				if !ok {
					k = len(local)
					local[f.Text] = k
				}
				buf = append(buf, '$')
				buf = strconv.AppendInt(buf, int64(k), 10)
			} else {
				buf = append(buf, f.Text...)
			}
			buf = append(buf, 0)
		}
		h := fnv.New64a()
		h.Write(buf)
		out[h.Sum64()] = struct{}{}
	}
	return out
}

// Tasks returns the number of indexed tasks.
func (x *Index) Tasks() int { return len(x.ids) }

// Unmatchable lists tasks with fewer than MinOverlap specific n-grams
// (short code, or code made of n-grams other tasks share); no code can
// match them.
func (x *Index) Unmatchable() []string {
	var out []string
	for i, s := range x.sizes {
		if s < x.MinOverlap {
			out = append(out, x.ids[i])
		}
	}
	return out
}

// Match reports the benchmark task that code overlaps most under the hit
// rule, and how many of that task's specific n-grams code contains. Ties go
// to the smaller task id. When no task satisfies the rule ok is false and
// overlap is the largest overlap seen.
func (x *Index) Match(code string) (taskID string, overlap int, ok bool) {
	hits := map[int32]int{}
	for g := range Grams(code, x.N) {
		if ti, found := x.grams[g]; found && ti != shared {
			hits[ti]++
		}
	}
	best := int32(-1)
	for ti, c := range hits {
		overlap = max(overlap, c)
		if !x.hit(ti, c) {
			continue
		}
		if best < 0 || c > hits[best] || (c == hits[best] && x.ids[ti] < x.ids[best]) {
			best = ti
		}
	}
	if best < 0 {
		return "", overlap, false
	}
	return x.ids[best], hits[best], true
}

func (x *Index) hit(ti int32, c int) bool {
	return c >= x.MinOverlap && float64(c) >= x.MinCoverage*float64(x.sizes[ti])
}
