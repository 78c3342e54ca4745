#!/usr/bin/env bash
# Peak memory and throughput of `unitcoder extract` on a real-code corpus,
# on the local runner (prism), against the way extract ran before waves,
# in the same script on the same machine:
#   baseline  one job, corpus rows reshuffled after reading (--wave_mb=0
#             --spread_docs=true: the graph before issue 16)
#   one-job   one job, rows not reshuffled (--wave_mb=0)
#   waves     the default: one job per --wave_mb of files, then the merge
#   waves-3x  the default on the corpus three times over
# The corpus is every *.py file under ROOT (default: Debian's
# /usr/lib/python3/dist-packages, 742 MB of third-party code in 36,937
# files once scripts/setup.sh has installed the BigCodeBench packages),
# packed as The Stack-style JSONL shards of 64 MB by scripts/pack_corpus.py.
# The 3x corpus repeats it under other paths: its copies get their own ids
# and dedup rejects them, so it measures the scaling of reading,
# extraction and the wave machinery, not of a corpus three times as varied.
# Peak memory is the kernel's high-water mark of resident memory of the
# process tree (GNU time's %M); throughput is corpus MB per wall second.
# The kept set and every reject must be byte-identical across the 1x runs.
#
#   scripts/bench-memory.sh [ROOT] [WAVE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/usr/lib/python3/dist-packages}
wave=${2:-256}
[[ -d "$root" ]] || { echo "bench-memory: no corpus root $root" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench-memory: needs GNU time (/usr/bin/time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/unitcoder" ./pipelines/unitcoder
/usr/bin/python3 scripts/pack_corpus.py "$work/corpus-1x" 64 1 "$root"
/usr/bin/python3 scripts/pack_corpus.py "$work/corpus-3x" 64 3 "$root"
mb() { du -sb --apparent-size "$1" | awk '{printf "%.1f", $1 / 1e6}'; }
declare -A peak secs size
run() { # NAME CORPUS FLAGS...
	local name=$1 corpus=$2
	shift 2
	rm -rf "$work/out-$name"
	/usr/bin/time -f '%M %e' -o "$work/time-$name" "$work/unitcoder" extract --progress=off \
		--input="$work/$corpus/*.jsonl" --output="$work/out-$name" "$@" > "$work/stdout-$name"
	read -r kb s < "$work/time-$name"
	peak[$name]=$(awk -v k="$kb" 'BEGIN {printf "%.0f", k / 1024}')
	secs[$name]=$s
	size[$name]=$(mb "$work/$corpus")
	printf '%-9s %7s MB corpus  peak %6s MB  %7.1f s  %6.1f MB/s  %s\n' "$name" "${size[$name]}" "${peak[$name]}" "$s" \
		"$(awk -v m="${size[$name]}" -v s="$s" 'BEGIN {print m / s}')" "$(sed -n 's/^extract: //p' "$work/stdout-$name")"
}
run waves corpus-1x --wave_mb="$wave"
run one-job corpus-1x --wave_mb=0
run baseline corpus-1x --wave_mb=0 --spread_docs=true
run waves-3x corpus-3x --wave_mb="$wave"
same=yes
for d in data rejected; do
	for f in "$work/out-baseline/$d"/part-*; do
		for other in one-job waves; do
			cmp -s "$f" "$work/out-$other/$d/$(basename "$f")" || { same=no; echo "differs: $other $d/$(basename "$f")"; }
		done
	done
done
echo
echo "kept set and rejects byte-identical across baseline, one-job and waves: $same"
awk -v pw="${peak[waves]}" -v p3="${peak[waves-3x]}" -v pb="${peak[baseline]}" -v po="${peak[one-job]}" \
	-v sw="${secs[waves]}" -v sb="${secs[baseline]}" -v so="${secs[one-job]}" -v s3="${secs[waves-3x]}" \
	-v m1="${size[waves]}" -v m3="${size[waves-3x]}" 'BEGIN {
	printf "peak memory, waves (1x):          %6d MB  (target <= 3072 MB); baseline %d MB (%.1fx the waves), one job %d MB\n", pw, pb, pb / pw, po
	printf "peak memory, waves 3x / waves 1x:   %.2fx  (target <= 1.3x)\n", p3 / pw
	printf "throughput, waves / baseline:       %.2fx  (%.1f vs %.1f MB/s; target >= 0.9x); one job %.2fx; waves 3x %.1f MB/s\n",
		sb / sw, m1 / sw, m1 / sb, sb / so, m3 / s3 }'
[[ $same == yes ]]
