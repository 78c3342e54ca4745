#!/usr/bin/env bash
# Benchmarks `unitcoder verify` on heavy-tailed work (scripts/heavy_tail_jobs.py:
# 164 HumanEval suites of ~0.1 s, 20 pandas+matplotlib jobs, and a tail of
# CPU-bound and waiting jobs of 2-30 s, shuffled with a fixed seed).
#   efficiency = wall / (sum of the jobs' own durations / workers); 1.0 is a
#   schedule with no idle worker. Target <= 1.15.
# The same job set runs, in the same script, through a build of REF (default
# 781dd9e: batches of 16 under 8 keys with an end-of-window barrier), for the
# baseline ratio.
#   usage: scripts/bench-verify.sh [REF]
#          scripts/bench-verify.sh --oversubscribe
#   The second form runs a job set whose tests mostly sleep (retry back-offs)
#   with --workers = cores x 1, 2, 4 and 8, reports the wall-time ratio to
#   cores x 1, and checks every verdict: the CPU-bound jobs in the set must
#   still pass and the endless loops must still time out.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
humaneval="$root/../shared/data/humaneval/HumanEval.jsonl.gz"
go build -o "$tmp/unitcoder" ./pipelines/unitcoder
cores="$(nproc)"

# verify_run BIN JOBS WORKERS TIMEOUT NAME: runs verify, prints
# "wall sum_s rows statuses" for the run.
verify_run() {
  local out="$tmp/out-$5"
  rm -rf "$out"
  "$1" verify --input="$2" --output="$out" --workers="$3" --timeout="$4" --shards=1 >"$tmp/$5.log" 2>&1 ||
    { cat "$tmp/$5.log" >&2; exit 1; }
  local wall
  wall="$(sed -n 's/^verify: [0-9]* rows in \([0-9.]*\)s.*/\1/p' "$tmp/$5.log")"
  python3 - "$out" "$wall" <<'PY'
import collections, glob, json, sys
rows = [json.loads(l) for f in glob.glob(sys.argv[1] + "/part-*") for l in open(f)]
by = collections.Counter(r["status"] for r in rows)
bad = [r["id"] for r in rows if r["id"].startswith("must-time-out/") != (r["status"] == "timeout")]
print(sys.argv[2], sum(r["duration_ms"] for r in rows) / 1000, len(rows),
      ",".join("%s=%d" % kv for kv in sorted(by.items())), ",".join(bad) or "-")
PY
}

if [ "${1:-}" = "--oversubscribe" ]; then
  python3 scripts/heavy_tail_jobs.py "$humaneval" sandbox/testdata/heavy_jobs.py "$tmp/waits.jsonl" --waits-only
  base=""
  for k in 1 2 4 8; do
    w=$((cores * k))
    read -r wall sum rows statuses bad < <(verify_run "$tmp/unitcoder" "$tmp/waits.jsonl" "$w" 10s "w$w")
    [ -z "$base" ] && base="$wall"
    echo "workers=$w ($k x $cores cores): wall ${wall}s, ${rows} rows ($statuses), wall vs ${cores} workers $(awk -v a="$wall" -v b="$base" 'BEGIN { printf "%.2f", a / b }'), misjudged: $bad"
    [ "$bad" = "-" ] || status=1
  done
  echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $cores CPUs"
  exit "${status:-0}"
fi

ref="${1:-781dd9e}"
python3 scripts/heavy_tail_jobs.py "$humaneval" sandbox/testdata/heavy_jobs.py "$tmp/jobs.jsonl"
wt="$tmp/ref"
git worktree add --detach "$wt" "$ref" >/dev/null
ln -sfn "$root/../shared" "$tmp/shared"
trap 'git worktree remove --force "$wt"' EXIT
(cd "$wt" && go build -o "$tmp/ref-unitcoder" ./pipelines/unitcoder)
report() {
  awk -v n="$1" -v wall="$2" -v sum="$3" -v w="$cores" -v rows="$4" -v st="$5" 'BEGIN {
    printf "%-10s wall %6.1fs  jobs summed %6.1fs  ideal %6.1fs  efficiency (wall / ideal) %.2f   %d rows: %s\n",
      n, wall, sum, sum / w, wall / (sum / w), rows, st }'
}
read -r wall sum rows statuses _ < <(verify_run "$tmp/unitcoder" "$tmp/jobs.jsonl" "$cores" 120s this)
report "this tree" "$wall" "$sum" "$rows" "$statuses"
read -r rwall rsum rrows rstatuses _ < <(verify_run "$tmp/ref-unitcoder" "$tmp/jobs.jsonl" "$cores" 120s ref)
report "$ref" "$rwall" "$rsum" "$rrows" "$rstatuses"
awk -v a="$wall" -v b="$rwall" 'BEGIN { printf "wall time, this tree / %s: %.2f (target efficiency <= 1.15)\n", "'"$ref"'", a / b }'
# What the warm pool is worth on this set: pool vs a fresh python3 per job,
# same jobs, same run (sandbox/bench_test.go, coverage off, 2 workers).
out="$(UNITCODER_HEAVY_TAIL_JOBS="$tmp/jobs.jsonl" go test ./sandbox/ -run '^$' -bench 'SpeedupHeavyTailed' -benchtime 1x -count=1 -timeout 30m)"
echo "$out" | grep -E '^Benchmark'
echo "$out" | awk '/^Benchmark/ { for (i = 2; i < NF; i++) if ($(i+1) == "speedup_x") printf "heavy-tailed set: pool / fresh python3 per job = %sx jobs/s\n", $i }'
echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $cores CPUs"
