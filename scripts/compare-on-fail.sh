#!/usr/bin/env bash
# Runs synthesize on the demo's 16 recorded functions (replay of the real
# model's answers) once per --on_fail mode and prints, for each, the
# records by origin, the LLM tokens per verified program and the adequacy
# distribution: the measurement behind the --on_fail default (README,
# "Test adequacy").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
DEMO=${UNITCODER_DEMO_DATA:-../shared/data/unitcoder-demo}
OUT=${OUT:-out/on-fail}
BIN=bin/unitcoder
go build -o "$BIN" ./pipelines/unitcoder
rm -rf "$OUT" && mkdir -p "$OUT"

RECORDINGS="$DEMO/stage2_passed.jsonl,$DEMO/stage2_failed.jsonl,$DEMO/stage3_polished.jsonl"
source scripts/replay-lib.sh
start_replay "$BIN" "$OUT" "$RECORDINGS"
recorded_ids "$DEMO" > "$OUT/ids.txt"

for mode in fix prune prune_then_fix; do
  echo "compare-on-fail: --on_fail=$mode"
  # No cache: every mode pays for its own answers, so tokens compare.
  "$BIN" synthesize --input="$DEMO/stage1_functions.jsonl" --filter=false --select_ids="$OUT/ids.txt" \
    --output="$OUT/$mode" --llm_url="$REPLAY_URL" --llm_model=unitcoder-demo-replay \
    --on_fail="$mode" --progress=off "$@" > "$OUT/$mode.log" 2>&1 || { tail -20 "$OUT/$mode.log"; exit 1; }
done

/usr/bin/python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
print()
print("| --on_fail | records | original | pruned | fixed | near misses | LLM tokens | tokens per verified program | median mutation score | mean | vacuous | flaky |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for mode in ["fix", "prune", "prune_then_fix"]:
    st = json.load(open(os.path.join(out, mode, "stats.json")))
    a = st.get("adequacy") or {}
    o = a.get("records_by_origin", {})
    llm = st.get("llm") or {}
    tokens = llm.get("prompt_tokens", 0) + llm.get("completion_tokens", 0)
    acc = st["functions"]["accepted"]
    near = sum(a.get("near_misses", {}).values())
    print(f"| {mode} | {acc} | {o.get('original',0)} | {o.get('pruned',0)} | {o.get('fixed',0)} | {near} | {tokens} | "
          f"{tokens/acc if acc else 0:.0f} | {a.get('median_mutation_score',0):.2f} | {a.get('mean_mutation_score',0):.2f} | "
          f"{a.get('vacuous',0)} | {a.get('flaky',0)} |")
PY
