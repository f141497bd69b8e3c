#!/usr/bin/env bash
# Runs an AlphaLab script on Kubernetes: an Indexed Job of N shard pods training the
# script's planned trainings into a shared volume's disk cache, then, once it has
# completed, one job running the script warm.
#
#   tools/k8s/run.sh --image IMAGE [--shards N] [--cpus C] [--volume CLAIM] [--name NAME] [--dry-run] \
#       -- SCRIPT [script options]
#
# IMAGE holds `alphalab` on its PATH and the script; CLAIM (default alphalab-shared) is a
# ReadWriteMany volume (NFS and the like), mounted at /shared and used as the working
# folder, so relative paths (results/, results/cache) land on it. --dry-run prints the
# two manifests instead of applying them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image="" shards=4 cpus=1 volume=alphalab-shared name=alphalab dry=0
while [ $# -gt 0 ]; do
    case "$1" in
    --image) image=${2:?--image needs a value}; shift 2 ;;
    --shards) shards=${2:?--shards needs a value}; shift 2 ;;
    --cpus) cpus=${2:?--cpus needs a value}; shift 2 ;;
    --volume) volume=${2:?--volume needs a value}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --) shift; break ;;
    *) echo "run.sh: unknown option $1 (the script and its options go after --)" >&2; exit 2 ;;
    esac
done
[ -n "$image" ] && [ $# -ge 1 ] || { echo "usage: run.sh --image IMAGE [--shards N] [--cpus C] [--volume CLAIM] [--name NAME] [--dry-run] -- SCRIPT [options]" >&2; exit 2; }
case "$shards" in ''|*[!0-9]*|0) echo "run.sh: --shards must be a positive number, got '$shards'" >&2; exit 2 ;; esac

# The commands as YAML flow sequences of double-quoted strings: the script's, and a shard
# pod's (--shard, an interpreter option, before the script). (Replacements are quoted:
# bash 5.2 would read an unquoted & in them as the matched text.)
flow() {
    local words="" word
    for word in "$@"; do
        word=${word//'\'/'\\'}
        word=${word//'"'/'\"'}
        words+="${words:+, }\"$word\""
    done
    printf '%s' "$words"
}
command=$(flow alphalab "$@")
shard_command=$(flow alphalab --shard auto "$@")
render() {
    local text
    text=$(<"$1")
    text=${text//@NAME@/"$name"}
    text=${text//@IMAGE@/"$image"}
    text=${text//@SHARDS@/"$shards"}
    text=${text//@CPUS@/"$cpus"}
    text=${text//@VOLUME@/"$volume"}
    text=${text//@SHARD_COMMAND@/"$shard_command"}
    text=${text//@COMMAND@/"$command"}
    printf '%s\n' "$text"
}
if [ "$dry" = 1 ]; then
    render "$here/shards.yaml"
    echo "---"
    render "$here/final.yaml"
    exit 0
fi
render "$here/shards.yaml" | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=24h "job/$name-shards"
render "$here/final.yaml" | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=24h "job/$name-final"
kubectl logs "job/$name-final"
