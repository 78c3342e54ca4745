#!/usr/bin/env bash
# Extraction throughput per core: pyast/extract (Go, tree-sitter)
# against scripts/extract_baseline.py (CPython ast), on the same corpus,
# in the same run, each on one pinned core. Throughput is bytes per second
# of the process's own CPU time (so other load on the machine does not
# distort it); wall-clock MB/s is printed alongside. Rounds alternate the
# two; the best round of each counts. Each round also runs the parse floor
# (BenchmarkParseFloorStdlib: the statement scan plus tree-sitter's parse
# alone, tree discarded), whose ratio to the baseline is the ceiling any
# extraction built on tree-sitter-python could reach.
#
#   scripts/bench-extract.sh [ROOT] [ROUNDS]   # ROOT defaults to /usr/lib/python3.11
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/usr/lib/python3.11}
rounds=${2:-3}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench-extract: ROUNDS must be a positive integer, got '$rounds'" >&2
  exit 2
fi
core=${BENCH_CORE:-0}
bin=$(mktemp -d)/extract.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./pyast/extract/

best_go=0 best_py=0 best_floor=0
for r in $(seq "$rounds"); do
  go_out=$(cd pyast/extract && EXTRACT_BENCH_ROOT=$root GOMAXPROCS=1 taskset -c "$core" "$bin" \
    -test.run '^$' -test.bench '^BenchmarkExtractStdlib$' -test.benchtime 2x -test.cpu 1 | grep '^BenchmarkExtractStdlib')
  go_mbs=$(awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "cpu-MB/s") print $i}' <<<"$go_out")
  go_wall=$(awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "MB/s") print $i}' <<<"$go_out")
  floor_out=$(cd pyast/extract && EXTRACT_BENCH_ROOT=$root GOMAXPROCS=1 taskset -c "$core" "$bin" \
    -test.run '^$' -test.bench '^BenchmarkParseFloorStdlib$' -test.benchtime 2x -test.cpu 1 | grep '^BenchmarkParseFloorStdlib')
  floor_mbs=$(awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "cpu-MB/s") print $i}' <<<"$floor_out")
  floor_pct=$(awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "%parsed") print $i}' <<<"$floor_out")
  py_out=$(taskset -c "$core" /usr/bin/python3 scripts/extract_baseline.py "$root")
  py_mbs=$(sed -n 's/.*cpu-MB\/s=\([0-9.]*\).*/\1/p' <<<"$py_out")
  py_wall=$(sed -n 's/.* MB\/s=\([0-9.]*\).*/\1/p' <<<"$py_out")
  echo "round $r: go ${go_mbs} MB/s cpu (${go_wall} wall), python ${py_mbs} MB/s cpu (${py_wall} wall), parse floor ${floor_mbs} MB/s cpu"
  best_go=$(awk -v a="$best_go" -v b="$go_mbs" 'BEGIN {print (b > a) ? b : a}')
  best_floor=$(awk -v a="$best_floor" -v b="$floor_mbs" 'BEGIN {print (b > a) ? b : a}')
  best_py=$(awk -v a="$best_py" -v b="$py_mbs" 'BEGIN {print (b > a) ? b : a}')
done
awk -v g="$best_go" -v p="$best_py" -v f="$best_floor" -v pct="$floor_pct" 'BEGIN {
  printf "extract (Go, tree-sitter):  %.2f MB/s per core\n", g
  printf "baseline (Python ast):      %.2f MB/s per core\n", p
  printf "ratio:                      %.2fx\n", g / p
  printf "parse floor (scan + tree-sitter parse of %s%% of the bytes, tree discarded): %.2f MB/s per core\n", pct, f
  printf "ceiling ratio (floor / baseline): %.2fx\n", f / p }'
