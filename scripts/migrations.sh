#!/usr/bin/env bash
# Adds a migration to both providers' histories (SQLite and PostgreSQL keep separate ones because their SQL differs).
#   scripts/migrations.sh add NAME      add migration NAME for both providers
#   scripts/migrations.sh reset NAME    delete every migration and start again from one named NAME
#                                       (only while no database outside a developer's machine uses them)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command="${1:?usage: scripts/migrations.sh add|reset NAME}"
name="${2:?usage: scripts/migrations.sh add|reset NAME}"
api=src/Havale.Api
dotnet tool restore >/dev/null
if [[ "$command" == "reset" ]]; then
    rm -rf "$api/Storage/Migrations"
elif [[ "$command" != "add" ]]; then
    echo "unknown command $command" >&2
    exit 2
fi
for provider in Sqlite Postgres; do
    dotnet ef migrations add "$name" --project "$api" --context "${provider}HavaleDb" \
        --output-dir "Storage/Migrations/$provider" --namespace "Havale.Api.Storage.Migrations.$provider"
    # With --namespace the tool writes the model snapshot under a folder named after the namespace; put it beside the migrations.
    stray="$api/Havale/Api/Storage/Migrations/$provider/${provider}HavaleDbModelSnapshot.cs"
    if [[ -f "$stray" ]]; then
        mv "$stray" "$api/Storage/Migrations/$provider/"
    fi
done
rm -rf "$api/Havale"
