// Package progress shows a local run moving: process-local counters that
// the stage DoFns increment next to their Beam counters, and a reporter
// that polls them and prints stage counts with rates and an ETA.
//
// Beam's own metrics reach the launcher only when the job ends, so live
// progress cannot come from them. On prism (the default runner here) the
// DoFns run in the launcher's process, so an atomic counter they increment
// is visible to a reporter goroutine at once. On a distributed runner
// (Dataflow, Flink) the DoFns run elsewhere and these counters stay at zero
// in the launcher; the runner's own UI shows progress there.
//
// In: counter names (Add, Get). Out: lines on a writer, or live bars
// (github.com/vbauerster/mpb) when it is a terminal. A counter costs one
// atomic add per increment; BenchmarkSynthesizeProgress and
// BenchmarkExtractProgress in pipelines measure whole pipelines with the
// reporter in each mode against it off.
//
// Tuning: the commands' --progress=auto|bars|log|off (auto: bars on a
// terminal, log lines otherwise) and --progress_interval.
package progress
