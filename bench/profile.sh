#!/usr/bin/env bash
# Profiles the Release gateway under wrk: bench/profile.sh <sqlite|postgres> <clients> <seconds>
# A 25 s warm-up, then a measured run with `perf record -g` on the gateway (PERF=0 to skip), the gateway's CPU per
# payment, and on PostgreSQL (durable) the top statements by time from pg_stat_statements. TC=0 turns the JIT's
# tiering off, so the profile shows steady-state code rather than recompilation. EXPLAIN_MS=n prints the plans of
# PostgreSQL statements slower than n ms (auto_explain). perf.data is left in the work folder:
#   perf report -i <work>/perf.data --children --sort sym
# Servers listen on 127.0.0.1 only; every run is bounded in time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v perf >/dev/null || { [[ "${PERF:-1}" == 0 ]] || apt-get install -y -q linux-perf >/dev/null; }
store="$1"; clients="$2"; seconds="$3"
work="$(mktemp -d /tmp/havale-profile.XXXXXX)"; echo "profile.sh: work folder $work" >&2
source scripts/postgres.sh
gateway_pid=""
cleanup() { [[ -n "$gateway_pid" ]] && kill "$gateway_pid" 2>/dev/null; wait 2>/dev/null; [[ "$store" == postgres ]] && havale_pg_stop >/dev/null 2>&1; true; }
trap cleanup EXIT
dotnet build src/Havale.Api -c Release -v q --nologo >/dev/null
dotnet build bench/pol -c Release -v q --nologo >/dev/null
api_dir="$PWD/src/Havale.Api/bin/Release/net10.0"
dotnet bench/pol/bin/Release/net10.0/Havale.PolBench.dll seed "$api_dir/sandbox.json" "$work/sandbox.json" 0302876732315 1000000000000000
if [[ "$store" == postgres ]]; then
  havale_pg_start_durable
  "${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -qtAX -c "CREATE DATABASE havale_bench" postgres
  "${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -qtAX -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" postgres
  conn="Host=127.0.0.1;Port=${HAVALE_PG_PORT};Username=postgres;Password=${PGPASSWORD};Database=havale_bench;Maximum Pool Size=100"
  if [[ "${EXPLAIN_MS:-0}" != 0 ]]; then
    # EXPLAIN_MS=n: the plan (with its timings) of every statement slower than n ms goes to the server's log, printed below.
    "${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -qtAX postgres \
      -c "LOAD 'auto_explain'" -c "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'" -c "ALTER SYSTEM SET auto_explain.log_min_duration = '${EXPLAIN_MS}ms'" \
      -c "ALTER SYSTEM SET auto_explain.log_analyze = on" -c "SELECT pg_reload_conf()" >/dev/null
  fi
else
  conn="Data Source=$work/havale.db"
fi
port=$((42000 + RANDOM % 5000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
(cd "$api_dir" && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_TieredCompilation=${TC:-1} exec dotnet Havale.Api.dll --urls "http://127.0.0.1:$port" --environment Production \
  "--Database:Provider=$store" "--ConnectionStrings:Havale=$conn" "--Havale:Sandbox:SeedFile=$work/sandbox.json" \
  --Havale:Pol:DailyAmountRialsMax=1000000000000000 --Havale:Pol:DailyPaymentsToOneBeneficiaryMax=1000000 \
  --Havale:Auth:TokenRequestsPerMinute=100000 --Logging:LogLevel:Default=Warning ${HAVALE_PROFILE_ARGS:-}) >"$work/gateway.log" 2>&1 &
gateway_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 200); do curl -sf "$base/health" >/dev/null 2>&1 && break; sleep 1; done
curl -sf -u havale-demo:havale-demo-secret -X PUT -H 'Content-Type: application/json' -d '{"now": "2030-01-05T10:00:00+03:30"}' "$base/sandbox/v1/clock" >/dev/null
token="$(curl -sf -u havale-demo:havale-demo-secret -H 'Content-Type: application/json' \
  -d '{"grant_type":"authorization_code","nid":"0012345679","deposits":["0302876732315"],"scopes":"oak:instant-payment:post","limit":50000000,"bank":"062"}' \
  "$base/sandbox/v1/tokens" | sed -E 's/.*"value":"([^"]+)".*/\1/')"
HAVALE_TOKEN="$token" HAVALE_RUN="warm-$RANDOM" wrk -t 2 -c "$clients" -d 25s -s bench/wrk/pol.lua "$base" | grep RESULT
[[ "$store" == postgres ]] && "${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -qtAX -c "SELECT pg_stat_statements_reset()" postgres >/dev/null
t0=$(awk '{ print $14 + $15 }' /proc/$gateway_pid/stat)
if [[ "${PERF:-1}" == 1 ]]; then
  perf record -F 999 -g -p "$gateway_pid" -o "$work/perf.data" -- sleep "$seconds" >/dev/null 2>&1 &
fi
HAVALE_TOKEN="$token" HAVALE_RUN="m-$RANDOM" wrk -t 2 -c "$clients" -d "${seconds}s" -s bench/wrk/pol.lua "$base" | grep RESULT | tee "$work/result.txt"
t1=$(awk '{ print $14 + $15 }' /proc/$gateway_pid/stat)
req=$(sed -E 's/.*requests=([0-9]+).*/\1/' "$work/result.txt")
echo "gateway CPU ms per payment: $(echo "scale=3; ($t1 - $t0) * 10 / $req" | bc)"
sleep 2
if [[ "$store" == postgres ]]; then
  "${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -X -c "SELECT calls, round(total_exec_time::numeric,1) AS ms, round((total_exec_time/calls)::numeric,3) AS ms_each, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS q FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname='havale_bench' ORDER BY total_exec_time DESC LIMIT 25" postgres
  "${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -qtAX -c "SELECT sum(calls) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname='havale_bench'" postgres
  "${HAVALE_PG_BIN}/psql" -h 127.0.0.1 -p "$HAVALE_PG_PORT" -U postgres -qtAX -c "SELECT xact_commit FROM pg_stat_database WHERE datname='havale_bench'" postgres
  if [[ "${EXPLAIN_MS:-0}" != 0 ]]; then
    grep -A14 "duration:.*plan:" "$HAVALE_PG_DIR/server.log" | head -n 200 || true
  fi
fi
