#!/usr/bin/env bash
# Throwaway PostgreSQL server for tests and benchmarks.
#
# Uses Debian's server binaries in /usr/lib/postgresql/<version>/bin (highest version
# present; installs the `postgresql` package with apt-get if there is none). Never uses
# whatever pg_ctl/initdb happen to be on the PATH. The server lives in a fresh
# `mktemp -d` directory, listens only on 127.0.0.1 on a free port in 20000-40000, keeps
# its unix socket inside that directory and runs without durability (fsync=off etc.), unless HAVALE_PG_DURABLE=1
# (benchmarks), which keeps PostgreSQL's durable defaults.
# When run as root, initdb/pg_ctl run as the `postgres` OS user (created if missing).
#
# Two ways to use it:
#
#   1. Source it, then call the functions (this is what ./test.sh does):
#        source scripts/postgres.sh
#        trap havale_pg_stop EXIT
#        havale_pg_start          # exports HAVALE_TEST_POSTGRES, HAVALE_PG_DIR,
#                                 # HAVALE_PG_PORT, HAVALE_PG_BIN, PGBENCH
#        ...
#        havale_pg_stop           # stops the server and deletes its directory
#      Sourcing only defines functions; it starts nothing and changes no shell options.
#
#   2. Run it:
#        eval "$(scripts/postgres.sh start)"   # prints `export ...` lines (logs go to stderr)
#        "$PGBENCH" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres ...   (PGPASSWORD is exported)
#        scripts/postgres.sh stop              # uses $HAVALE_PG_DIR, or pass the dir
#      Other commands: `bin` (prints the server bin folder), `pgbench` (prints pgbench's path).
#
# Environment knobs: HAVALE_PG_TMPDIR (parent of the temp dir, default /tmp; must be
# reachable by the postgres user), HAVALE_PG_LIBDIR (default /usr/lib/postgresql).

HAVALE_PG_PASSWORD=postgres

havale_pg__log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# Removes "Password=..." from a connection string so it can be printed.
havale_pg_redact() {
    printf '%s\n' "$1" | sed -E 's/(^|;)([[:space:]]*)(Password|PWD)([[:space:]]*)=[^;]*/\1\2\3\4=***/Ig'
}

# Prints the highest-version Debian server bin folder that has initdb, pg_ctl and postgres.
havale_pg__find_bin() {
    local libdir="${HAVALE_PG_LIBDIR:-/usr/lib/postgresql}" v
    [[ -d "$libdir" ]] || return 1
    while IFS= read -r v; do
        if [[ -x "$libdir/$v/bin/initdb" && -x "$libdir/$v/bin/pg_ctl" && -x "$libdir/$v/bin/postgres" ]]; then
            printf '%s\n' "$libdir/$v/bin"
            return 0
        fi
    done < <(find "$libdir" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -rV)
    return 1
}

havale_pg__install() {
    if (( EUID != 0 )); then
        havale_pg__log "no PostgreSQL server binaries found and not root; install the 'postgresql' package"
        return 1
    fi
    havale_pg__log "no PostgreSQL server binaries found; installing the 'postgresql' package"
    # Keep the package's own cluster from being started on port 5432 (this is what
    # Docker's Debian images use policy-rc.d for); only if nobody has set a policy.
    local policy=/usr/sbin/policy-rc.d created=0 rc=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
    fi
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } >&2 < /dev/null || rc=$?
    if (( created )); then rm -f "$policy"; fi
    return "$rc"
}

# Prints the server bin folder, installing PostgreSQL if necessary.
havale_pg_bin() {
    havale_pg__find_bin && return 0
    havale_pg__install || return 1
    havale_pg__find_bin && return 0
    havale_pg__log "still no initdb/pg_ctl/postgres under ${HAVALE_PG_LIBDIR:-/usr/lib/postgresql}/<version>/bin after installing"
    return 1
}

havale_pg__ensure_user() {
    (( EUID == 0 )) || return 0
    id -u postgres > /dev/null 2>&1 && return 0
    havale_pg__log "creating system user 'postgres'"
    useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql --shell /bin/sh postgres
}

# Runs a command as the server's owner (postgres when we are root, else ourselves),
# from inside the server dir so it never depends on being able to read our cwd.
havale_pg__as_owner() {
    local dir="$1"; shift
    if (( EUID != 0 )); then
        (cd "$dir" && "$@")
    elif command -v runuser > /dev/null 2>&1; then
        (cd "$dir" && runuser -u postgres -- "$@")
    else
        (cd "$dir" && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
}

# True if nothing accepts connections on 127.0.0.1:$1.
havale_pg__port_free() {
    ! timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2> /dev/null
}

havale_pg__pick_port() {
    local i p
    for (( i = 0; i < 100; i++ )); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 20001 ))
        if havale_pg__port_free "$p"; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    return 1
}

