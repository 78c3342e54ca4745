// Package batching hands each ProcessElement call of the LLM and sandbox
// stages a batch of elements to fan out: a keyed, size-only batching
// stateful DoFn, and the one parameter set (batch size, keys) every
// batched stage takes.
//
// Batches are formed per key with an event-time timer at the end of the
// window, never with processing-time timers: those hang on prism and are
// ignored by Dataflow in batch mode. Within a batch, calls run
// concurrently, so one slow call does not hold up the others the way
// UnitCoder's awaited batches of 16 do.
package batching
