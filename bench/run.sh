#!/usr/bin/env bash
# One command, one run, one machine: Pol instantPayment over HTTP driven by wrk (a C load generator, so the driver
# does not take the gateway's CPU) against the Release gateway, beside pgbench TPC-B-like -M prepared on the SAME
# durable PostgreSQL (fsync, synchronous_commit and full_page_writes on), at 1, 8, 32 and 64 clients; the same Pol
# runs on SQLite; a fixed-rate run at 80 % of the 8-client peak; commits and statements per payment from
# pg_stat_database and pg_stat_statements; CPU seconds of the gateway and of PostgreSQL per run; the ledger checked
# balanced at the end. Writes bench/POL-RESULTS.md. Servers listen on 127.0.0.1 only; every run is bounded in time.
#
#   bench/run.sh [seconds per run, default 10] [client counts, default 1,8,32,64]
#   HAVALE_BENCH_GATEWAY_ARGS="--Havale:Rails:PolBatchesInFlight=3" bench/run.sh   (extra settings for the gateway)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-10}"
client_list="${2:-1,8,32,64}"
results=bench/POL-RESULTS.md
work="$(mktemp -d /tmp/havale-bench.XXXXXX)"
gateway_pid=""
IFS=, read -r -a client_counts <<<"$client_list"

for tool in wrk bc; do command -v "$tool" >/dev/null || { echo "run.sh: installing Debian's $tool" >&2; apt-get install -y -q "$tool" >/dev/null; }; done
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh

