package decontam

import (
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/sample"
)

func TestMain(m *testing.M) {
	// beam.Init (run by ptest.Main) sets up log/slog, which prism logs
	// through, at this level.
	log.LogLevel = "warn"
	ptest.Main(m)
}

func humanEvalPath(t testing.TB) string { return testfixtures.HumanEvalPath(t) }

// humanEvalRows reads the raw HumanEval rows, prompt and solution apart.
func humanEvalRows(t testing.TB) []testfixtures.HumanEvalTask { return testfixtures.HumanEval(t) }

// demoFunctions reads the UnitCoder demo stage-1 functions: real corpus
// code unrelated to any benchmark.
func demoFunctions(t testing.TB) []sample.Function { return testfixtures.DemoFunctions(t) }
