#!/usr/bin/env bash
# Installs everything unitcoder needs on a fresh Debian 12 machine: the
# sandbox's Python environment (Debian packages listed in
# sandbox/debian-packages.txt) and the Go modules. Safe to rerun: it installs
# only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(scripts/debian-packages.sh sandbox/debian-packages.txt)
# The build's own needs: tree-sitter is C, so Go must find a C compiler
# (cgo; -race needs it too). Without one Go turns cgo off and the build fails.
build="gcc libc6-dev"
extra=${UNITCODER_EXTRA_PACKAGES:-}
missing=()
for p in $packages $build $extra; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then export PATH=/usr/local/go/bin:$PATH; else
    echo "setup: Go is not installed (need go >= 1.26)" >&2; exit 1; fi
fi
go mod download
echo "setup: ready ($(/usr/bin/python3 --version), $(go version | awk '{print $3}'))"
