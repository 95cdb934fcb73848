#!/usr/bin/env bash
# Recovery's open-hold scan against a large ledger, old query beside new, on a throwaway durable PostgreSQL.
#   bench/open-holds.sh [resolved holds, default 500000] [holds left open, default 20]
# Migrates an empty database with the gateway (Release build), writes the holds and their resolutions straight into
# ledger_transfers (the trigger keeps open_holds as the gateway's own writes would), then times each query five times
# with EXPLAIN ANALYZE and prints the median. The old query is the one HoldStates.OpenHolds ran before migration
# OpenHolds: every Pending transfer, each probed for a resolution.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
resolved="${1:-500000}"
open="${2:-20}"
source scripts/postgres.sh
gateway_pid=""
stop_all() {
    [[ -n "$gateway_pid" ]] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null
    havale_pg_stop >/dev/null 2>&1 || true
}
trap stop_all EXIT

havale_pg_start_durable
pg=(-h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres)
psql_at() { "${HAVALE_PG_BIN}/psql" "${pg[@]}" -qtAX -v ON_ERROR_STOP=1 "$@"; }
psql_at -c "CREATE DATABASE havale_holds" postgres
connection="Host=127.0.0.1;Port=$HAVALE_PG_PORT;Username=postgres;Password=$HAVALE_PG_PASSWORD;Database=havale_holds"

dotnet build src/Havale.Api -c Release -v q --nologo >/dev/null
port=$((42000 + RANDOM % 6000))
(cd src/Havale.Api/bin/Release/net10.0 && exec dotnet Havale.Api.dll --urls "http://127.0.0.1:$port" \
    --Database:Provider=postgres "--ConnectionStrings:Havale=$connection" --Logging:LogLevel:Default=Warning) >/tmp/open-holds-gateway.log 2>&1 &
gateway_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "open-holds.sh: gateway did not start" >&2; exit 1; }
kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true; gateway_pid=""

# Two accounts of the seed; the amounts are not applied to balances (only the scan is measured).
psql_at havale_holds <<SQL
WITH a AS (SELECT min(id) AS debit, max(id) AS credit FROM ledger_accounts),
holds AS (
    INSERT INTO ledger_transfers (kind, debit_account_id, credit_account_id, amount_rials, rail, reference, counterparty, created_utc)
    SELECT 'Pending', a.debit, a.credit, 1000, 'Pol', 'bench-' || n, 'IR370120000000003141592653', now()
    FROM a, generate_series(1, $resolved + $open) AS n
    RETURNING id, debit_account_id, credit_account_id)
INSERT INTO ledger_transfers (kind, debit_account_id, credit_account_id, amount_rials, pending_id, rail, created_utc)
SELECT 'PostPending', debit_account_id, credit_account_id, 1000, id, 'Pol', now() FROM holds ORDER BY id LIMIT $resolved;
ANALYZE;
SQL
echo "ledger_transfers: $(psql_at -c 'SELECT count(*) FROM ledger_transfers' havale_holds) rows; open_holds: $(psql_at -c 'SELECT count(*) FROM open_holds' havale_holds)"

old="SELECT t.* FROM ledger_transfers t WHERE t.kind = 'Pending' AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = t.id) AND t.id > 0 ORDER BY t.id LIMIT 2000"
new="SELECT t.* FROM open_holds o JOIN ledger_transfers t ON t.id = o.hold_id WHERE t.id > 0 ORDER BY t.id LIMIT 2000"
median_ms() {
    for _ in 1 2 3 4 5; do
        psql_at -c "EXPLAIN (ANALYZE, FORMAT JSON) $1" havale_holds | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])'
    done | sort -n | sed -n 3p
}
echo "old scan (every Pending transfer): $(median_ms "$old") ms (median of 5)"
echo "new scan (open_holds, its dead rows not yet vacuumed): $(median_ms "$new") ms (median of 5)"
psql_at -c "VACUUM open_holds" havale_holds
echo "new scan (open_holds, vacuumed as autovacuum would): $(median_ms "$new") ms (median of 5)"
if [[ -n "${EXPLAIN:-}" ]]; then
    psql_at -c "EXPLAIN (ANALYZE, BUFFERS) $new" havale_holds
    psql_at -c "SELECT pg_relation_size('open_holds')" havale_holds
fi
