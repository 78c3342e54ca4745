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
// Jobs are not batched: each is handed to the worker's shared sandbox pool
// as it arrives and its result emitted as soon as it is done, from the
// bundle's goroutine (package inflight), so a slow job delays only itself
// and the pool's workers never idle while jobs are pending in the process.
//
// One sandbox pool serves every DoFn instance in a worker process
// (SharedPool), so warm Python workers are started once per process, not
// once per bundle. Flags: --workers, --timeout, --coverage, --isolation.
package verify
