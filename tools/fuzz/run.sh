#!/usr/bin/env bash
# The long fuzzing run (docs/security.md): builds tools/fuzz and runs every format gq reads.
# Usage: tools/fuzz/run.sh [--cases N] [--minutes M] [--seed S] [--formats png,jpeg,...] [--findings DIR]
# Defaults: 20,000 cases per format, seed 1, findings in $TMPDIR/gq-fuzz-findings. Exits 1 when anything crashed or hung.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet build "$root/tools/fuzz/GaussQuant.Fuzz.csproj" -c Release --nologo -v quiet >/dev/null
exec dotnet "$root/tools/fuzz/bin/Release/net10.0/gq-fuzz.dll" "$@"
