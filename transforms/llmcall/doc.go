// Package llmcall is what the LLM stages (test generation, fix rounds,
// refinement) share: the one stage skeleton (Stage: set-up, calls in
// flight across the bundle, usage metrics, emitting) that runs each role's
// own logic (a Role), the per-process client built from serialisable
// parameters, and LLM accounting (tokens, latency and busy time as Beam
// metrics, recorded from the bundle's own goroutine).
package llmcall
