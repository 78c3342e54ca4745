// Package replay is an OpenAI-compatible chat completions server
// (POST /v1/chat/completions, GET /v1/models) that answers from the
// recordings of the UnitCoder demo run, so the whole pipeline can be run
// and tested offline with real model outputs.
//
// In: demo JSONL rows (LoadRecordings: stage2_passed, stage2_failed,
// stage3_polished; duplicate ids are read once). Out: replies wrapped as a
// ```python block, as a model would send them.
//
// Matching. The role comes from the llm.RoleMarker line the templates put
// in the system message; the code is the first fenced block of the user
// message, compared after normalization (no blank lines, no trailing
// spaces), falling back to the code without its top-level import lines.
//   - testgen: keyed by original.code, answers original.test_code.
//   - fix: round 1 is keyed by original.code, round r > 1 by each recorded
//     round r-1 candidate; answers that round's recorded candidates, one
//     per choice. Asked for more than were recorded, it returns those it
//     has (fewer choices); the client's fallback then sees only repeats and
//     keeps fewer candidates.
//   - refine: keyed by every recorded code of the row, answers
//     polish.code. Rows without a polish (some demo rows have none) have
//     no refine recording.
//
// A prompt without a recording is answered 400 with an OpenAI error body
// naming why (no role marker, no code block, no recording for this code);
// never a made-up success.
//
// Endpoint faults. Options.APIKey makes the server require a bearer key
// (401 otherwise); Options.StrictModel makes it answer 404, as vLLM does,
// to a chat request naming another model than Options.Model (GET
// /v1/models lists that one model); Options.Outages take it down after N
// chat requests, for a while or for good, resetting connections or
// answering 503 (ParseOutage reads one from a flag value), and
// Server.SetDown does the same by hand.
//
// Tests. Options.Faults inject 429 (with Retry-After), 500, slow replies,
// malformed JSON, truncated content, empty choices, connection resets and a
// 401 that echoes request headers, for the first N requests or every k-th.
// Options.Simulator makes it a capacity simulator for benchmarks: C
// requests served at once, the rest queued, each holding its slot for
// latency L or, with a sigma, a seeded lognormal draw of mean L; it
// answers any prompt with a small reply by role (testgen: a unittest class
// whose test calls each of the code's functions with placeholder arguments
// and passes against any code that loads, without being vacuous; fix and
// refine: the
// prompt's code echoed back), so a pipeline run against it takes the
// success path through every stage. Stats counts requests in
// total, per role and per status, the highest concurrency seen, the
// requests served, busy (slot) time, queue wait and utilization; GET
// /stats sends it as JSON. Token usage in replies is estimated as bytes/4.
package replay
