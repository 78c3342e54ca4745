package dedup

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/unitcoder/unitcoder/pyast/pytok/pytoktest"
	"github.com/unitcoder/unitcoder/sample"
)

// TestResolveAgreesWithPipeline: the cross-wave resolution, given the
// entries of the demo functions plus planted exact and near copies in any
// order (as waves deliver them: a copy before its original), rejects what
// the brute-force oracle and the Beam pipeline reject, with the same
// details and the same counters.
func TestResolveAgreesWithPipeline(t *testing.T) {
	demo := demoFunctions(t)
	fns := slices.Clone(demo)
	for _, i := range []int{0, 5, 50, 200, 400, 600, 859} {
		cp := demo[i]
		cp.ID = "zz-copy-of-" + demo[i].ID
		cp.Code = "# copied\n" + pytoktest.Reindent(pytoktest.RenameBound(demo[i].Code, "_r"), 2)
		fns = append(fns, cp)
	}
	for _, i := range []int{1, 7, 300} {
		cp := demo[i]
		cp.ID = "aa-exact-" + demo[i].ID // a smaller id: the copy survives
		cp.Code = "# vendored\n" + demo[i].Code
		fns = append(fns, cp)
	}
	fns = append(fns, fn("tokenless", ""), fn("tokenless-2", ""))
	wantKept, wantRejected := oracle(fns, Params{})
	sortRejects := func(rs []sample.Rejected) {
		sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	}
	sortRejects(wantRejected)
	pipelineCounters := runDedup(t, fns, Params{}, wantKept, wantRejected)
	for seed := range uint64(3) {
		shuffled := slices.Clone(fns)
		rand.New(rand.NewPCG(seed, 3)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		t.Run(fmt.Sprint("order", seed), func(t *testing.T) {
			entries := make([]Entry, len(shuffled))
			for i, f := range shuffled {
				entries[i] = NewEntry(f, Params{})
			}
			rejects, counters, err := Resolve(entries, Params{})
			if err != nil {
				t.Fatal(err)
			}
			var got []sample.Rejected
			for i, r := range rejects {
				if r.ID != entries[i].ID {
					t.Errorf("reject %s stands at entry %d, which is %s", r.ID, i, entries[i].ID)
				}
				got = append(got, r)
			}
			sortRejects(got)
			if !reflect.DeepEqual(got, wantRejected) {
				t.Errorf("Resolve rejects %d, oracle %d; they differ", len(got), len(wantRejected))
			}
			want := map[string]int64{}
			for k, v := range pipelineCounters {
				want["dedup/"+k] = v
			}
			if !reflect.DeepEqual(counters, want) {
				t.Errorf("counters %v, pipeline %v", counters, want)
			}
		})
	}
}
