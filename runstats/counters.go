package runstats

import "github.com/apache/beam/sdks/v2/go/pkg/beam"

// Counter names a Beam counter. The transforms that count and the
// accounting that reads the counts back share these declarations, so a
// name is spelled once.
type Counter struct{ Namespace, Name string }

// Key is the counter's "namespace/name", as Counters keys it.
func (c Counter) Key() string { return c.Namespace + "/" + c.Name }

// Beam is the Beam counter to increment.
func (c Counter) Beam() beam.Counter { return beam.NewCounter(c.Namespace, c.Name) }

// The counters the accounting reads.
var (
	// RowsEmitted and RowsRejected count corpus rows read and refused.
	RowsEmitted  = Counter{"read", "rows_emitted"}
	RowsRejected = Counter{"read", "rows_rejected"}
	// FilesParsed counts corpus rows whose source parsed.
	FilesParsed = Counter{"extract", "files_parsed"}
	// FunctionsFound counts functions extracted from the corpus.
	FunctionsFound = Counter{"extract", "functions_found"}
	// ClosureRescued counts functions the filter kept whose program
	// carries same-file definitions (a dependency closure): before
	// closures they were rejected as not self-contained.
	ClosureRescued = Counter{"filter", "closure_rescued"}
	// LoadJobs counts load-only sandbox jobs (synthesize --load_check).
	LoadJobs = Counter{"load", "jobs"}
	// FunctionsRead counts function rows read by synthesize --functions.
	FunctionsRead = Counter{"read", "functions"}
	// SandboxBusyMicros sums the time (µs) sandbox jobs held a worker.
	SandboxBusyMicros = Counter{"verify", "busy_us"}
	// The adequacy checks: suites measured, the sandbox jobs they ran,
	// mutants counted and killed, and mutants that measured nothing.
	AdequacySamples = Counter{"adequacy", "samples"}
	AdequacyJobs    = Counter{"adequacy", "jobs"}
	AdequacyMutants = Counter{"adequacy", "mutants"}
	AdequacyKilled  = Counter{"adequacy", "mutants_killed"}
	AdequacyInvalid = Counter{"adequacy", "mutants_invalid"}
)

// LLMUsage names the usage counters of one LLM role's calls, each under
// the namespace LLMNamespace(role): tokens (what the answers cost, and
// what this run paid), requests, cache hits and calls.
var LLMUsage = [...]string{LLMPromptTokens, LLMCompletionTokens, LLMPaidPromptTokens,
	LLMPaidCompletionTokens, LLMRequests, LLMCachedCandidates, LLMCalls, LLMBusyMicros}

// The LLM usage counter names.
const (
	LLMPromptTokens         = "prompt_tokens"
	LLMCompletionTokens     = "completion_tokens"
	LLMPaidPromptTokens     = "paid_prompt_tokens"
	LLMPaidCompletionTokens = "paid_completion_tokens"
	LLMRequests             = "requests"
	LLMCachedCandidates     = "cached_candidates"
	LLMCalls                = "calls"
	// LLMBusyMicros sums the calls' HTTP request durations (llm.Completion's
	// RequestTime, µs): the endpoint's busy time.
	LLMBusyMicros = "busy_us"
	// LLMLatency is the distribution of call latencies in milliseconds.
	LLMLatency = "latency_ms"
)

// LLMCounter is the usage counter name of role's calls.
func LLMCounter(role, name string) Counter { return Counter{LLMNamespace(role), name} }

// LLMNamespace is the metrics namespace of one role's LLM calls.
func LLMNamespace(role string) string { return "llm_" + role }
