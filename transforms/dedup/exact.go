package dedup

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/state"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/timers"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/pyast/pytok"
	"github.com/unitcoder/unitcoder/sample"
)

// ReasonExact is the Rejected.Reason of an exact duplicate; its Detail is
// the surviving function's ID.
const ReasonExact = "exact_duplicate"

var (
	exactIn   = beam.NewCounter("dedup", "exact_in")
	exactKept = beam.NewCounter("dedup", "exact_kept")
	exactDup  = beam.NewCounter("dedup", "exact_duplicate")
)

func init() {
	register.Function1x2(exactKeyFn)
	register.DoFn8x1[context.Context, beam.Window, state.Provider, timers.Provider, string, sample.Function, func(sample.Function), func(sample.Rejected), error](&exactFn{})
	register.Emitter1[sample.Function]()
	register.Emitter1[sample.Rejected]()
}

// Exact keeps one function per normalized content (pytok.ExactKey) and
// rejects the others with ReasonExact. The survivor is the smallest ID in
// its group, so the result does not depend on arrival order.
func Exact(s beam.Scope, in beam.PCollection) (kept, rejected beam.PCollection) {
	s = s.Scope("ExactDedup")
	keyed := beam.ParDo(s, exactKeyFn, in)
	return beam.ParDo2(s, &exactFn{
		Survivor: state.MakeValueState[sample.Function]("survivor"),
		Others:   state.MakeBagState[string]("others"),
		Flush:    timers.InEventTime("flush"),
	}, keyed)
}

// exactKeyFn keys a function by the hash of its normalized code.
func exactKeyFn(fn sample.Function) (string, sample.Function) {
	return pytok.ExactKey(fn.Code), fn
}

// exactFn is the stateful DoFn keyed by content hash. Per key it holds the
// smallest-ID function seen so far and the IDs of all the others; an
// event-time timer at the end of the window (for batch: when all input has
// been read) emits the survivor and rejects the rest naming it. Only IDs of
// losers are stored, so state per key is one function plus short strings.
type exactFn struct {
	Survivor state.Value[sample.Function]
	Others   state.Bag[string]
	Flush    timers.EventTime
}

// ProcessElement files fn under its key and arms the end-of-window timer.
func (f *exactFn) ProcessElement(ctx context.Context, w beam.Window, sp state.Provider, tp timers.Provider,
	key string, fn sample.Function, keep func(sample.Function), reject func(sample.Rejected)) error {
	exactIn.Inc(ctx, 1)
	f.Flush.Set(tp, w.MaxTimestamp().ToTime())
	cur, ok, err := f.Survivor.Read(sp)
	if err != nil {
		return fmt.Errorf("exact dedup: read survivor of %s: %w", key, err)
	}
	loser := fn.ID
	if !ok || fn.ID < cur.ID {
		if err := f.Survivor.Write(sp, fn); err != nil {
			return fmt.Errorf("exact dedup: write survivor %s: %w", fn.ID, err)
		}
		if !ok {
			return nil
		}
		loser = cur.ID
	}
	if err := f.Others.Add(sp, loser); err != nil {
		return fmt.Errorf("exact dedup: add %s: %w", loser, err)
	}
	return nil
}

// OnTimer emits the survivor and one rejection per other ID, then clears
// the key's state.
func (f *exactFn) OnTimer(ctx context.Context, ts beam.EventTime, sp state.Provider, tp timers.Provider,
	key string, timer timers.Context, keep func(sample.Function), reject func(sample.Rejected)) error {
	surv, ok, err := f.Survivor.Read(sp)
	if err != nil || !ok {
		return fmt.Errorf("exact dedup: timer for %s without survivor (ok=%v): %v", key, ok, err)
	}
	others, _, err := f.Others.Read(sp)
	if err != nil {
		return fmt.Errorf("exact dedup: read others of %s: %w", key, err)
	}
	keep(surv)
	exactKept.Inc(ctx, 1)
	for _, id := range others {
		reject(sample.RejectFunction(id, sample.StageDedup, ReasonExact, surv.ID))
		exactDup.Inc(ctx, 1)
	}
	if err := f.Survivor.Clear(sp); err != nil {
		return fmt.Errorf("exact dedup: clear %s: %w", key, err)
	}
	return f.Others.Clear(sp)
}
