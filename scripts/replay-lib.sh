# Shared by demo.sh and compare-on-fail.sh; sourced, not run.
#
# start_replay BIN OUTDIR RECORDINGS: starts `BIN llm-replay` on a free
# loopback port with the recorded answers, waits until it serves, kills it
# when the shell exits, and sets REPLAY_URL to its API base URL.
start_replay() {
  local bin=$1 outdir=$2 recordings=$3 port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" llm-replay --recordings="$recordings" --model=unitcoder-demo-replay --addr="127.0.0.1:$port" > "$outdir/llm-replay.log" 2>&1 &
  REPLAY_PID=$!
  trap 'kill $REPLAY_PID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    if /usr/bin/python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/v1/models')" 2>/dev/null; then break; fi
    sleep 0.1
  done
  REPLAY_URL="http://127.0.0.1:$port/v1"
}

# recorded_ids DEMO: the ids of the functions the authors' run recorded,
# one per line: only these can go to the LLM stages, since the replay
# server has answers for nothing else.
recorded_ids() {
  cat "$1/stage2_passed.jsonl" "$1/stage2_failed.jsonl" \
    | /usr/bin/python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in sys.stdin if l.strip()]'
}
