#!/usr/bin/env bash
# Kilid benchmark on SQLite and PostgreSQL: orders of 1,000 destinations created, signed and paid over HTTP, then a
# Paya cycle of N rows settled by PaymentRails.ResolveDueAsync. Starts a throwaway PostgreSQL (scripts/postgres.sh),
# always stops it on exit, and prints markdown table rows (bench/KILID-RESULTS.md records a run).
#
#   bench/kilid/run.sh [paya rows in the cycle, default 100000] [HTTP orders, default 5]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rows="${1:-100000}"
orders="${2:-5}"

# shellcheck source=../../scripts/postgres.sh
source scripts/postgres.sh
trap havale_pg_stop EXIT
havale_pg_start_durable   # durable, as every benchmark runs
export HAVALE_TEST_POSTGRES

dotnet build bench/kilid -c Release -v q --nologo >/dev/null
# WebApplicationFactory finds the gateway's content root through the manifest beside the benchmark's own binaries.
cd bench/kilid/bin/Release/net10.0
echo "| what | store | how many | time | throughput |"
echo "|---|---|---|---|---|"
dotnet Havale.Kilid.Bench.dll sqlite "$rows" "$orders"
dotnet Havale.Kilid.Bench.dll postgres "$rows" "$orders"
