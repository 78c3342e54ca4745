package dedup

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/sample"
)

// ReasonNear is the Rejected.Reason of a near duplicate; its Detail names
// the neighbour with the smaller ID and the estimated Jaccard similarity.
const ReasonNear = "near_duplicate"

var (
	nearIn       = beam.NewCounter("dedup", "near_in")
	nearNoTokens = beam.NewCounter("dedup", "near_no_tokens")
	nearKept     = beam.NewCounter("dedup", "near_kept")
	nearDup      = beam.NewCounter("dedup", "near_duplicate")
	nearCapped   = beam.NewCounter("dedup", "near_bucket_capped")
	nearCompared = beam.NewCounter("dedup", "near_pairs_compared")
)

// member is one function's entry in an LSH bucket.
type member struct {
	ID  string
	Sig []uint64
}

// edge says that the keyed function is a verified near duplicate of
// Neighbour, which has a smaller ID.
type edge struct {
	Neighbour string
	Sim       float64
}

func init() {
	beam.RegisterType(reflect.TypeOf((*member)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*edge)(nil)).Elem())
	register.DoFn3x0[context.Context, sample.Function, func(string, member)](&bandFn{})
	register.DoFn4x0[context.Context, string, func(*member) bool, func(string, edge)](&bucketFn{})
	register.DoFn6x0[context.Context, string, func(*sample.Function) bool, func(*edge) bool, func(sample.Function), func(sample.Rejected)](&resolveFn{})
	register.Function1x2(idKeyFn)
	register.Emitter2[string, member]()
	register.Emitter2[string, edge]()
	register.Iter1[member]()
	register.Iter1[edge]()
	register.Iter1[sample.Function]()
}

// Near rejects functions whose MinHash-estimated Jaccard similarity to a
// function with a smaller ID reaches p.Threshold (ReasonNear). It panics at
// construction if p (after WithDefaults) is invalid, like other Beam
// transforms do for bad parameters.
//
// Nothing is held globally: signatures are spread over LSH band buckets
// (GroupByKey), each bucket verifies its pairs, and the resulting edges are
// joined back to the functions by ID (CoGroupByKey).
func Near(s beam.Scope, in beam.PCollection, p Params) (kept, rejected beam.PCollection) {
	s = s.Scope("NearDedup")
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		panic(err)
	}
	bands := beam.ParDo(s, &bandFn{Params: p}, in)
	edges := beam.ParDo(s, &bucketFn{Params: p}, beam.GroupByKey(s, bands))
	byID := beam.ParDo(s, idKeyFn, in)
	return beam.ParDo2(s, &resolveFn{}, beam.CoGroupByKey(s, byID, edges))
}

func idKeyFn(fn sample.Function) (string, sample.Function) { return fn.ID, fn }

// bandFn computes a function's signature and files it under each band key.
type bandFn struct {
	Params Params
}

// ProcessElement emits (band key, member) once per band. Functions without
// tokens are not filed: they cannot be compared and are kept.
func (f *bandFn) ProcessElement(ctx context.Context, fn sample.Function, emit func(string, member)) {
	nearIn.Inc(ctx, 1)
	sh := Shingles(fn.Code, KeepNames(fn), f.Params.Shingle)
	if len(sh) == 0 {
		nearNoTokens.Inc(ctx, 1)
		return
	}
	sig := Signature(sh, f.Params.NumPerm)
	for _, k := range BandKeys(sig, f.Params.Bands, f.Params.Rows) {
		emit(k, member{ID: fn.ID, Sig: sig})
	}
}

// bucketFn verifies the candidate pairs of one LSH bucket.
type bucketFn struct {
	Params Params
}

// ProcessElement emits, for each member, an edge to the smallest-ID member
// before it whose estimated similarity reaches the threshold.
func (f *bucketFn) ProcessElement(ctx context.Context, key string, iter func(*member) bool, emit func(string, edge)) {
	var ms []member
	var m member
	for iter(&m) {
		ms = append(ms, m)
	}
	compared, capped := compareBucket(ms, f.Params, func(id string, e edge) { emit(id, e) })
	if capped > 0 {
		nearCapped.Inc(ctx, capped)
	}
	if compared > 0 {
		nearCompared.Inc(ctx, compared)
	}
}

// compareBucket finds, for each member of one LSH bucket, the first
// member with a smaller ID (in ID order) whose estimated Jaccard
// similarity reaches the threshold, and reports it as an edge. The bucket
// is sorted, repeated IDs collapse and only the first p.MaxBucket members
// are compared. It returns the pairs compared and the members capped.
// Beam's [Near] and the cross-wave [Resolve] both call it, so they agree.
func compareBucket(ms []member, p Params, emit func(id string, e edge)) (compared, capped int64) {
	if len(ms) < 2 {
		return 0, 0
	}
	slices.SortFunc(ms, func(a, b member) int { return strings.Compare(a.ID, b.ID) })
	ms = slices.CompactFunc(ms, func(a, b member) bool { return a.ID == b.ID })
	if len(ms) > p.MaxBucket {
		capped = int64(len(ms) - p.MaxBucket)
		ms = ms[:p.MaxBucket]
	}
	for j := 1; j < len(ms); j++ {
		for i := range j {
			compared++
			if sim := Jaccard(ms[i].Sig, ms[j].Sig); sim >= p.Threshold {
				emit(ms[j].ID, edge{Neighbour: ms[i].ID, Sim: sim})
				break
			}
		}
	}
	return compared, capped
}

type resolveFn struct{}

// ProcessElement rejects the function if any edge reached it, naming the
// smallest-ID neighbour across all buckets so the result is deterministic.
func (f *resolveFn) ProcessElement(ctx context.Context, id string, fns func(*sample.Function) bool,
	edges func(*edge) bool, keep func(sample.Function), reject func(sample.Rejected)) {
	var best edge
	found := false
	var e edge
	for edges(&e) {
		best, found = closer(best, found, e)
	}
	var fn sample.Function
	for fns(&fn) {
		if !found {
			nearKept.Inc(ctx, 1)
			keep(fn)
			continue
		}
		nearDup.Inc(ctx, 1)
		reject(nearReject(fn.ID, best))
	}
}

// closer keeps, of the edges seen so far and e, the one to the smallest
// neighbour ID: the kept function a near duplicate is reported against.
func closer(best edge, found bool, e edge) (edge, bool) {
	if !found || e.Neighbour < best.Neighbour {
		return e, true
	}
	return best, true
}

// nearReject is the reject of a near duplicate of best.Neighbour.
func nearReject(id string, best edge) sample.Rejected {
	return sample.RejectFunction(id, sample.StageDedup, ReasonNear,
		fmt.Sprintf("%s jaccard=%.3f", best.Neighbour, best.Sim))
}
