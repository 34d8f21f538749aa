#!/usr/bin/env bash
# Thin shim: every target (build, test, run, up, bench) lives in the C# build program, deploy/Permits.Build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
exec dotnet run --project deploy/Permits.Build -c Release -- "$@"