# Starts a server and exports HAVALE_TEST_POSTGRES (Npgsql connection string),
# HAVALE_PG_DIR, HAVALE_PG_PORT, HAVALE_PG_BIN, PGBENCH, PGPASSWORD.
# Cleans up after itself if it fails. Call havale_pg_stop to stop it.
havale_pg_start() {
    local started_ms bin dir port attempt ok=0 waited
    started_ms=$(date +%s%3N)
    bin=$(havale_pg_bin) || return 1
    havale_pg__ensure_user || return 1

    dir=$(mktemp -d -p "${HAVALE_PG_TMPDIR:-/tmp}" havale-pg.XXXXXX) || return 1
    # Exported right away so a trap running havale_pg_stop can clean up a half-started server.
    export HAVALE_PG_DIR="$dir" HAVALE_PG_BIN="$bin" PGBENCH="$bin/pgbench"
    : > "$dir/.havale-pg"   # marker: havale_pg_stop only deletes directories that have it
    mkdir -p "$dir/sock"
    printf '%s\n' "$HAVALE_PG_PASSWORD" > "$dir/pwfile"
    chmod 700 "$dir"
    if (( EUID == 0 )); then chown -R postgres: "$dir" || { havale_pg_stop; return 1; }; fi

    if ! havale_pg__as_owner "$dir" "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync \
            > "$dir/initdb.log" 2>&1; then
        havale_pg__log "initdb failed:"; cat "$dir/initdb.log" >&2
        havale_pg_stop; return 1
    fi
    rm -f "$dir/pwfile"
    cat >> "$dir/data/postgresql.conf" <<EOF

# --- throwaway test server (scripts/postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
max_connections = 200
EOF
    if [[ "${HAVALE_PG_DURABLE:-0}" == 1 ]]; then
        # Benchmarks: PostgreSQL's own durable defaults (fsync, synchronous_commit, full_page_writes all on), and the
        # statement counters they report from.
        cat >> "$dir/data/postgresql.conf" <<EOF
fsync = on
synchronous_commit = on
full_page_writes = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
    else
        cat >> "$dir/data/postgresql.conf" <<EOF
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi

    # The port is checked free, but someone could take it before the server binds; retry.
    for (( attempt = 1; attempt <= 5; attempt++ )); do
        port=$(havale_pg__pick_port) || { havale_pg__log "no free port in 20000-40000"; break; }
        if havale_pg__as_owner "$dir" "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" \
                -o "-p $port" -w -t 30 > /dev/null 2>&1; then
            ok=1; break
        fi
        havale_pg__log "server did not start on port $port (attempt $attempt); log tail:"
        tail -n 5 "$dir/server.log" >&2 2> /dev/null || true
        havale_pg__as_owner "$dir" "$bin/pg_ctl" stop -D "$dir/data" -m immediate > /dev/null 2>&1 || true
    done
    if (( ! ok )); then havale_pg_stop; return 1; fi

    waited=0
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; do
        if (( waited >= 30 )); then
            havale_pg__log "server not ready after 30 s; log:"; cat "$dir/server.log" >&2
            havale_pg_stop; return 1
        fi
        sleep 1; waited=$(( waited + 1 ))
    done

    export HAVALE_PG_PORT="$port" PGPASSWORD="$HAVALE_PG_PASSWORD"
    export HAVALE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$HAVALE_PG_PASSWORD;Database=postgres;Pooling=true;Maximum Pool Size=50;Include Error Detail=true"
    havale_pg__log "$("$bin/postgres" --version | sed 's/^postgres (PostgreSQL) //') ready on 127.0.0.1:$port in $(( $(date +%s%3N) - started_ms )) ms (dir $dir)"
}

# Stops the server in $1 (default $HAVALE_PG_DIR) and deletes its directory. Never fails.
havale_pg_stop() {
    local dir="${1:-${HAVALE_PG_DIR:-}}" bin="${HAVALE_PG_BIN:-}" pid i
    [[ -n "$dir" && -d "$dir" && -e "$dir/.havale-pg" ]] || return 0
    [[ -n "$bin" ]] || bin=$(havale_pg__find_bin) || bin=""
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        if [[ -n "$bin" ]]; then
            havale_pg__as_owner "$dir" "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 15 > /dev/null 2>&1 || true
        fi
        # Belt and braces: if the postmaster is still there, kill it.
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2> /dev/null || true)
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2> /dev/null; then
            kill -QUIT "$pid" 2> /dev/null || true
            for (( i = 0; i < 50; i++ )); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2> /dev/null || true
        fi
    fi
    rm -rf -- "$dir" || true
    if [[ "$dir" == "${HAVALE_PG_DIR:-}" ]]; then
        unset HAVALE_PG_DIR HAVALE_PG_PORT HAVALE_TEST_POSTGRES
    fi
    return 0
}

# For benchmarks: a server with PostgreSQL's durable defaults, checked to have fsync and synchronous_commit on
# (a benchmark against a server that does not flush its commits would measure nothing a bank runs). Returns 1 if not.
havale_pg_start_durable() {
    HAVALE_PG_DURABLE=1 havale_pg_start >/dev/null || return 1
    local setting
    for setting in fsync synchronous_commit; do
        if [[ "$("${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -qtAX -c "SHOW $setting" postgres)" != on ]]; then
            havale_pg__log "$setting is not on: the server is not durable"
            return 1
        fi
    done
}

havale_pg__main() {
    set -euo pipefail
    case "${1:-}" in
        start)
            havale_pg_start
            printf 'export HAVALE_TEST_POSTGRES=%q\n' "$HAVALE_TEST_POSTGRES"
            printf 'export HAVALE_PG_DIR=%q HAVALE_PG_PORT=%q HAVALE_PG_BIN=%q PGBENCH=%q PGPASSWORD=%q\n' \
                "$HAVALE_PG_DIR" "$HAVALE_PG_PORT" "$HAVALE_PG_BIN" "$PGBENCH" "$PGPASSWORD"
            ;;
        stop)
            local dir="${2:-${HAVALE_PG_DIR:-}}"
            if [[ -z "$dir" ]]; then havale_pg__log "stop: pass the server dir or set HAVALE_PG_DIR"; return 2; fi
            havale_pg_stop "$dir"
            ;;
        bin)     havale_pg_bin ;;
        pgbench) printf '%s/pgbench\n' "$(havale_pg_bin)" ;;
        *)
            echo "usage: $0 start | stop [dir] | bin | pgbench" >&2
            echo "   or: source $0; havale_pg_start; ...; havale_pg_stop" >&2
            return 2
            ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    havale_pg__main "$@"
fi
