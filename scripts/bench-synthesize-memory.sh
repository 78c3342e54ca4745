#!/usr/bin/env bash
# Peak memory and throughput of `synthesize` on the local runner (prism)
# against an instant model (the replay server's simulator, latency 0), in
# waves of the default --wave_rows at two sizes and as one job at the
# smaller size, in the same process on the same machine; every size
# repeats the first size's functions under new ids, so sizes differ only
# in how many rows they hold
# (BenchmarkSynthesizeMemory). Memory is the Go process's VmHWM plus the
# sandbox's summed Pss (its warm workers and the job processes they fork);
# the largest single job is printed apart, since a program under test may
# allocate up to --memory_mb whatever the run's size.
#
# First it runs BenchmarkMergeSynthesisWaves (about a minute): the merge of
# 20 and 60 heavy waves (10K and 30K records), streaming against the
# merge that held a shard, the part of a run whose work grows with its size.
#
#   scripts/bench-synthesize-memory.sh [SIZES [WAVE_ROWS]]
#   scripts/bench-synthesize-memory.sh merge    # the merge benchmark only
# SIZES: comma-separated function counts (default 10000,30000: their waves
# took 40 minutes and 1 hour 47 minutes on 2 cores, and the one job at
# 10000 comes on top); WAVE_ROWS: the wave size
# (default: the binary's --wave_rows default). UNITCODER_BENCH_MEMORY_WAVE_MB
# sets the waves' byte cap (default: the binary's --wave_mb; 0: rows only);
# UNITCODER_BENCH_MEMORY_ROWS_ONLY=1 also runs the first size in waves cut
# by rows alone.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
merge="$(go test ./pipelines/ -run '^$' -bench 'BenchmarkMergeSynthesisWaves' -benchtime 1x -count=1 -timeout 60m 2>&1)" || status=$?
echo "$merge" | grep -v 'level=INFO'
[[ $status == 0 ]] || { echo "merge benchmark failed" >&2; exit "$status"; }
echo "$merge" | awk '$1 ~ /MergeSynthesisWaves/ { split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); for (i = 2; i < NF; i++) if ($(i+1) == "peak_above_start_MB") m[p[2] "/" p[3]] = $i }
END {
	printf "merge, peak above start: streaming %.0f MB at 10K, %.0f MB at 30K (%.2fx; flat: ~1x); holding a shard %.0f and %.0f MB (%.2fx)\n",
		m["streaming/10000"], m["streaming/30000"], m["streaming/30000"] / m["streaming/10000"],
		m["holding_shards/10000"], m["holding_shards/30000"], m["holding_shards/30000"] / m["holding_shards/10000"] }'
[[ "${1:-}" == merge ]] && exit 0
export UNITCODER_BENCH_MEMORY_SIZES=${1:-10000,30000}
[[ -n "${2:-}" ]] && export UNITCODER_BENCH_MEMORY_WAVE_ROWS=$2
out="$(go test ./pipelines/ -run '^$' -bench 'BenchmarkSynthesizeMemory' -benchtime 1x -count=1 -timeout 600m 2>/dev/null)" || status=$?
echo "$out" | grep -v 'level=INFO'
metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ b { for (i = 2; i < NF; i++) if ($(i+1) == m) print $i }' | tail -1; }
IFS=, read -r -a sizes <<<"$UNITCODER_BENCH_MEMORY_SIZES"
small=${sizes[0]}
large=${sizes[${#sizes[@]}-1]}
echo
runs=("waves/$small" "waves/$large" "one_job/$small")
[[ "${UNITCODER_BENCH_MEMORY_ROWS_ONLY:-}" == 1 ]] && runs+=("waves_rows_only/$small")
for run in "${runs[@]}"; do
	echo "$run: $(metric "$run-" total_MB) MB = Go $(metric "$run-" go_peak_MB) MB (at start $(metric "$run-" go_start_MB))" \
		"+ sandbox $(metric "$run-" sandbox_pss_MB) MB (workers $(metric "$run-" sandbox_workers_MB) MB, largest job $(metric "$run-" largest_job_MB) MB);" \
		"$(metric "$run-" waves) waves; $(metric "$run-" samples/s) samples/s; lost $(metric "$run-" lost)"
	lost="$(metric "$run-" lost)"
	awk -v x="$lost" 'BEGIN { exit !(x != "" && x + 0 == 0) }' || status=1
done
awk -v gs="$(metric "waves/$small-" go_peak_MB)" -v gl="$(metric "waves/$large-" go_peak_MB)" \
	-v ws="$(metric "waves/$small-" sandbox_workers_MB)" -v wl="$(metric "waves/$large-" sandbox_workers_MB)" \
	-v ts="$(metric "waves/$small-" total_MB)" -v tl="$(metric "waves/$large-" total_MB)" \
	-v go1="$(metric "one_job/$small-" go_peak_MB)" \
	-v sw="$(metric "waves/$small-" samples/s)" -v so="$(metric "one_job/$small-" samples/s)" 'BEGIN {
	printf "waves, %s / %s functions: Go peak %.2fx, Go + sandbox workers %.2fx, total %.2fx (flat: ~1x)\n", "'"$large"'", "'"$small"'", gl / gs, (gl + wl) / (gs + ws), tl / ts
	printf "Go + sandbox workers, waves at %s functions: %.0f MB (target <= 1024 MB); one job at %s: Go %.0f MB\n", "'"$large"'", gl + wl, "'"$small"'", go1
	printf "throughput, waves / one job at %s functions: %.2fx (%.2f vs %.2f samples/s; target >= 0.9x)\n", "'"$small"'", sw / so, sw, so }'
exit "$status"