stop_gateway() {
    if [[ -n "$gateway_pid" ]] && kill -0 "$gateway_pid" 2>/dev/null; then
        kill "$gateway_pid" 2>/dev/null || true
        wait "$gateway_pid" 2>/dev/null || true
    fi
    gateway_pid=""
}
stop_all() { stop_gateway; havale_pg_stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

havale_pg_start_durable
pg=(-h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres)
psql_at() { "${HAVALE_PG_BIN}/psql" "${pg[@]}" -qtAX "$@"; }

echo "run.sh: building the gateway (Release)" >&2
dotnet build src/Havale.Api -c Release -v q --nologo >/dev/null
dotnet build bench/pol -c Release -v q --nologo >/dev/null
api_dir="$PWD/src/Havale.Api/bin/Release/net10.0"
dotnet bench/pol/bin/Release/net10.0/Havale.PolBench.dll seed "$api_dir/sandbox.json" "$work/one-payer.json" 0302876732315 1000000000000000
# The second shape: 1,000 more payers, each a customer with a deposit and a token of their own.
python3 bench/wrk/many-payers.py "$work/one-payer.json" "$work/sandbox.json" "$work/payers.txt" 1000 1000000000000

free_port() {
    local candidate
    for candidate in $(seq $((41000 + RANDOM % 8000)) 1 49100); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
    done
    return 1
}

# start_gateway <provider> <connection string>: Release build, Production environment, caps raised out of the way
# (one payer paying thousands of times a second is the benchmark's shape, not a customer's).
start_gateway() {
    port="$(free_port)"
    (cd "$api_dir" && exec dotnet Havale.Api.dll --urls "http://127.0.0.1:$port" --environment Production \
        "--Database:Provider=$1" "--ConnectionStrings:Havale=$2" "--Havale:Sandbox:SeedFile=$work/sandbox.json" \
        --Havale:Pol:DailyAmountRialsMax=1000000000000000 --Havale:Pol:DailyPaymentsToOneBeneficiaryMax=1000000 \
        --Havale:Auth:TokenRequestsPerMinute=100000 \
        --Logging:LogLevel:Default=Warning ${HAVALE_BENCH_GATEWAY_ARGS:-}) >"$work/gateway-$1.log" 2>&1 &
    gateway_pid=$!
    base="http://127.0.0.1:$port"
    # Loading the seed hashes each customer's sandbox password (PBKDF2, on purpose slow): a minute or two for 1,000.
    for _ in $(seq 1 400); do
        curl -sf "$base/health" >/dev/null 2>&1 && break
        sleep 1
    done
    curl -sf "$base/health" >/dev/null || { echo "run.sh: gateway did not start"; tail -30 "$work/gateway-$1.log"; exit 1; } >&2
    curl -sf -u havale-demo:havale-demo-secret -X PUT -H 'Content-Type: application/json' \
        -d '{"now": "2030-01-05T10:00:00+03:30"}' "$base/sandbox/v1/clock" >/dev/null
    token="$(curl -sf -u havale-demo:havale-demo-secret -H 'Content-Type: application/json' \
        -d '{"grant_type":"authorization_code","nid":"0012345679","deposits":["0302876732315"],"scopes":"oak:instant-payment:post","limit":50000000,"bank":"062"}' \
        "$base/sandbox/v1/tokens" | sed -E 's/.*"value":"([^"]+)".*/\1/')"
    : > "$work/tokens.txt"
    local answer
    while read -r payer_nid payer_deposit; do
        answer="$(curl -s -u havale-demo:havale-demo-secret -H 'Content-Type: application/json' \
            -d "{\"grant_type\":\"authorization_code\",\"nid\":\"$payer_nid\",\"deposits\":[\"$payer_deposit\"],\"scopes\":\"oak:instant-payment:post\",\"limit\":50000000,\"bank\":\"062\"}" \
            "$base/sandbox/v1/tokens")"
        if [[ "$answer" == *'"value":"'* ]]; then
            sed -E 's/.*"value":"([^"]+)".*/\1/' <<<"$answer" >> "$work/tokens.txt"
        else
            echo "run.sh: no token for payer $payer_nid: ${answer:0:300}" >&2
        fi
    done < "$work/payers.txt"
    minted="$(grep -c . "$work/tokens.txt")"
    (( minted >= 990 )) || { echo "run.sh: minted only $minted of the 1,000 payers' tokens" >&2; exit 1; }
}

cpu_seconds() {  # CPU (user + system) of a process and its children so far, in seconds
    local ticks
    ticks=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat")
    echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
pg_cpu_seconds() {  # every process of the PostgreSQL server
    local total=0 pid
    for pid in $(pgrep -f "postgres.*$HAVALE_PG_DIR" ; pgrep -P "$(head -1 "$HAVALE_PG_DIR/data/postmaster.pid")"); do
        [[ -r "/proc/$pid/stat" ]] && total=$(echo "$total + $(cpu_seconds "$pid")" | bc)
    done
    echo "$total"
}
db_counters() {  # commits, statements (pg_stat_statements calls) of database havale_bench
    echo "$(psql_at -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'havale_bench'" postgres) $(psql_at -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'havale_bench'" postgres)"
}
posted_count() {  # Pol payments posted so far in the PostgreSQL database
    psql_at -c "SELECT count(*) FROM ledger_transfers WHERE kind = 'PostPending' AND rail = 'Pol'" havale_bench
}
ledger_state() {  # the sum of every balance (0 when debits equal credits) and what open holds still reserve
    curl -sf -u havale-demo:havale-demo-secret "$base/sandbox/v1/ledger" | python3 -c 'import json,sys; d=json.load(sys.stdin)["result"]; print("sum of balances", d["sumRials"], "rials; reserved by open holds", sum(a["pendingRials"] for a in d["accounts"]), "rials")'
}

# wrk_run <store> <clients> [delay ms] -> one table row
wrk_run() {
    local store="$1" clients="$2" delay="${3:-0}" shape="${4:-one payer}" out before_cpu after_cpu before_pg after_pg before_db after_db line
    local tokens_file=""
    [[ "$shape" == "1,000 payers" ]] && tokens_file="$work/tokens.txt"
    local threads=$(( clients < 2 ? 1 : 2 ))
    before_cpu=$(cpu_seconds "$gateway_pid"); before_pg=$(pg_cpu_seconds)
    [[ "$store" == PostgreSQL ]] && before_db=$(db_counters)
    out="$(HAVALE_TOKEN="$token" HAVALE_TOKENS_FILE="$tokens_file" HAVALE_RUN="$store-$clients-$delay-$RANDOM" HAVALE_DELAY_MS="$delay" \
        wrk -t "$threads" -c "$clients" -d "${seconds}s" --timeout 10s -s bench/wrk/pol.lua "$base" 2>&1)"
    after_cpu=$(cpu_seconds "$gateway_pid"); after_pg=$(pg_cpu_seconds)
    line="$(printf '%s\n' "$out" | grep '^RESULT')"
    local requests secs p50 p99 errors rate
    requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line"); secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")
    p50=$(sed -E 's/.*p50=([0-9.]+).*/\1/' <<<"$line"); p99=$(sed -E 's/.*p99=([0-9.]+).*/\1/' <<<"$line")
    errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
    rate=$(echo "scale=0; $requests / $secs" | bc)
    local per=""
    if [[ "$store" == PostgreSQL ]]; then
        after_db=$(db_counters)
        local commits statements
        commits=$(( $(cut -d' ' -f1 <<<"$after_db") - $(cut -d' ' -f1 <<<"$before_db") ))
        statements=$(( $(cut -d' ' -f2 <<<"$after_db") - $(cut -d' ' -f2 <<<"$before_db") ))
        per="$(echo "scale=3; $commits / $requests" | bc) | $(echo "scale=2; $statements / $requests" | bc)"
    else
        per=" | "
    fi
    echo "| Havale Pol ($store, $shape)$([[ $delay != 0 ]] && echo ", fixed rate ~80 % of peak") | $clients | $requests | $rate | $p50 | $p99 | $errors | $per | $(echo "$after_cpu - $before_cpu" | bc) | $(echo "$after_pg - $before_pg" | bc) |"
}

rows=""
psql_at -c "CREATE DATABASE havale_bench" postgres
psql_at -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" postgres
connection="Host=127.0.0.1;Port=${HAVALE_PG_PORT};Username=postgres;Password=${PGPASSWORD};Database=havale_bench;Maximum Pool Size=100"
start_gateway postgres "$connection"
# The JIT recompiles hot code for the first half minute or so (tiered compilation); measured runs start after it.
echo "run.sh: warm-up, 30 s" >&2
HAVALE_TOKEN="$token" HAVALE_RUN="warm-$RANDOM" wrk -t 2 -c 8 -d 30s -s bench/wrk/pol.lua "$base" >/dev/null
posted_before=$(posted_count)
peak8=0
for n in "${client_counts[@]}"; do
    echo "run.sh: PostgreSQL, $n clients" >&2
    row="$(wrk_run PostgreSQL "$n")"
    rows+="$row"$'\n'
    if [[ "$n" == 8 ]]; then peak8="$(cut -d'|' -f5 <<<"$row" | tr -d ' ')"; fi
done
if (( peak8 > 0 )); then
    # Each of 8 connections waits so that together they ask for about 80 % of the measured peak.
    delay=$(echo "scale=0; 8 * 1000 / ($peak8 * 8 / 10)" | bc)
    echo "run.sh: PostgreSQL, 8 clients at ~80 % of $peak8/s (delay ${delay} ms)" >&2
    rows+="$(wrk_run PostgreSQL 8 "$delay")"$'\n'
fi
for n in "${client_counts[@]}"; do
    if [[ "$n" != 1 ]]; then
        echo "run.sh: PostgreSQL, $n clients, 1,000 payers" >&2
        rows+="$(wrk_run PostgreSQL "$n" 0 "1,000 payers")"$'\n'
    fi
done
# The same rows again with a million accounts: deposits and their ledger accounts (balance 0) added in bulk beside
# the seed's, so every index the hot path reads is a million rows deep.
accounts_before="$(psql_at -c "SELECT count(*) FROM ledger_accounts" havale_bench)"
echo "run.sh: adding deposits and ledger accounts up to 1,000,000" >&2
psql_at -v ON_ERROR_STOP=1 havale_bench <<SQL
INSERT INTO deposits (number, status, required_signatures, created_utc)
SELECT '9' || lpad(n::text, 12, '0'), 'Active', 1, now() FROM generate_series(1, 1000000 - $accounts_before) AS n;
INSERT INTO ledger_accounts (code, kind, balance_rials, pending_rials, allows_negative, created_utc)
SELECT '9' || lpad(n::text, 12, '0'), 'Deposit', 0, 0, false, now() FROM generate_series(1, 1000000 - $accounts_before) AS n;
ANALYZE;
SQL
accounts_after="$(psql_at -c "SELECT count(*) FROM ledger_accounts" havale_bench)"
for n in "${client_counts[@]}"; do
    if [[ "$n" == 8 || "$n" == 32 ]]; then
        echo "run.sh: PostgreSQL, $n clients, $accounts_after accounts" >&2
        rows+="$(wrk_run PostgreSQL "$n" 0 "one payer" | sed "s/one payer)/one payer, $accounts_after accounts)/")"$'\n'
        rows+="$(wrk_run PostgreSQL "$n" 0 "1,000 payers" | sed "s/1,000 payers)/1,000 payers, $accounts_after accounts)/")"$'\n'
    fi
