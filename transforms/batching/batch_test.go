package batching

import (
	"fmt"
	"sort"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/sample"
)

func TestMain(m *testing.M) { ptest.Main(m) }

func init() {
	register.Function3x0(flattenBatch)
	register.Function2x1(batchLen)
	register.Function1x1(one)
	register.Function2x1(add)
	register.Function1x1(batchSizeOK)
	register.Function1x1(enoughBatches)
	register.Emitter1[string]()
}

// flattenBatch emits a batch's ids, so the test can check that every
// sample comes out exactly once.
func flattenBatch(_ int64, batch []sample.Sample, emit func(string)) {
	for _, x := range batch {
		emit(x.Function.ID)
	}
}

func batchLen(_ int64, batch []sample.Sample) int { return len(batch) }

func one(int) int { return 1 }

func add(a, b int) int { return a + b }

func batchSizeOK(n int) bool { return n >= 1 && n <= 4 }

// 103 samples in batches of at most 4 make at least 26 batches.
func enoughBatches(n int) bool { return n >= 26 }

func TestBatchesEmitEverySampleOnceInBoundedBatches(t *testing.T) {
	var in []sample.Sample
	var ids []string
	for i := 0; i < 103; i++ {
		id := fmt.Sprintf("f%03d", i)
		in = append(in, sample.Sample{Function: sample.Function{ID: id}})
		ids = append(ids, id)
	}
	sort.Strings(ids)
	p, s := beam.NewPipelineWithRoot()
	batches := Batches(s, beam.CreateList(s, in), 4, 3)
	passert.Equals(s, beam.ParDo(s, flattenBatch, batches), beam.CreateList(s, ids))
	sizes := beam.ParDo(s, batchLen, batches)
	passert.True(s, sizes, batchSizeOK)
	passert.True(s, beam.Combine(s, add, beam.ParDo(s, one, sizes)), enoughBatches)
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
}
