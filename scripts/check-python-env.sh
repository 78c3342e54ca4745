#!/usr/bin/env bash
# Reports which of BigCodeBench's libraries (pyast/filter/
# bigcodebench-libraries.txt, one import name per line) import under the
# sandbox's interpreter, and which are missing. Exit status 0 either way:
# the report is informational; missing libraries become env_error verdicts.
#   usage: scripts/check-python-env.sh [python]   (default /usr/bin/python3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="${1:-/usr/bin/python3}"
list="$root/pyast/filter/bigcodebench-libraries.txt"
[ -r "$list" ] || { echo "missing $list" >&2; exit 2; }
sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' |
  MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 "$py" -I -c '
import importlib, sys, warnings
warnings.simplefilter("ignore")
names = [l.strip() for l in sys.stdin if l.strip()]
ok, missing = [], []
for n in names:
    try:
        importlib.import_module(n)
        ok.append(n)
    except BaseException as e:
        missing.append((n, "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")))
for n in ok:
    print("ok       %s" % n)
for n, why in missing:
    print("missing  %-20s %s" % (n, why[:100]))
print("summary: %d of %d BigCodeBench libraries import under %s; %d missing" % (len(ok), len(names), sys.executable, len(missing)))
'
