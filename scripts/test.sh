#!/usr/bin/env bash
# Runs all of unitcoder's tests, after installing what they need. This is the
# README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's chromium: report's test opens the HTML run report in a real
# (headless) browser.
export UNITCODER_EXTRA_PACKAGES="${UNITCODER_EXTRA_PACKAGES:-} chromium"
bash scripts/setup.sh
export PATH=/usr/local/go/bin:$PATH
echo "test: go vet"
go vet ./...
echo "test: go test"
# -p 1: packages share 2 cores with their own sandbox pools and prism runs.
set +e
go test -p 1 -count=1 -timeout 25m ./... 2>&1 | grep -vE '^time=.*level=(INFO|DEBUG)'
rc=${PIPESTATUS[0]}
set -e
# The race detector over the code that fans out inside one DoFn call
# (LLM calls of a batch, usage accounting) and the progress reporter's
# goroutine: emitters and Beam's metric cells are not goroutine-safe.
echo "test: go test -race (fan-out and progress)"
set +e
go test -race -p 1 -count=1 -timeout 10m ./io/llm ./io/llm/replay ./transforms/inflight ./transforms/llmcall ./transforms/testgen ./progress 2>&1 |
	grep -vE '^time=.*level=(INFO|DEBUG)'
race=${PIPESTATUS[0]}
set -e
if [[ "$rc" -eq 0 ]]; then rc=$race; fi
exit "$rc"
