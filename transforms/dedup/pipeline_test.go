package dedup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/pyast/pytok"
	"github.com/unitcoder/unitcoder/pyast/pytok/pytoktest"
	"github.com/unitcoder/unitcoder/sample"
)

func init() {
	register.Function1x1(functionID)
	register.Function1x1(rejectedID)
}

func functionID(f sample.Function) string { return f.ID }
func rejectedID(r sample.Rejected) string { return r.ID }

// oracle computes the expected result by brute force over all pairs, in
// memory: exact groups keep their smallest ID, then each exact survivor is
// rejected if any survivor with a smaller ID reaches the threshold.
func oracle(fns []sample.Function, p Params) (kept []string, rejected []sample.Rejected) {
	p = p.WithDefaults()
	groups := map[string][]string{}
	byID := map[string]sample.Function{}
	for _, f := range fns {
		k := pytok.ExactKey(f.Code)
		groups[k] = append(groups[k], f.ID)
		byID[f.ID] = f
	}
	var survivors []string
	for _, ids := range groups {
		slices.Sort(ids)
		survivors = append(survivors, ids[0])
		for _, id := range ids[1:] {
			rejected = append(rejected, sample.Rejected{ID: id, Unit: sample.UnitFunction,
				Stage: sample.StageDedup, Reason: ReasonExact, Detail: ids[0]})
		}
	}
	slices.Sort(survivors)
	sigs := make([][]uint64, len(survivors))
	for i, id := range survivors {
		sigs[i] = Signature(Shingles(byID[id].Code, KeepNames(byID[id]), p.Shingle), p.NumPerm)
	}
next:
	for j, id := range survivors {
		for i := range j {
			if sim := Jaccard(sigs[i], sigs[j]); sim >= p.Threshold {
				rejected = append(rejected, sample.Rejected{ID: id, Unit: sample.UnitFunction,
					Stage: sample.StageDedup, Reason: ReasonNear,
					Detail: fmt.Sprintf("%s jaccard=%.3f", survivors[i], sim)})
				continue next
			}
		}
		kept = append(kept, id)
	}
	return kept, rejected
}

// runDedup runs Dedup on fns and asserts kept IDs, rejections and
// conservation (every input ID exactly once across both outputs). It
// returns the "dedup" counters by name.
func runDedup(t *testing.T, fns []sample.Function, p Params, wantKept []string, wantRejected []sample.Rejected) map[string]int64 {
	t.Helper()
	pipe, s := beam.NewPipelineWithRoot()
	in := beam.CreateList(s, fns)
	kept, rejected := Dedup(s, in, p)
	keptIDs := beam.ParDo(s, functionID, kept)
	passert.Equals(s, keptIDs, anySlice(wantKept)...)
	passert.Equals(s, rejected, anySlice(wantRejected)...)
	var allIDs []string
	for _, f := range fns {
		allIDs = append(allIDs, f.ID)
	}
	all := beam.Flatten(s, keptIDs, beam.ParDo(s, rejectedID, rejected))
	passert.Equals(s, all, anySlice(allIDs)...)
	res, err := ptest.RunWithMetrics(pipe)
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	counters := map[string]int64{}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Namespace() == "dedup" {
			counters[c.Name()] += c.Result()
		}
	}
	return counters
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func fn(id, code string) sample.Function { return sample.Function{ID: id, Code: code} }

