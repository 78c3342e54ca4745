// Package verify runs code against its unit tests in the sandbox, as Beam
// transforms.
//
// In: PCollection<sandbox.Job>. Out: PCollection<sandbox.Result>, exactly one
// per job. A job the sandbox itself cannot run (the pool failed to start,
// a worker would not start, the pool was closed, the bundle was cancelled)
// is an infrastructure
// fault, never the code's: the stage fails the bundle, which stops the run
// with the cause, instead of emitting a result that would reject the
// sample.
//
// Jobs are keyed into Params.Parallelism groups and batched with Beam's
// size-only GroupIntoBatches (no processing-time timers: they hang on
// prism). Each batch is fanned out over the worker's shared sandbox pool
// with at most pool-size jobs in flight, and results are emitted from the
// ProcessElement goroutine, since Beam emitters are not goroutine-safe.
//
// One sandbox pool serves every DoFn instance in a worker process
// (SharedPool), so warm Python workers are started once per process, not
// once per bundle. Flags: --workers, --timeout, --coverage, --isolation,
// --batch_size.
package verify
