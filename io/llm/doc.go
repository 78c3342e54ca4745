// Package llm is unitcoder's access to OpenAI-compatible chat completion
// servers (vLLM, SGLang, TGI, Ollama, OpenAI) for the three LLM stages:
// test generation, fixing and refinement.
//
// In: a Role and the messages rendered by Prompts.Render from a
// PromptInput (the function code, its tests and failing tracebacks).
// Out: a Completion holding the role's N candidate texts plus what the
// call cost (prompt/completion tokens, HTTP requests, retries, latency,
// cache hits), which the Beam DoFns turn into metrics. ExtractCode then
// takes the Python code out of each candidate.
//
// Throughput and faults. All clients in a process that share a base URL
// share one semaphore (Config.MaxConcurrency) bounding requests in flight;
// a slot is held only while a request is on the wire, never while backing
// off. A call ends in one of three ways only: with an answer, with a
// sample-level failure, or with ErrOutage (or canceled, when its context
// ends). Sample-level failures are not retried and get their own Kind:
// bad_request (400/422 and other 4xx, e.g. a replay with no recording),
// malformed_response, empty_choices, truncated (every choice ended with
// finish_reason "length"; truncated choices are dropped and counted in
// Completion.Truncated). Infrastructure failures (Kind.Infrastructure:
// connection errors, 5xx, 401/403, 404, attempts slower than
// Config.Timeout) and rate limits (429) are retried with jittered
// exponential backoff (Config.BackoffBase, BackoffMax), honouring
// Retry-After; past Config.MaxRetries the call is stalled and keeps
// retrying, and it gives up with ErrOutage (KindOutage, wrapping the last
// cause) once it has been failing for Config.OutageTimeout. Clients that
// share a base URL also share a circuit breaker: Config.BreakerThreshold
// consecutive infrastructure failures open it, and then calls wait instead
// of sending requests, one probe at a time going out with growing backoff
// (capped at Config.ProbeIntervalMax); any answer closes it, and once it
// has been open for OutageTimeout waiting and new calls fail with
// ErrOutage. Outages lists the open breakers for a progress display;
// OutagePauses counts how often one opened. Preflight checks an endpoint
// (reachable, key accepted, model served) in seconds, before a run.
// Reason(err) gives the reject reason; ErrOutage is never a sample's.
// The API key is read from Config.APIKeyEnv (default
// UNITCODER_LLM_API_KEY, then OPENAI_API_KEY); it is never logged and is
// redacted from every error, even when a server echoes it back.
//
// Candidates. n is sent to the server; when a server ignores it and
// returns fewer choices, follow-up requests fetch the rest (at most
// Config.MaxFallbackRequests). A follow-up that brings only texts already
// received (a deterministic server, or a replay with fewer recorded
// candidates than asked) ends the loop, and the call returns fewer texts.
//
// Cache. With Config.Cache set, each candidate is stored under
// CacheKey(model, messages, params, index): a rerun asking for K
// candidates finds K entries and makes no request, and asking for more
// candidates later pays only for the new ones. Indices a server could not
// fill are stored as "missing" so reruns do not ask again. The cache lives
// in a local directory (temp file + rename) or under gs://bucket/prefix
// (OpenCache; honours STORAGE_EMULATOR_HOST). Each file carries a SHA-256
// of its entry; truncated, unparseable or mismatched files are treated as
// misses and overwritten.
//
// Prompts. prompts/{testgen,fix,refine}.tmpl are embedded text/templates,
// each defining "system" and "user"; LoadPrompts(dir) lets files in dir
// override them (the --prompts flag). Each system message carries
// RoleMarker(role), which the replay server uses to tell roles apart, and
// the code under work is always the first fenced block of the user
// message; overriding templates must keep both for replay to work.
package llm