func TestExactPipeline(t *testing.T) {
	a := "def f(x):\n    return x + 1\n"
	aFormatted := "def f( x ):\n    '''Add one.'''\n    # comment\n    return x+1"
	b := "def f(x):\n    return x + 2\n"
	fns := []sample.Function{fn("f3", a), fn("f1", aFormatted), fn("f2", a), fn("g", b), fn("h", "")}
	wantRejected := []sample.Rejected{
		{ID: "f2", Unit: "function", Stage: sample.StageDedup, Reason: ReasonExact, Detail: "f1"},
		{ID: "f3", Unit: "function", Stage: sample.StageDedup, Reason: ReasonExact, Detail: "f1"},
	}
	// Every arrival order must pick the same survivor.
	for seed := range uint64(3) {
		shuffled := slices.Clone(fns)
		rand.New(rand.NewPCG(seed, 7)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		t.Run(fmt.Sprint("order", seed), func(t *testing.T) {
			got := runDedup(t, shuffled, Params{}, []string{"f1", "g", "h"}, wantRejected)
			want := map[string]int64{"exact_in": 5, "exact_kept": 3, "exact_duplicate": 2,
				"near_in": 3, "near_no_tokens": 1, "near_kept": 3}
			for name, v := range want {
				if got[name] != v {
					t.Errorf("counter %s = %d, want %d (all: %v)", name, got[name], v, got)
				}
			}
		})
	}
}

func TestNearPipelinePlanted(t *testing.T) {
	demo := demoFunctions(t)
	fns := slices.Clone(demo)
	planted := map[string]string{} // copy ID -> original ID
	for _, i := range []int{0, 5, 50, 200, 400, 600, 859} {
		orig := demo[i]
		cp := orig
		cp.ID = "zz-copy-of-" + orig.ID
		cp.Code = "# copied\n" + pytoktest.Reindent(pytoktest.RenameBound(orig.Code, "_r"), 2)
		fns = append(fns, cp)
		planted[cp.ID] = orig.ID
	}
	// A hand-made family: the original, a renamed copy and a reformatted
	// copy with one-line blocks, plus an unrelated function.
	imports := []string{"import numpy as np"}
	for id, code := range map[string]string{"mv-a": original, "mv-b": renamed, "mv-c": reformatted, "nr-a": different} {
		fns = append(fns, sample.Function{ID: id, Code: code, Imports: imports})
	}
	planted["mv-b"], planted["mv-c"] = "mv-a", "mv-a"
	wantKept, wantRejected := oracle(fns, Params{})
	if !slices.Contains(wantKept, "nr-a") || !slices.Contains(wantKept, "mv-a") {
		t.Errorf("original or unrelated function not kept")
	}
	// The oracle itself must see each planted copy as a duplicate of its
	// original (or of whatever the original duplicates) ...
	rejected := map[string]sample.Rejected{}
	for _, r := range wantRejected {
		rejected[r.ID] = r
	}
	for cp, orig := range planted {
		r, ok := rejected[cp]
		if !ok {
			t.Errorf("planted copy %s not a near duplicate", cp)
			continue
		}
		if _, origRejected := rejected[orig]; !origRejected && !strings.HasPrefix(r.Detail, orig+" ") {
			t.Errorf("copy %s: detail %q, want neighbour %s", cp, r.Detail, orig)
		}
	}
	// ... and distinct functions survive: most of the demo set is kept.
	if len(wantKept) < len(demo)-60 {
		t.Errorf("only %d of %d demo functions kept", len(wantKept), len(demo))
	}
	t.Logf("demo+planted: %d in, %d kept, %d rejected", len(fns), len(wantKept), len(wantRejected))
	// The Beam pipeline must agree with the brute-force oracle, whatever
	// the input order.
	for seed := range uint64(2) {
		shuffled := slices.Clone(fns)
		rand.New(rand.NewPCG(seed, 11)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		t.Run(fmt.Sprint("order", seed), func(t *testing.T) {
			got := runDedup(t, shuffled, Params{}, wantKept, wantRejected)
			if got["exact_in"] != int64(len(fns)) || got["near_kept"] != int64(len(wantKept)) ||
				got["exact_duplicate"]+got["near_duplicate"] != int64(len(wantRejected)) {
				t.Errorf("counters %v disagree with %d in, %d kept, %d rejected",
					got, len(fns), len(wantKept), len(wantRejected))
			}
		})
	}
}
