package batching

import (
	"context"
	"fmt"
	"hash/fnv"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/state"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/timers"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/sample"
)

func init() {
	register.DoFn2x0[sample.Sample, func(int64, sample.Sample)](&keySampleFn{})
	register.Emitter2[int64, sample.Sample]()
	RegisterBatching[sample.Sample]()
}

// RegisterBatching registers the batching DoFn for element type T; call it
// from the init of a package that batches T.
func RegisterBatching[T any]() {
	register.DoFn7x1[context.Context, beam.Window, state.Provider, timers.Provider, int64, T, func(int64, []T), error](&batchFn[T]{})
	register.Emitter2[int64, []T]()
}

// Batches groups PCollection<Sample> into PCollection<KV<int64, []Sample>>
// of at most size samples, keyed into parallelism groups.
func Batches(s beam.Scope, samples beam.PCollection, size, parallelism int) beam.PCollection {
	if parallelism <= 0 {
		parallelism = 8
	}
	keyed := beam.ParDo(s, &keySampleFn{Parallelism: parallelism}, samples)
	return GroupIntoBatches[sample.Sample](s, keyed, size)
}

// GroupIntoBatches batches PCollection<KV<int64, T>> per key into
// PCollection<KV<int64, []T>> of at most size elements (16 if size <= 0).
//
// It is a stateful DoFn: elements are added to a per-key bag, and an
// event-time timer at the end of the window reads the bag once and emits
// it in batches of size. No processing-time timer is used: those hang on
// prism and Dataflow ignores them in batch mode. Batches are not emitted
// early, when full, on purpose: on prism v2.77 a bag that is read, cleared
// and added to again within one bundle returns the cleared elements again,
// which duplicated and lost samples (Beam's own batch.GroupIntoBatches,
// which flushes that way, stalls on prism with elements pending). The cost
// is a barrier: a stage starts once its input is complete, as after a
// GroupByKey. Memory per key is bounded by spreading work over more keys.
func GroupIntoBatches[T any](s beam.Scope, keyed beam.PCollection, size int) beam.PCollection {
	s = s.Scope("GroupIntoBatches")
	if size <= 0 {
		size = 16
	}
	return beam.ParDo(s, &batchFn[T]{
		Buffer: state.MakeBagState[T]("buffer"),
		Flush:  timers.InEventTime("flush"),
		Size:   size,
	}, keyed)
}

// batchFn is the stateful batching DoFn.
type batchFn[T any] struct {
	Buffer state.Bag[T]
	Flush  timers.EventTime
	Size   int `json:"size"`
}

func (fn *batchFn[T]) ProcessElement(ctx context.Context, w beam.Window, sp state.Provider, tp timers.Provider,
	key int64, v T, emit func(int64, []T)) error {
	fn.Flush.Set(tp, w.MaxTimestamp().ToTime())
	if err := fn.Buffer.Add(sp, v); err != nil {
		return fmt.Errorf("batch %d: add: %w", key, err)
	}
	return nil
}

func (fn *batchFn[T]) OnTimer(ctx context.Context, ts beam.EventTime, sp state.Provider, tp timers.Provider,
	key int64, timer timers.Context, emit func(int64, []T)) error {
	buf, _, err := fn.Buffer.Read(sp)
	if err != nil {
		return fmt.Errorf("batch %d: read: %w", key, err)
	}
	for start := 0; start < len(buf); start += fn.Size {
		emit(key, buf[start:min(start+fn.Size, len(buf))])
	}
	return fn.Buffer.Clear(sp)
}

type keySampleFn struct {
	Parallelism int `json:"parallelism"`
}

func (fn *keySampleFn) ProcessElement(x sample.Sample, emit func(int64, sample.Sample)) {
	emit(Key(x.Function.ID, fn.Parallelism), x)
}

// Key returns a stable key in [0, n) for an id.
func Key(id string, n int) int64 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int64(h.Sum32() % uint32(n))
}

// Params is how a batched stage groups its elements.
type Params struct {
	// BatchSize is the number of elements one ProcessElement call handles.
	BatchSize int `json:"batch_size"`
	// Parallelism is the number of keys batches form under; it bounds how
	// many batches of a stage are in flight at once.
	Parallelism int `json:"parallelism"`
}