done
posted_after=$(posted_count)
ledger_pg="$(ledger_state)"
stop_gateway

echo "run.sh: pgbench" >&2
psql_at -c "CREATE DATABASE pgbench" postgres
"$PGBENCH" "${pg[@]}" -i -q -s 32 pgbench >/dev/null 2>&1
for n in "${client_counts[@]}"; do
    threads=$(( n < 2 ? 1 : 2 ))
    out="$("$PGBENCH" "${pg[@]}" -M prepared -c "$n" -j "$threads" -T "$seconds" -r pgbench 2>/dev/null)"
    tps="$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' <<<"$out" | head -1)"
    latency="$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' <<<"$out")"
    count="$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' <<<"$out")"
    rows+="| pgbench TPC-B-like -M prepared (scale 32) | $n | $count | ${tps%.*} | avg $latency | | | 1 | 7 | | |"$'\n'
done

start_gateway sqlite "Data Source=$work/havale-bench.db"
echo "run.sh: warm-up, 30 s" >&2
HAVALE_TOKEN="$token" HAVALE_RUN="warm-$RANDOM" wrk -t 2 -c 8 -d 30s -s bench/wrk/pol.lua "$base" >/dev/null
for n in "${client_counts[@]}"; do
    echo "run.sh: SQLite, $n clients" >&2
    rows+="$(wrk_run SQLite "$n")"$'\n'
