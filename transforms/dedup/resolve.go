package dedup

import (
	"github.com/unitcoder/unitcoder/pyast/pytok"
	"github.com/unitcoder/unitcoder/sample"
)

// Entry is what cross-wave dedup keeps of one function: its ID, exact key
// and MinHash signature (empty when it has no tokens to shingle). About
// 1 KB with the default 128 permutations, whatever the function's size.
type Entry struct {
	ID       string   `json:"id"`
	ExactKey string   `json:"exact_key"`
	Sig      []uint64 `json:"sig,omitempty"`
}

// NewEntry computes fn's entry, as [Exact] and [Near] key and sign it.
func NewEntry(fn sample.Function, p Params) Entry {
	p = p.WithDefaults()
	e := Entry{ID: fn.ID, ExactKey: pytok.ExactKey(fn.Code)}
	if sh := Shingles(fn.Code, KeepNames(fn), p.Shingle); len(sh) > 0 {
		e.Sig = Signature(sh, p.NumPerm)
	}
	return e
}

// Resolve decides, from the entries of every function that reached dedup
// (gathered across waves, in any order), which are duplicates, by the
// rules of [Dedup]: exact (the smallest ID per key survives), then near
// over the exact survivors. rejects[i] is entries[i]'s reject, if any,
// exactly as Dedup writes it. counters are those Dedup records, keyed
// "dedup/NAME" as runstats.Counters keys them. Invalid p is an error.
// Memory is the entries and one band's keys at a time; the functions
// themselves are not needed.
func Resolve(entries []Entry, p Params) (rejects map[int]sample.Rejected, counters map[string]int64, err error) {
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	rejects = map[int]sample.Rejected{}
	counters = map[string]int64{}
	add := func(name string, n int64) {
		if n != 0 {
			counters["dedup/"+name] += n
		}
	}

	// Exact, as exactFn: per key, a later smaller ID takes over.
	survivor := map[string]int{}
	var losers []int
	for i, e := range entries {
		add("exact_in", 1)
		j, ok := survivor[e.ExactKey]
		switch {
		case !ok:
			survivor[e.ExactKey] = i
		case e.ID < entries[j].ID:
			survivor[e.ExactKey] = i
			losers = append(losers, j)
		default:
			losers = append(losers, i)
		}
	}
	for _, i := range losers {
		surv := entries[survivor[entries[i].ExactKey]].ID
		rejects[i] = sample.RejectFunction(entries[i].ID, sample.StageDedup, ReasonExact, surv)
		add("exact_duplicate", 1)
	}
	add("exact_kept", int64(len(survivor)))

	// Near, over the exact survivors, one band at a time.
	var near []int
	for i := range entries {
		if _, lost := rejects[i]; !lost {
			near = append(near, i)
		}
	}
	best := map[string]edge{}
	for b := 0; b < p.Bands; b++ {
		buckets := map[string][]member{}
		for _, i := range near {
			e := entries[i]
			if len(e.Sig) == 0 {
				continue
			}
			k := bandKey(e.Sig, b, p.Rows)
			buckets[k] = append(buckets[k], member{ID: e.ID, Sig: e.Sig})
		}
		for _, ms := range buckets {
			compared, capped := compareBucket(ms, p, func(id string, e edge) {
				cur, found := best[id]
				best[id], _ = closer(cur, found, e)
			})
			add("near_pairs_compared", compared)
			add("near_bucket_capped", capped)
		}
	}
	for _, i := range near {
		e := entries[i]
		add("near_in", 1)
		if len(e.Sig) == 0 {
			add("near_no_tokens", 1)
		}
		if b, dup := best[e.ID]; dup {
			rejects[i] = nearReject(e.ID, b)
			add("near_duplicate", 1)
			continue
		}
		add("near_kept", 1)
	}
	return rejects, counters, nil
}
