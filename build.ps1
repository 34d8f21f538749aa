#!/usr/bin/env pwsh
# Thin shim: every target (build, test, run, up, bench) lives in the C# build program, deploy/Permits.Build.
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
& dotnet run --project deploy/Permits.Build -c Release -- @args
exit $LASTEXITCODE
