package progress

import (
	"sync"
	"sync/atomic"
)

// Counter is a named process-wide count.
type Counter struct {
	v atomic.Int64
}

// Add adds n to the counter.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Value is the current count.
func (c *Counter) Value() int64 { return c.v.Load() }

var registry sync.Map // name -> *Counter

// Get returns the counter called name, creating it on first use. Keep the
// result in a package variable where the name is fixed: Add looks it up
// each time.
func Get(name string) *Counter {
	if c, ok := registry.Load(name); ok {
		return c.(*Counter)
	}
	c, _ := registry.LoadOrStore(name, &Counter{})
	return c.(*Counter)
}

// Add adds n to the counter called name.
func Add(name string, n int64) { Get(name).Add(n) }

// Snapshot returns every counter's current value.
func Snapshot() map[string]int64 {
	out := map[string]int64{}
	registry.Range(func(k, v any) bool {
		out[k.(string)] = v.(*Counter).Value()
		return true
	})
	return out
}

// Counter names the stages use.
const (
	// InputBytes is the stored size of the corpus files a run reads, set
	// once by the launcher; InputBytesRead counts the stored bytes read so
	// far (compressed bytes for .gz/.zst), as the reader consumes them.
	InputBytes     = "input_bytes"
	InputBytesRead = "input_bytes_read"
	// FunctionsIn is the number of function rows a run in waves reads,
	// set once its waves are planned; FunctionsEnded counts the rows of
	// the waves that have finished.
	FunctionsIn    = "functions_in"
	FunctionsEnded = "functions_ended"
	Read           = "read"            // corpus rows read
	Extracted      = "extracted"       // functions found
	Kept           = "kept"            // functions that passed retrieval
	Selected       = "selected"        // kept functions sent to the LLM stages (--select_ids)
	TestsGenerated = "tests_generated" // samples with generated tests
	Refined        = "refined"         // samples through the refine LLM call
	Adequacy       = "adequacy"        // samples whose test strength was measured (shown as "measured")
	Records        = "records"         // training records formatted
	// VerifiedRound and PassedRound are prefixes; the round number follows.
	VerifiedRound = "verified_round_"
	PassedRound   = "passed_round_"
	// WrittenPrefix + the output sub-directory ("data", "rejected") counts
	// rows written there.
	WrittenPrefix = "written/"
)
