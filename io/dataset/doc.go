// Package dataset writes and reads unitcoder's sharded JSONL outputs.
//
// WriteShards takes rows (an id and one JSON line) and writes them as
// DIR/part-SSSSS-of-NNNNN.jsonl.zst, with the shard chosen by hash(id) % N and
// rows sorted by id inside a shard. The same rows therefore always produce
// byte-identical files, so a retried bundle rewrites the same file, and a
// rerun of a pipeline can be compared with the first run byte for byte.
// Every shard is written, even an empty one, so a reader always sees the
// complete set. Local files are written to a temporary name and renamed;
// gs:// objects become visible atomically when their writer closes.
//
// Unlike Beam's textio.Write, which funnels all rows through one key into one
// file, the shards are written in parallel. A shard's rows are held in memory
// while it is sorted, so choose enough shards that one fits comfortably in a
// worker (the pipelines' --shards flag).
//
// After each shard it tells the function set with OnRowsWritten how many
// rows went into which directory, so a live display can count them without
// this package knowing about it.
//
// ReadLines reads such files back (plain, .gz or .zst, local or gs://), which
// is how stats and tests count what a run produced.
package dataset
