package dedup

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/sample"
)

// quietLogger drops Beam's informational logs so test output stays
// readable; errors still show.
type quietLogger struct{}

func (quietLogger) Log(ctx context.Context, sev log.Severity, calldepth int, msg string) {
	if sev >= log.SevError {
		fmt.Fprintln(os.Stderr, msg)
	}
}

func TestMain(m *testing.M) {
	log.SetLogger(quietLogger{})
	// beam.Init (run by ptest.Main) sets up log/slog, which prism logs
	// through, at this level.
	log.LogLevel = "warn"
	ptest.Main(m)
}

// demoFunctions reads the UnitCoder demo stage-1 functions: real corpus
// code unrelated to any benchmark.
func demoFunctions(t testing.TB) []sample.Function { return testfixtures.DemoFunctions(t) }
