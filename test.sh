#!/usr/bin/env bash
# Runs every test of the solution (dotnet test Havale.slnx), SQLite and PostgreSQL alike, after packing the client
# library (dotnet pack fails when the package would lack its README, license or XML docs).
#
# PostgreSQL: if HAVALE_TEST_POSTGRES (an Npgsql connection string) is set, it is used as
# is. Otherwise a throwaway server is started with scripts/postgres.sh (installing
# Debian's postgresql package if needed) and always stopped and deleted on exit.
#
# Chromium: the consent-page test drives Debian's /usr/bin/chromium; scripts/chromium.sh installs it if missing.
#
# Extra arguments go to dotnet test, e.g. ./test.sh --filter FullyQualifiedName~Transfer
# Exit code: non-zero when packing fails, otherwise dotnet test's exit code.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# Havale.Client ships as a NuGet package; packing it here is how CI proves it still packs.
pack_dir=$(mktemp -d)
dotnet pack src/Havale.Client/Havale.Client.csproj -c Release -o "$pack_dir" --nologo -v quiet
echo "test.sh: packed $(cd "$pack_dir" && ls ./*.nupkg)"
rm -rf "$pack_dir"

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/chromium.sh
source scripts/chromium.sh
havale_chromium_ensure

if [[ -n "${HAVALE_TEST_POSTGRES:-}" ]]; then
    echo "test.sh: PostgreSQL from HAVALE_TEST_POSTGRES: $(havale_pg_redact "$HAVALE_TEST_POSTGRES")"
else
    trap havale_pg_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    havale_pg_start
    echo "test.sh: PostgreSQL throwaway server: $(havale_pg_redact "$HAVALE_TEST_POSTGRES")"
fi
export HAVALE_TEST_POSTGRES

# The runner's own summary is one line per test project; CI and people read one total, printed last.
log=$(mktemp)
set +e
dotnet test Havale.slnx --nologo -v minimal "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# awk, not grep: a logger of one's own (--logger "console;verbosity=detailed") prints no "Passed!" line, and a grep
# finding nothing would fail the pipeline and, under set -e, end the script with 1 instead of dotnet test's code.
count() {
    awk -v field="$1" '/^(Passed|Failed)!/ { lines++; if (match($0, field ": +[0-9]+")) { n = substr($0, RSTART, RLENGTH); sub(/^[^0-9]+/, "", n); s += n } }
        END { if (lines) print s + 0 }' "$log"
}
passed=$(count Passed)
failed=$(count Failed)
rm -f "$log"
if [[ -n "$passed" ]]; then
    echo "tests: $passed passed, $failed failed"
else
    echo "tests: no per-project summary line in dotnet test's output (another --logger?); its own counts are above"
fi
exit "$rc"
