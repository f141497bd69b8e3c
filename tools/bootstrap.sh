#!/usr/bin/env bash
# Installs the Debian packages AlphaLab builds and tests against, when missing.
# Idempotent and quiet when everything is already installed.
set -euo pipefail

# slurm-wlm and munge: the cluster tests start a one-node Slurm cluster (tools/slurm/local-cluster.sh).
packages=(liblua5.4-dev libxgboost-dev libedit-dev libsqlite3-dev pkg-config sqlite3 slurm-wlm munge)
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
