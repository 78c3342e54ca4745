#!/usr/bin/env bash
# The README's main command: the UnitCoder pipeline on the authors' demo data.
#
# Without UNITCODER_LLM_URL it starts the replay LLM server on loopback, which
# answers with the recorded outputs of the real model the UnitCoder authors ran
# (their released demo), and runs on prism:
#   1. extract:    package-based retrieval over all 860 stage-1 functions;
#   2. synthesize: test generation, verification, fix rounds and refinement
#                  over the 16 functions the authors' run recorded.
# With UNITCODER_LLM_URL (and UNITCODER_LLM_MODEL) set, it runs synthesize on
# all 860 functions against that OpenAI-compatible endpoint instead. The API
# key, if the endpoint needs one, is read from UNITCODER_LLM_API_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH=/usr/local/go/bin:$PATH

DEMO=${UNITCODER_DEMO_DATA:-../shared/data/unitcoder-demo}
OUT=${UNITCODER_DEMO_OUT:-out/demo}
BIN=bin/unitcoder
echo "demo: building $BIN"
go build -o "$BIN" ./pipelines/unitcoder
rm -rf "$OUT"
mkdir -p "$OUT"

if [ -n "${UNITCODER_LLM_URL:-}" ]; then
  : "${UNITCODER_LLM_MODEL:?set UNITCODER_LLM_MODEL to the model name the endpoint serves}"
  echo "demo: synthesize on all 860 functions with $UNITCODER_LLM_URL ($UNITCODER_LLM_MODEL)"
  "$BIN" synthesize --input="$DEMO/stage1_functions.jsonl" --output="$OUT/synthesis" \
    --llm_url="$UNITCODER_LLM_URL" --llm_model="$UNITCODER_LLM_MODEL" --llm_cache="$OUT/llm-cache"
  exit 0
fi

echo
echo "demo: 1/2 retrieval over the 860 stage-1 functions"
"$BIN" extract --input="$DEMO/stage1_functions.jsonl" --output="$OUT/retrieval"

RECORDINGS="$DEMO/stage2_passed.jsonl,$DEMO/stage2_failed.jsonl,$DEMO/stage3_polished.jsonl"
source scripts/replay-lib.sh
start_replay "$BIN" "$OUT" "$RECORDINGS"
recorded_ids "$DEMO" > "$OUT/recorded-ids.txt"

echo
echo "demo: 2/2 synthesis over the $(wc -l < "$OUT/recorded-ids.txt") recorded functions (replay of a real model's answers)"
# Stage-1 rows were retrieved by UnitCoder's own filter already, so ours is
# skipped here (--filter=false); step 1 shows what it would keep.
"$BIN" synthesize --input="$DEMO/stage1_functions.jsonl" --filter=false --select_ids="$OUT/recorded-ids.txt" \
  --output="$OUT/synthesis" --llm_url="$REPLAY_URL" --llm_model=unitcoder-demo-replay \
  --llm_cache="$OUT/llm-cache"
echo
echo "demo: done. Verified programs: $OUT/synthesis/data/  rejects: $OUT/synthesis/rejected/  stats: $OUT/synthesis/stats.json"
