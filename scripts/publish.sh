#!/usr/bin/env bash
# Publishes the gateway for a Linux x64 server that has no .NET installed: a self-contained build (the runtime is
# inside it) with the systemd unit and the example production settings beside it, as a folder and a tarball.
#
#   scripts/publish.sh              # -> out/havale-linux-x64/ and out/havale-linux-x64.tar.gz
#   scripts/publish.sh /some/dir    # -> /some/dir/havale-linux-x64/ and /some/dir/havale-linux-x64.tar.gz
#
# Installing it on a server is README.md, "Running it in production". Needs the .NET 10 SDK on the build machine
# only. Exit code: non-zero when the build fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out_parent=$(realpath -m "${1:-out}")
name=havale-linux-x64
out="$out_parent/$name"

rm -rf "$out" "$out.tar.gz"
mkdir -p "$out"
# Not single-file: the native SQLite and OpenSSL shims stay plain files, and the unit starts the apphost directly.
dotnet publish src/Havale.Api/Havale.Api.csproj -c Release -r linux-x64 --self-contained true \
    -p:DebugType=none -o "$out" --nologo -v quiet
mkdir -p "$out/deploy"
cp deploy/havale.service deploy/havale.env.example deploy/registry.example.json "$out/deploy/"
tar -C "$out_parent" -czf "$out.tar.gz" "$name"
echo "publish.sh: $out ($(du -sh "$out" | cut -f1)), $out.tar.gz ($(du -sh "$out.tar.gz" | cut -f1))"
