#!/usr/bin/env bash
# Mutation analysis throughput: the same mutants (of 20 HumanEval canonical
# solutions, then of pandas-heavy functions) through the warm sandbox pool,
# as the adequacy stage runs them, against a fresh python3 per mutant, as
# mutmut and cosmic-ray do (BenchmarkMutantThroughput in adequacy/); then,
# with --share, the adequacy stage's share of synthesize's wall time
# (BenchmarkSynthesizeMutationShare in pipelines/: the 1K stdlib functions,
# or UNITCODER_BENCH_MUTATION_FUNCTIONS of them, without and with the
# stage, against an instant and a latent simulated model).
#   usage: scripts/bench-mutation.sh [--share]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
out="$(go test ./adequacy/ -run '^$' -bench BenchmarkMutantThroughput -benchtime 1x -count=1 2>/dev/null)"
echo "$out" | grep Benchmark
metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ b { for (i = 2; i < NF; i++) if ($(i+1) == m) print $i }' | tail -1; }
for set in humaneval pandas; do
	echo "$set: $(metric "/$set" mutants) mutants ($(metric "/$set" timeouts) time out): warm pool $(metric "/$set" warm_mutants/s) mutants/s," \
		"fresh python3 $(metric "/$set" fresh_mutants/s) mutants/s: $(metric "/$set" warm/fresh)x"
done
if [[ "${1:-}" == "--share" ]]; then
	share="$(go test ./pipelines/ -run '^$' -bench BenchmarkSynthesizeMutationShare -benchtime 1x -count=1 -timeout 180m 2>/dev/null | grep -v 'level=INFO')"
	echo "$share" | grep Benchmark
fi
