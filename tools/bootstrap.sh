#!/usr/bin/env bash
# Installs the Debian packages AlphaLab builds against (and, with --tests, those the
# tests run against), when missing. Idempotent and quiet when everything is installed.
set -euo pipefail

# To build and run: the lists in tools/packages/ (the Containerfile installs the same ones).
packages=()
for list in tools/packages/build.txt tools/packages/runtime.txt; do
    while read -r p; do packages+=("$p"); done < <(grep -v '^#' "$(dirname "$0")/../$list" | grep -v '^$')
done
if [ "${1:-}" = "--tests" ]; then
    # slurm-wlm and munge: the cluster tests start a one-node Slurm cluster (tools/slurm/local-cluster.sh);
    # postgresql: the store tests start a throwaway server (tools/postgres/local-server.sh).
    # chromium and chromium-driver: the run browser's tests drive a real headless browser (selenium).
    packages+=(slurm-wlm munge postgresql chromium chromium-driver)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing system packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
