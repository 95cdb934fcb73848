#!/usr/bin/env bash
# Ledger benchmark: posted transfers per second through LedgerBook on SQLite and on PostgreSQL with 1, 8 and 32
# concurrent workers, plus pgbench's TPC-B-like run on the same PostgreSQL for comparison. Starts a throwaway
# PostgreSQL (scripts/postgres.sh), always stops it on exit, and writes bench/LEDGER-RESULTS.md (bench/RESULTS.md summarises every benchmark).
#
#   bench/run-ledger.sh [seconds per run, default 10]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-10}"
workers=(1 8 32)
pgbench_scale=10
results=bench/LEDGER-RESULTS.md

eval "$(scripts/postgres.sh start)"
trap 'scripts/postgres.sh stop "$HAVALE_PG_DIR" >/dev/null 2>&1 || true' EXIT

dotnet build bench/Havale.Bench -c Release -v q --nologo >/dev/null
bench_dll=bench/Havale.Bench/bin/Release/net10.0/Havale.Bench.dll
worker_list="$(IFS=,; echo "${workers[*]}")"

ledger_rows="$(dotnet "$bench_dll" sqlite "$seconds" "$worker_list"; dotnet "$bench_dll" postgres "$seconds" "$worker_list")"

# pgbench on its own database of the same server: 5 statements per transaction (3 UPDATEs, 1 SELECT, 1 INSERT).
pg=(-h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres)
"${HAVALE_PG_BIN}/psql" "${pg[@]}" -q -c "CREATE DATABASE pgbench" postgres
"$PGBENCH" "${pg[@]}" -i -q -s "$pgbench_scale" pgbench >/dev/null 2>&1
pgbench_rows=""
for n in "${workers[@]}"; do
    tps="$("$PGBENCH" "${pg[@]}" -c "$n" -j "$n" -T "$seconds" pgbench 2>/dev/null | sed -nE 's/^tps = ([0-9.]+) .*without initial connection time.*/\1/p')"
    pgbench_rows+="| pgbench TPC-B-like (scale ${pgbench_scale}) | postgres | ${n} | ${seconds} | | ${tps%.*} | |"$'\n'
done

cpu="$(sed -nE 's/^model name[[:space:]]*: (.*)/\1/p' /proc/cpuinfo | head -1)"
pg_version="$("${HAVALE_PG_BIN}/postgres" --version)"
{
    echo "# Ledger benchmark"
    echo
    echo "How many posted transfers per second \`LedgerBook.TransferAsync\` sustains, each in its own DbContext and database"
    echo "transaction (as one API request makes it), between 1,000 funded deposits picked at random, with N concurrent"
    echo "workers for a fixed time; and pgbench's TPC-B-like transaction on the same PostgreSQL server for comparison."
    echo "A benchmark, not a test: the figures are this machine's, on a throwaway PostgreSQL that runs without"
    echo "durability (fsync off, see scripts/postgres.sh) and SQLite in WAL mode on the local disk."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- command: \`bench/run-ledger.sh $seconds\`"
    echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}; memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
    echo "- ${pg_version}; $(dotnet --version | sed 's/^/.NET SDK /')"
    echo
    echo "| what | store | workers | seconds | transfers | per second | refused |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "$ledger_rows"
    printf '%s' "$pgbench_rows"
    echo
    echo "\"refused\" counts transfers the ledger answered InsufficientFunds (none expected: every deposit starts with"
    echo "1,000,000,000 rials and transfers are under 1,000). Each ledger transfer is two guarded UPDATEs and one INSERT"
    echo "plus BEGIN/COMMIT, close to pgbench's three UPDATEs, one SELECT and one INSERT."
} > "$results"
cat "$results"
