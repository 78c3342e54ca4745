package decontam

import (
	"fmt"
	"hash/fnv"
	"strconv"

	"github.com/unitcoder/unitcoder/pyast/pytok"
)

// Default n-gram rule; see the package doc for how they were chosen.
const (
	DefaultN           = 10
	DefaultMinOverlap  = 4
	DefaultMinCoverage = 0.5
)

// shared marks an n-gram that occurs in more than one task: it identifies
// no task, so it never counts as overlap.
const shared = -1

// Index holds, per benchmark task, the body key of its entry function and
// its task-specific n-grams.
type Index struct {
	// N is the n-gram length in feature tokens.
	N int
	// MinOverlap and MinCoverage form the n-gram rule: code matches a task
	// when it contains at least MinOverlap of the task's specific n-grams
	// and at least MinCoverage times as many as the task's entry function
	// has.
	MinOverlap  int
	MinCoverage float64

	ids    []string
	sizes  []int            // specific n-grams per task, whole code (tests read it)
	entry  []int            // specific n-grams per task inside its entry function
	grams  map[uint64]int32 // n-gram hash -> task index, or shared
	bodies map[uint64]int32 // entry function's body key -> first task with it
}

// LoadBenchmarks reads the benchmark files at paths (HumanEval, MBPP or
// BigCodeBench JSONL, optionally gzip-compressed) and indexes them with
// NewIndex and the default n-gram rule. A task id seen again (the same
// file listed twice) is skipped.
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

// NewIndex indexes tasks by the body keys of their entry functions and by
// n-grams of n feature tokens.
func NewIndex(tasks []Task, n int) *Index {
	idx := &Index{N: n, MinOverlap: DefaultMinOverlap, MinCoverage: DefaultMinCoverage,
		grams: map[uint64]int32{}, bodies: map[uint64]int32{}}
	seen := map[string]bool{}
	var entryGrams []map[uint64]struct{}
	for _, t := range tasks {
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		ti := int32(len(idx.ids))
		idx.ids = append(idx.ids, t.ID)
		all := Grams(t.Code, n)
		for g := range all {
			if prev, ok := idx.grams[g]; ok && prev != ti {
				idx.grams[g] = shared
			} else {
				idx.grams[g] = ti
			}
		}
		d, ok := entryDef(topLevelDefs(t.Code), t.Entry)
		if !ok {
			entryGrams = append(entryGrams, all)
			continue
		}
		fn := t.Code[d.start:d.end]
		entryGrams = append(entryGrams, Grams(fn, n))
		if k := defKey(fn); !hasKey(idx.bodies, k) {
			idx.bodies[k] = ti
		}
	}
	idx.sizes = make([]int, len(idx.ids))
	for _, ti := range idx.grams {
		if ti != shared {
			idx.sizes[ti]++
		}
	}
	idx.entry = make([]int, len(idx.ids))
	for ti, gs := range entryGrams {
		for g := range gs {
			if idx.grams[g] == int32(ti) {
				idx.entry[ti]++
			}
		}
	}
	return idx
}

func hasKey[K comparable, V any](m map[K]V, k K) bool {
	_, ok := m[k]
	return ok
}

// Grams returns the distinct n-gram hashes of code's feature tokens
// (pytok.FeatureTokens: comments, docstrings and layout dropped). Inside
// each n-gram, local names are numbered by first appearance in that n-gram,
// so an n-gram survives renaming and does not depend on what precedes it,
// yet "a = b" and "a = a" stay different. Code shorter than n tokens has
// none.
func Grams(code string, n int) map[uint64]struct{} {
	return gramsOf(pytok.FeatureTokens(code, nil), n)
}

func gramsOf(fts []pytok.Feature, n int) map[uint64]struct{} {
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

// Unmatchable lists tasks whose entry function has fewer than MinOverlap
// specific n-grams (short code, or code made of n-grams other tasks
// share): the n-gram rule cannot match a copy of that function, only the
// body rule can.
func (x *Index) Unmatchable() []string {
	var out []string
	for i, s := range x.entry {
		if s < x.MinOverlap {
			out = append(out, x.ids[i])
		}
	}
	return out
}

// Rule names the hit rule that matched.
type Rule string

// The two hit rules; see the package doc.
const (
	RuleBody  Rule = "body"  // a module-level def's body key equals the task's
	RuleNgram Rule = "ngram" // enough of the task's specific n-grams
)

// Hit is a match of code against a benchmark task.
type Hit struct {
	Task string
	Rule Rule
	// Overlap is how many of the task's specific n-grams the code contains.
	Overlap int
}

// Detail is the Rejected.Detail of a hit: the task id and the rule, as in
// "HumanEval/0 (body)".
func (h Hit) Detail() string { return h.Task + " (" + string(h.Rule) + ")" }

// Match reports the task code matches under either rule (see MatchRule)
// and the overlap; when none matches, ok is false and overlap is the
// largest n-gram overlap seen.
func (x *Index) Match(code string) (taskID string, overlap int, ok bool) {
	h, ok := x.MatchRule(code)
	return h.Task, h.Overlap, ok
}

// MatchRule reports the benchmark task code matches. The body rule goes
// first: if a module-level def of code has a task's body key, that task
// hits (the last such def wins). Otherwise the task with the most shared
// n-grams that satisfies the n-gram rule hits, ties going to the smaller
// task id. When neither matches, ok is false and Overlap is the largest
// n-gram overlap seen.
func (x *Index) MatchRule(code string) (h Hit, ok bool) {
	fts := pytok.FeatureTokens(code, nil)
	hits := map[int32]int{}
	for g := range gramsOf(fts, x.N) {
		if ti, found := x.grams[g]; found && ti != shared {
			hits[ti]++
		}
	}
	body := int32(-1)
	defs := topLevelDefs(code)
	for _, d := range defs {
		var k uint64
		if len(defs) == 1 && d.start == 0 && d.end == len(code) {
			k = keyOf(fts) // the usual corpus function: code is the def
		} else {
			k = defKey(code[d.start:d.end])
		}
		if ti, found := x.bodies[k]; found {
			body = ti
		}
	}
	if body >= 0 {
		return Hit{Task: x.ids[body], Rule: RuleBody, Overlap: hits[body]}, true
	}
	best := int32(-1)
	for ti, c := range hits {
		h.Overlap = max(h.Overlap, c)
		if !x.hit(ti, c) {
			continue
		}
		if best < 0 || c > hits[best] || (c == hits[best] && x.ids[ti] < x.ids[best]) {
			best = ti
		}
	}
	if best < 0 {
		return h, false
	}
	return Hit{Task: x.ids[best], Rule: RuleNgram, Overlap: hits[best]}, true
}

func (x *Index) hit(ti int32, c int) bool {
	return c >= x.MinOverlap && float64(c) >= x.MinCoverage*float64(x.entry[ti])
}
