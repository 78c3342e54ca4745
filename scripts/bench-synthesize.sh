#!/usr/bin/env bash
# End-to-end benchmark of the synthesis pipeline on prism with an instant
# model (the replay server's capacity simulator, latency 0): 1K functions
# retrieved from Debian's Python 3.11 stdlib go testgen -> sandbox verify ->
# refine -> re-verify -> write. Prints samples/s, the per-sample overhead
# against the raw sandbox pool measured in the same run, and peak memory;
# then what live progress costs (BenchmarkSynthesizeProgress: 200-function
# runs with the reporter off, in log mode and in bars mode, same process).
# Then the same 1K functions against a model with real latencies
# (BenchmarkSynthesizeLatentModel: C=32, lognormal mean 2 s, sigma 1.0),
# against the two bounds no schedule can beat (LLM-bound, sandbox-bound).
#   usage: scripts/bench-synthesize.sh [--10k]
#   --10k also runs 10K functions (UNITCODER_BENCH_10K=1; tens of minutes
#   on a 2-core machine). See docs/bench-synthesize.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${1:-}" == "--10k" ]]; then
	export UNITCODER_BENCH_10K=1
fi
load_before="$(cut -d" " -f1-3 /proc/loadavg)"
# Prism logs INFO lines on stderr; keep them out of the figures.
# A conservation failure fails the benchmark but its figures still print.
status=0
out="$(go test ./pipelines/ -run '^$' -bench 'BenchmarkSynthesize' -benchtime 1x -count=1 -timeout 120m 2>/dev/null)" || status=$?
echo "$out" | grep -v 'level=INFO'
metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ b { for (i = 2; i < NF; i++) if ($(i+1) == m) print $i }' | tail -1; }
echo
echo "load average before / after: $load_before / $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) CPUs"
for size in 1K 10K; do
	sps="$(metric "Synthesize/$size" samples/s)"
	[[ -z "$sps" ]] && continue
	echo "$size functions: $sps samples/s ($(metric "Synthesize/$size" ms/sample) ms/sample, $(metric "Synthesize/$size" accepted) records)"
	echo "   sandbox: pipeline $(metric "Synthesize/$size" pipeline_jobs/s) jobs/s vs pool alone $(metric "Synthesize/$size" pool_jobs/s) jobs/s;" \
		"pipeline time / pool-only time = $(metric "Synthesize/$size" overhead_x)x, overhead $(metric "Synthesize/$size" overhead_ms/sample) ms/sample"
	echo "   peak memory: Go process $(metric "Synthesize/$size" go_peak_MB) MB ($(metric "Synthesize/$size" go_peak_KB/sample) KB/sample)," \
		"sandbox workers (summed Pss) $(metric "Synthesize/$size" sandbox_pss_MB) MB"
	lost="$(metric "Synthesize/$size" lost)"
	echo "   functions with no output row (conservation; must be 0): $lost"
	awk -v x="$lost" 'BEGIN { exit !(x + 0 == 0) }' || status=1
done
ratio="$(metric "SynthesizeProgress" log/off)"
if [[ -n "$ratio" ]]; then
	echo "live progress ($(metric "SynthesizeProgress" s/run-off) s per 200-function run with it off):" \
		"time with log lines / off = ${ratio}x, with bars / off = $(metric "SynthesizeProgress" bars/off)x (medians)"
fi
bound="$(metric "SynthesizeLatentModel" wall/bound)"
if [[ -n "$bound" ]]; then
	echo "1K functions, simulated model (C=32, lognormal latency mean 2 s, sigma 1.0): wall $(metric "SynthesizeLatentModel" wall_s) s;" \
		"LLM-bound $(metric "SynthesizeLatentModel" llm_bound_s) s, sandbox-bound $(metric "SynthesizeLatentModel" sandbox_bound_s) s;" \
		"wall / larger bound = ${bound}x (target <= 1.25);" \
		"busy: LLM $(metric "SynthesizeLatentModel" llm_busy_share), sandbox $(metric "SynthesizeLatentModel" sandbox_busy_share)"
fi
exit "$status"
