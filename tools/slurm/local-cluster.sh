#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for tests and trials: munge and the Slurm
# daemons with every file (key, sockets, state, spool, logs, slurm.conf) under DIR.
#
#   tools/slurm/local-cluster.sh start DIR   # prints the SLURM_CONF to export
#   tools/slurm/local-cluster.sh stop DIR
#
# Needs Debian's slurm-wlm and munge (tools/bootstrap.sh installs them) and no systemd:
# the daemons run as the current user (root on a CI machine).
set -euo pipefail

command=${1:?usage: local-cluster.sh start|stop DIR}
dir=$(mkdir -p "${2:?usage: local-cluster.sh start|stop DIR}" && cd "$2" && pwd)
conf="$dir/slurm.conf"

# Starts a daemon in the background with /dev/null for its standard streams and no other
# descriptor of the caller's: a caller that waits for this script's output to end, or
# (as Swift's Foundation.Process does) for a socket it handed down to close, would
# otherwise wait for as long as the daemon lives.
detach() {
    (
        for fd in /proc/$BASHPID/fd/*; do
            fd=${fd##*/}
            if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec "$@" </dev/null >/dev/null 2>&1
    ) &
}

stop() {
    for daemon in slurmd slurmctld; do
        [ -f "$dir/$daemon.pid" ] && kill "$(cat "$dir/$daemon.pid")" 2>/dev/null || true
    done
    [ -S "$dir/munge.socket" ] && munged --stop --socket="$dir/munge.socket" >/dev/null 2>&1 || true
    # Wait for the daemons to go, so a following start can bind the same ports.
    for _ in $(seq 50); do
        pgrep -f "$conf" >/dev/null || break
        sleep 0.1
    done
    pkill -9 -f "$conf" 2>/dev/null || true
}

case "$command" in
stop)
    stop
    ;;
start)
    stop
    user=$(id -un)
    node=$(hostname -s)
    cpus=$(nproc)
    mkdir -p "$dir/state" "$dir/spool" "$dir/logs"
    # munge insists on private folders and key.
    chmod 700 "$dir"
    mungekey --create --force --keyfile="$dir/munge.key"
    detach munged --foreground --force --socket="$dir/munge.socket" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
        --log-file="$dir/logs/munged.log" --seed-file="$dir/munged.seed"
    for _ in $(seq 50); do [ -S "$dir/munge.socket" ] && break; sleep 0.1; done
    # Ports from the process id, so two clusters (two test runs) on one machine do not collide.
    port=$((20000 + ($$ % 20000)))
    cat > "$conf" <<CONF
ClusterName=alphalab
SlurmctldHost=$node
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/logs/slurmctld.log
SlurmdLogFile=$dir/logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    detach slurmctld -D -f "$conf"
    detach slurmd -D -f "$conf"
    export SLURM_CONF="$conf"
    for _ in $(seq 100); do
        if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
            echo "SLURM_CONF=$conf"
            exit 0
        fi
        sleep 0.2
    done
    echo "local-cluster.sh: the node did not come up; logs in $dir/logs" >&2
    sinfo >&2 || true
    tail -20 "$dir/logs/slurmctld.log" "$dir/logs/slurmd.log" >&2 || true
    exit 1
    ;;
*)
    echo "usage: local-cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
