#!/usr/bin/env bash
# Pol benchmark: instantPayment over HTTP against the real gateway (Release build) on a throwaway PostgreSQL, with C
# concurrent clients for a fixed time each, reporting payments per second and p50/p99 latency; then pgbench's
# TPC-B-like run on the same server with the same client counts. Starts the PostgreSQL (scripts/postgres.sh) and the
# gateway on 127.0.0.1, always stops both on exit, and writes bench/POL-RESULTS.md.
#
#   bench/run-pol.sh [seconds per run, default 15] [client counts, default 1,8,32]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-15}"
client_list="${2:-1,8,32}"
pgbench_scale=10
results=bench/POL-RESULTS.md
work="$(mktemp -d /tmp/havale-pol-bench.XXXXXX)"
gateway_pid=""

stop_all() {
    if [[ -n "$gateway_pid" ]] && kill -0 "$gateway_pid" 2>/dev/null; then
        kill "$gateway_pid" 2>/dev/null || true
        wait "$gateway_pid" 2>/dev/null || true
    fi
    if [[ -n "${HAVALE_PG_DIR:-}" ]]; then
        scripts/postgres.sh stop "$HAVALE_PG_DIR" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

eval "$(scripts/postgres.sh start)"

echo "run-pol.sh: building the gateway and the driver (Release)" >&2
dotnet build src/Havale.Api -c Release -v q --nologo >/dev/null
dotnet build bench/pol -c Release -v q --nologo >/dev/null
api_dir=src/Havale.Api/bin/Release/net10.0
bench_dll=bench/pol/bin/Release/net10.0/Havale.PolBench.dll

# The paying deposit gets room for every payment a run could make (1,000 rials each); the caps are raised out of the way,
# since one payer paying thousands of times a second is the benchmark's shape, not a customer's.
dotnet "$bench_dll" seed "$api_dir/sandbox.json" "$work/sandbox.json" 0302876732315 1000000000000000

pg=(-h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres)
"${HAVALE_PG_BIN}/psql" "${pg[@]}" -q -c "CREATE DATABASE havale_bench" postgres
connection="Host=127.0.0.1;Port=${HAVALE_PG_PORT};Username=postgres;Password=${PGPASSWORD};Database=havale_bench;Maximum Pool Size=100"

# A free port on 127.0.0.1: the first one in a random stretch that nothing answers on.
port=""
for candidate in $(seq $((41000 + RANDOM % 8000)) 1 $((49100))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port="$candidate"
        break
    fi
done
[[ -n "$port" ]] || { echo "run-pol.sh: no free port" >&2; exit 1; }

echo "run-pol.sh: starting the gateway on 127.0.0.1:$port" >&2
(cd "$api_dir" && exec dotnet Havale.Api.dll --urls "http://127.0.0.1:$port" --environment Production \
    --Database:Provider=postgres "--ConnectionStrings:Havale=$connection" \
    "--Havale:Sandbox:SeedFile=$work/sandbox.json" \
    --Havale:Pol:DailyAmountRialsMax=1000000000000000 --Havale:Pol:DailyPaymentsToOneBeneficiaryMax=1000000 \
    --Logging:LogLevel:Default=Warning) >"$work/gateway.log" 2>&1 &
gateway_pid=$!

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
rows="$(dotnet "$bench_dll" run "http://127.0.0.1:$port" "$seconds" "$client_list")" || {
    echo "run-pol.sh: the driver failed; gateway log:" >&2
    tail -50 "$work/gateway.log" >&2
    exit 1
}
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
payment_rows="$(printf '%s\n' "$rows" | grep '^|')"
ledger_line="$(printf '%s\n' "$rows" | sed -n 's/^LEDGER //p')"
kill "$gateway_pid" && wait "$gateway_pid" 2>/dev/null || true
gateway_pid=""

# pgbench on its own database of the same server, same client counts, two threads (one for a single client).
"${HAVALE_PG_BIN}/psql" "${pg[@]}" -q -c "CREATE DATABASE pgbench" postgres
"$PGBENCH" "${pg[@]}" -i -q -s "$pgbench_scale" pgbench >/dev/null 2>&1
pgbench_rows=""
IFS=, read -r -a client_counts <<<"$client_list"
for n in "${client_counts[@]}"; do
    threads=$(( n < 2 ? n : 2 ))
    out="$("$PGBENCH" "${pg[@]}" -c "$n" -j "$threads" -T "$seconds" pgbench 2>/dev/null)"
    tps="$(printf '%s\n' "$out" | sed -nE 's/^tps = ([0-9.]+) .*/\1/p' | head -1)"
    latency="$(printf '%s\n' "$out" | sed -nE 's/^latency average = ([0-9.]+) ms/\1/p')"
    count="$(printf '%s\n' "$out" | sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p')"
    pgbench_rows+="| pgbench TPC-B-like (scale ${pgbench_scale}, -j ${threads}) | ${n} | ${seconds} | ${count} | ${tps%.*} | avg ${latency} | | |"$'\n'
done

cpu="$(sed -nE 's/^model name[[:space:]]*: (.*)/\1/p' /proc/cpuinfo | head -1)"
pg_version="$("${HAVALE_PG_BIN}/postgres" --version)"
{
    echo "# Pol benchmark"
    echo
    echo "Pol instant payments per second through the whole gateway: HTTP, token check, call log (exactly once per"
    echo "trackId), daily caps, the two-phase hold, the simulated destination bank (normal, no latency) and posting with"
    echo "settlement, each payment a POST /oak/v2/clients/havale-demo/instantPayment with its own trackId, from C"
    echo "concurrent clients for a fixed time; next to pgbench's TPC-B-like transaction on the same PostgreSQL server"
    echo "with the same client counts, in the same run. A benchmark, not a test: the figures are this machine's, on a"
    echo "throwaway PostgreSQL without durability (fsync off, see scripts/postgres.sh), with the driver, the gateway and"
    echo "PostgreSQL sharing its CPUs."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- command: \`bench/run-pol.sh $seconds $client_list\`"
    echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}; memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
    echo "- ${pg_version}; $(dotnet --version | sed 's/^/.NET SDK /'); gateway: Release build, Production environment, log level Warning"
    echo "- load average (1, 5, 15 min) before the payment runs: ${load_before}; after: ${load_after} (anything above"
    echo "  the gateway's own load is other work sharing the CPUs, which lowers the figures)"
    echo "- ledger after the payment runs: ${ledger_line}"
    echo
    echo "| what | clients | seconds | payments / transactions | per second | p50 ms | p99 ms | not paid |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "$payment_rows"
    printf '%s' "$pgbench_rows"
    echo
    echo "Every payment comes from one deposit (0302876732315) to 12 accounts at Pol banks in turn, 1,000 rials each;"
    echo "the deposit's balance row, its customer's daily-cap row and the Pol clearing account are updated by every"
    echo "payment, so the figures are those of one very busy payer. \"not paid\" counts answers other than a payment"
    echo "with state DONE, by HTTP status. A payment is about twenty SQL statements through EF Core, in six database"
    echo "transactions and a few single statements (token check, call log admission and completion, caps, hold, the"
    echo "simulated bank's own record of the payment, post and settle), where pgbench's transaction is five statements."
    echo "With one client the two compare as latency (p50 against pgbench's average); past a few clients the payment"
    echo "rate stops growing because the CPUs are full: the gateway process, not PostgreSQL, takes most of them."
} > "$results"
cat "$results"
