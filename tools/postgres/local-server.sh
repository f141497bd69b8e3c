#!/usr/bin/env bash
# A throwaway PostgreSQL server on this machine, for tests and trials: its data folder,
# socket and log under DIR, a free port on 127.0.0.1, run as the `postgres` user
# (PostgreSQL refuses to run as root), trusting local connections.
#
#   tools/postgres/local-server.sh start DIR   # prints the URL of its `postgres` database
#   tools/postgres/local-server.sh stop DIR
#
# Needs Debian's postgresql (tools/bootstrap.sh installs it).
set -euo pipefail

command=${1:?usage: local-server.sh start|stop DIR}
dir=$(mkdir -p "${2:?usage: local-server.sh start|stop DIR}" && cd "$2" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "local-server.sh: no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }

# Runs a PostgreSQL program as its owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
}

case "$command" in
stop)
    stop
    ;;
start)
    stop
    rm -rf "$dir/data"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
        || { echo "local-server.sh: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1; }
    # A free port: ask the kernel for one, then let the server bind it.
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    # The server must not inherit the caller's descriptors: a caller that waits for its output
    # to end (as Swift's Foundation.Process does, for every pipe it handed down) would wait for
    # as long as the server lives.
    for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=64" start </dev/null >/dev/null 2>&1; then
        echo "local-server.sh: the server did not start:" >&2
        cat "$dir/server.log" >&2 || true
        exit 1
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
*)
    echo "usage: local-server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
