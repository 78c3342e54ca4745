// Package llmcall is what the LLM stages (test generation, fix rounds,
// refinement) share: the per-process client built from serialisable
// parameters, and LLM accounting (tokens and latency as Beam metrics,
// recorded from the DoFn's own goroutine).
package llmcall
