#!/usr/bin/env bash
# One gateway node against two, on one durable PostgreSQL, in one run (issue #10, docs/scaling.md): Pol
# instantPayment from one paying deposit, driven by wrk (bench/wrk/pol.lua); first all clients on node A alone, then
# the same number of clients split between A and B (two wrk processes at once, each its half); pgbench TPC-B-like
# -M prepared on the same server in the same run as the reference. Both nodes run on this machine, so they share its
# CPUs with PostgreSQL and wrk: the figures say what a second node costs or buys here, not on two machines.
# Writes bench/TWO-NODES-RESULTS.md. Servers listen on 127.0.0.1 only; every run is bounded in time.
#
#   bench/two-nodes.sh [seconds per run, default 10] [client counts, default 8,32]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-10}"
client_list="${2:-8,32}"
results=bench/TWO-NODES-RESULTS.md
work="$(mktemp -d /tmp/havale-two-nodes.XXXXXX)"
node_pids=()
IFS=, read -r -a client_counts <<<"$client_list"

for tool in wrk bc curl; do command -v "$tool" >/dev/null || { echo "two-nodes.sh: installing Debian's $tool" >&2; apt-get install -y -q "$tool" >/dev/null; }; done
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh

stop_nodes() {
    local pid
    for pid in "${node_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    node_pids=()
}
cleanup() { stop_nodes; havale_pg_stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

havale_pg_start_durable
pg=(-h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres)
sql() { "${HAVALE_PG_BIN}/psql" "${pg[@]}" -qtAX "$@"; }

echo "two-nodes.sh: building the gateway (Release)" >&2
dotnet build src/Havale.Api -c Release -v q --nologo >/dev/null
dotnet build bench/pol -c Release -v q --nologo >/dev/null
api_dir="$PWD/src/Havale.Api/bin/Release/net10.0"
# The sandbox seed with one paying deposit rich enough for every run.
dotnet bench/pol/bin/Release/net10.0/Havale.PolBench.dll seed "$api_dir/sandbox.json" "$work/sandbox.json" 0302876732315 1000000000000000
sql -c "CREATE DATABASE havale_bench" postgres
connection="Host=127.0.0.1;Port=${HAVALE_PG_PORT};Username=postgres;Password=${PGPASSWORD};Database=havale_bench;Maximum Pool Size=100"

# start_node <port>: a Release gateway in the Production environment on the shared database, caps out of the way
# (one payer paying thousands of times a second is the benchmark's shape, not a customer's). Its node id is the
# host's name and its port, so the two nodes are two nodes to each other. One public issuer for both, as behind a
# load balancer: a token one node issued is then valid on the other (docs/scaling.md).
start_node() {
    (cd "$api_dir" && exec dotnet Havale.Api.dll --urls "http://127.0.0.1:$1" --environment Production \
        --Database:Provider=postgres "--ConnectionStrings:Havale=$connection" "--Havale:Sandbox:SeedFile=$work/sandbox.json" \
        --Havale:Pol:DailyAmountRialsMax=1000000000000000 --Havale:Pol:DailyPaymentsToOneBeneficiaryMax=1000000 \
        --Havale:Auth:Issuer=http://havale.bench/ --Logging:LogLevel:Default=Warning) >"$work/node-$1.log" 2>&1 &
    node_pids+=("$!")
    local _
    for _ in $(seq 1 120); do
        curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
        sleep 1
    done
    echo "two-nodes.sh: the node on port $1 did not start" >&2; tail -30 "$work/node-$1.log" >&2; exit 1
}
port_a=$((42000 + RANDOM % 3000)); port_b=$((port_a + 1))
# One node first, alone, so that migrations and the seed run once; the second starts on a database ready for it.
start_node "$port_a"
start_node "$port_b"
base_a="http://127.0.0.1:$port_a"; base_b="http://127.0.0.1:$port_b"
curl -sf -u havale-demo:havale-demo-secret -X PUT -H 'Content-Type: application/json' \
    -d '{"now": "2030-01-05T10:00:00+03:30"}' "$base_a/sandbox/v1/clock" >/dev/null
token="$(curl -sf -u havale-demo:havale-demo-secret -H 'Content-Type: application/json' \
    -d '{"grant_type":"authorization_code","nid":"0012345679","deposits":["0302876732315"],"scopes":"oak:instant-payment:post","limit":50000000,"bank":"062"}' \
    "$base_a/sandbox/v1/tokens" | sed -E 's/.*"value":"([^"]+)".*/\1/')"

# field <name> <RESULT line>
field() { sed -E "s/.*$1=([0-9.]+).*/\\1/" <<<"$2"; }
# wrk_half <base> <clients> <tag> [seconds]: one wrk's RESULT line
wrk_half() {
    HAVALE_TOKEN="$token" HAVALE_RUN="$3-$RANDOM" wrk -t "$(( $2 < 2 ? 1 : 2 ))" -c "$2" -d "${4:-$seconds}s" --timeout 10s \
        -s bench/wrk/pol.lua "$1" 2>&1 | grep '^RESULT'
}
# both <clients A> <clients B> <tag> [seconds]: a wrk on each node at once; their lines in $work/a.txt and $work/b.txt.
# Waits for those two only: a bare wait would wait for the nodes as well, which never end.
both() {
    local a_pid b_pid
    wrk_half "$base_a" "$1" "$3-a" "${4:-$seconds}" > "$work/a.txt" & a_pid=$!
    wrk_half "$base_b" "$2" "$3-b" "${4:-$seconds}" > "$work/b.txt" & b_pid=$!
    wait "$a_pid" "$b_pid"
}
posted() { sql -c "SELECT count(*) FROM ledger_transfers WHERE kind = 'PostPending' AND rail = 'Pol'" havale_bench; }

echo "two-nodes.sh: warm-up, 30 s on each node" >&2
# The JIT recompiles hot code for the first half minute or so (tiered compilation); measured runs start after it.
both 4 4 warm 30

rows=""
# A token from A must pay on B: otherwise every B request is a fast 401 and the sums below mean nothing.
probe="$(curl -s -o "$work/probe.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"amount":1000,"description":"probe","reasonDescription":"19","destinationFirstname":"Mahmoud","destinationLastname":"Dowlatabadi","destinationNumber":"IR370120000000003141592653"}' \
    "$base_b/oak/v2/clients/havale-demo/instantPayment?trackId=probe-$RANDOM")"
[[ "$probe" == 200 ]] || { echo "two-nodes.sh: node B answered $probe to a payment with A's token: $(cat "$work/probe.json")" >&2; exit 1; }
posted_before=$(posted)
for n in "${client_counts[@]}"; do
    echo "two-nodes.sh: one node, $n clients" >&2
    line="$(wrk_half "$base_a" "$n" "one-$n")"
    rate=$(echo "scale=0; $(field requests "$line") / $(field seconds "$line")" | bc)
    rows+="| Havale Pol, one node | $n | $(field requests "$line") | $rate | $(field p50 "$line") | $(field p99 "$line") | $(field errors "$line") |"$'\n'

    echo "two-nodes.sh: two nodes, $n clients ($((n / 2)) on each)" >&2
    both "$((n / 2))" "$((n / 2))" "two-$n"
    a="$(cat "$work/a.txt")"; b="$(cat "$work/b.txt")"
    requests=$(( $(field requests "$a") + $(field requests "$b") ))
    rate=$(echo "scale=0; $(field requests "$a") / $(field seconds "$a") + $(field requests "$b") / $(field seconds "$b")" | bc)
    rows+="| Havale Pol, two nodes (A / B) | $n | $requests | $rate | $(field p50 "$a") / $(field p50 "$b") | $(field p99 "$a") / $(field p99 "$b") | $(( $(field errors "$a") + $(field errors "$b") )) |"$'\n'
done
posted_after=$(posted)
# Debits equal credits when every balance sums to zero; open holds are what recovery has yet to resolve.
ledger="$(sql -c "SELECT 'sum of balances ' || sum(balance_rials) || ' rials; reserved by open holds ' || sum(pending_rials) || ' rials' FROM ledger_accounts" havale_bench)"
stop_nodes

echo "two-nodes.sh: pgbench" >&2
sql -c "CREATE DATABASE pgbench" postgres
"$PGBENCH" "${pg[@]}" -i -q -s 32 pgbench >/dev/null 2>&1
for n in "${client_counts[@]}"; do
    out="$("$PGBENCH" "${pg[@]}" -M prepared -c "$n" -j "$(( n < 2 ? 1 : 2 ))" -T "$seconds" pgbench 2>/dev/null)"
    tps="$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' <<<"$out" | head -1)"
    latency="$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' <<<"$out")"
    count="$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' <<<"$out")"
    rows+="| pgbench TPC-B-like -M prepared (scale 32) | $n | $count | ${tps%.*} | avg $latency | | |"$'\n'
done

cpu="$(sed -nE 's/^model name[[:space:]]*: (.*)/\1/p' /proc/cpuinfo | head -1)"
{
    echo "# One gateway node against two, on one durable PostgreSQL"
    echo
    echo "Written by \`bench/two-nodes.sh $seconds $client_list\`. A benchmark, not a test: the figures are this machine's."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(free -h | awk '/^Mem:/ {print $2}') memory"
    echo "- $("${HAVALE_PG_BIN}/postgres" --version), fsync=on, synchronous_commit=on; both nodes, PostgreSQL and wrk on this one machine"
    echo "- gateway: Release build, Production environment, log level Warning; driver: wrk with bench/wrk/pol.lua, one paying deposit"
    echo "- load average when the report was written: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- ledger after the Havale runs: ${ledger}; Pol payments posted during them: $(( posted_after - posted_before ))"
    echo
    echo "| what | clients | payments / transactions | per second | p50 ms | p99 ms | errors |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s' "$rows"
    echo
    echo "Two nodes: the clients split in halves, one wrk per node at the same time; per second is the two rates summed."
    echo "Every request has a trackId of its own; errors are wrk's non-2xx answers and socket errors."
} > "$results"
cat "$results"
