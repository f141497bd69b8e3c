#!/usr/bin/env bash
# Submits an AlphaLab script as a cluster run: an array job of N shards, each training
# its cost-balanced share of the script's trainings into the shared disk cache, then
# the script itself, warm, once the whole array has succeeded.
#
#   tools/slurm/submit.sh [--shards N] [--sweep] [--wait] [--sbatch "OPTIONS"] SCRIPT [script options]
#
# --shards N      array size (default 4); `alphalab plan --shards N SCRIPT ...` shows the split
# --sweep         after the training array, a second array runs the script's runs (a grid)
#                 N ways and stores their results; the final job then only merges them
# --wait          wait for the final job and exit with its status
# --sbatch "..."  extra sbatch options for both jobs (partition, account, time limit)
# $ALPHALAB       the alphalab binary every node runs (default: alphalab on PATH)
#
# The script's --cache folder must be on a filesystem every node mounts (NFS is fine).
# Prints the jobs' ids. Job logs: alphalab-shard-<array>_<task>.out (alphalab-sweep-... for
# --sweep) and alphalab-final-<job>.out in the folder sbatch was called from.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=4 sweep=0 wait=() extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --shards) shards=${2:?--shards needs a number}; shift 2 ;;
    --wait) wait=(--wait); shift ;;
    --sweep) sweep=1; shift ;;
    --sbatch) read -r -a extra <<< "${2:?--sbatch needs options}"; shift 2 ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || { echo "usage: submit.sh [--shards N] [--sweep] [--wait] [--sbatch OPTIONS] SCRIPT [script options]" >&2; exit 2; }
case "$shards" in ''|*[!0-9]*|0) echo "submit.sh: --shards must be a positive number, got '$shards'" >&2; exit 2 ;; esac

array=$(sbatch --parsable "${extra[@]}" --array=0-$((shards - 1)) "$here/shard.sbatch" "$@")
array=${array%%;*}
echo "array job $array: $shards shards"
if [ "$sweep" = 1 ]; then
    array=$(sbatch --parsable "${extra[@]}" --array=0-$((shards - 1)) --dependency=afterok:"$array" --kill-on-invalid-dep=yes \
        "$here/sweep.sbatch" "$@")
    array=${array%%;*}
    echo "sweep array job $array: $shards shards"
fi
# If a shard fails, the dependency can never be met: cancel the final job instead of leaving it pending.
final=$(sbatch --parsable "${extra[@]}" --dependency=afterok:"$array" --kill-on-invalid-dep=yes "${wait[@]}" "$here/final.sbatch" "$@")
echo "final job ${final%%;*}"