done
for n in "${client_counts[@]}"; do
    if [[ "$n" != 1 ]]; then
        echo "run.sh: SQLite, $n clients, 1,000 payers" >&2
        rows+="$(wrk_run SQLite "$n" 0 "1,000 payers")"$'\n'
    fi
done
ledger_sqlite="$(ledger_state)"
stop_gateway

cpu="$(sed -nE 's/^model name[[:space:]]*: (.*)/\1/p' /proc/cpuinfo | head -1)"
{
    echo "# Pol throughput against pgbench, durable PostgreSQL"
    echo
    echo "Written by \`bench/run.sh $seconds $client_list\`. A benchmark, not a test: the figures are this machine's."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(free -h | awk '/^Mem:/ {print $2}') memory"
    echo "- $("${HAVALE_PG_BIN}/postgres" --version), fsync=on, synchronous_commit=on, full_page_writes=on; .NET SDK $(dotnet --version)"
    echo "- gateway: Release build, Production environment, log level Warning; driver: wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') with bench/wrk/pol.lua"
    echo "- load average when the report was written: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- ledger after the PostgreSQL runs: ${ledger_pg}; Pol payments posted during them: $(( posted_after - posted_before )), for $(grep -F '| Havale Pol (PostgreSQL' <<<"$rows" | awk -F'|' '{ s += $4 } END { print s + 0 }') requests, each with a trackId of its own (so the two agree unless a payment was refused)"
    echo "- ledger accounts: $accounts_before in the first PostgreSQL rows, $accounts_after in the rows that say so"
    echo "- ledger after the SQLite runs: ${ledger_sqlite}"
    echo
    echo "| what | clients | payments / transactions | per second | p50 ms | p99 ms | errors | commits per payment | statements per payment | gateway CPU s | PostgreSQL CPU s |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s' "$rows"
    echo
    echo "One payer: one paying deposit (0302876732315). 1,000 payers: a deposit and a token each, requests taking the"
    echo "tokens in turn. 1,000 rials a payment to 12 Pol-bank accounts in turn, each request a new"
    echo "trackId; errors are wrk's non-2xx answers and socket errors. Commits and statements per payment count everything"
    echo "the database ran in the gateway's database during the run (the simulated bank's records and the revocation poll"
    echo "included) divided by the requests. pgbench's TPC-B-like transaction is seven statements and one commit."
    echo "The fixed-rate row paces each connection (wrk's delay()) to about 80 % of the 8-client peak; its latency excludes the pause."
} > "$results"
cat "$results"
