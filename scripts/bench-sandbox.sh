#!/usr/bin/env bash
# Benchmarks the sandbox: warm Pool vs a fresh python3 per job (RunFresh) on
# HumanEval canonical solutions and on 20 pandas+matplotlib jobs, plus the
# p50 per-job overhead of strict over basic isolation. All figures come from
# one `go test -bench` run and are printed as ratios.
#   usage: scripts/bench-sandbox.sh [benchtime]   (default 3x: three interleaved
#   pool/fresh rounds, which evens out load from other processes)
#          scripts/bench-sandbox.sh --hardening [REF]
#   The second form measures what the verdict hardening costs: warm-pool
#   jobs/s of this tree against a checkout of REF (default 1dcd99f, the
#   sandbox before issue 12), with sandbox/rate_bench_test.go copied into
#   it, on all 164 HumanEval jobs (trivial micro-jobs) and on the twenty
#   pandas+matplotlib jobs with coverage off and on (the pipeline's
#   default), each set run UNITCODER_RATE_ROUNDS times (default 3) per
#   measurement, in six paired rounds (which tree goes first alternates); it
#   prints the median of the rounds' ratios of this tree's rate to REF's,
#   and the same for this tree with workers on small pages (no
#   huge pages: collapse_heap), which is the hardening's own cost.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--hardening" ]; then
  ref="${2:-1dcd99f}"
  base="$(mktemp -d)/base"
  git worktree add --detach "$base" "$ref" >/dev/null
  ln -sfn "$root/../shared" "$(dirname "$base")/shared"
  trap 'git worktree remove --force "$base"' EXIT
  cp sandbox/rate_bench_test.go "$base/sandbox/"
  bins="$(dirname "$base")"
  (cd "$base/sandbox" && go test -c -o "$bins/ref.test" .)
  (cd sandbox && go test -c -o "$bins/this.test" .)
  rate() { (cd "$1/sandbox" && "$2" -test.run '^$' -test.bench "^Benchmark$3\$" -test.benchtime 1x) |
    awk '{ for (i = 2; i < NF; i++) if ($(i+1) == "pool_jobs/s") print $i }' | tail -1; }
  median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f%% (median of %d paired rounds; range %.1f-%.1f%%)", 100 * (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2, NR, 100 * v[1], 100 * v[NR] }'; }
  for bench in PoolRateHumanEval PoolRateHeavy PoolRateHeavyCoverage; do
    ratios="" small=""
    for round in 1 2 3 4 5 6; do
      # Alternate which tree goes first: the machine's speed drifts. This
      # tree also runs on small pages (workers without collapse_heap), which
      # separates the hardening's own cost from what huge pages save.
      if [ $((round % 2)) = 1 ]; then
        o="$(rate "$base" "$bins/ref.test" "$bench")"; n="$(rate "$root" "$bins/this.test" "$bench")"
        s="$(rate "$root" "$bins/this.test" "${bench}SmallPages")"
      else
        s="$(rate "$root" "$bins/this.test" "${bench}SmallPages")"
        n="$(rate "$root" "$bins/this.test" "$bench")"; o="$(rate "$base" "$bins/ref.test" "$bench")"
      fi
      echo "$bench round $round: $ref $o jobs/s, this tree $n jobs/s, this tree on small pages $s jobs/s"
      ratios="$ratios $(awk -v o="$o" -v n="$n" 'BEGIN { print n / o }')"
      small="$small $(awk -v o="$o" -v s="$s" 'BEGIN { print s / o }')"
    done
    echo "$bench: this tree runs $(echo "$ratios" | median) of $ref's jobs/s"
    echo "$bench: on small pages (the hardening alone) $(echo "$small" | median)"
  done
  echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) CPUs;" \
    "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo none)"
  exit 0
fi
out="$(go test ./sandbox/ -run '^$' -bench 'Speedup|StrictOverhead|PreloadCost' -benchtime "${1:-3x}" -count=1 -timeout 30m)"
echo "$out"
metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ b { for (i = 2; i < NF; i++) if ($(i+1) == m) print $i }' | tail -1; }
echo
echo "load average during the run: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "trivial (HumanEval):        pool/fresh = $(metric SpeedupHumanEval speedup_x)x   (target >= 3x)"
echo "heavy (pandas+matplotlib):  pool/fresh = $(metric SpeedupHeavy speedup_x)x   (target >= 10x)"
echo "strict vs basic p50:        $(metric StrictOverhead strict_p50_ms) ms vs $(metric StrictOverhead basic_p50_ms) ms, overhead $(metric StrictOverhead strict_overhead_ms) ms   (target <= 15 ms)"
echo "per-job p50 by preload:     none $(metric PreloadCost none_p50_ms) ms, small $(metric PreloadCost small_p50_ms) ms, default $(metric PreloadCost default_p50_ms) ms"
