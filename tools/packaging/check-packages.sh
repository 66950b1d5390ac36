#!/usr/bin/env bash
# Packs GaussQuant and GaussQuant.Tool into a local folder feed and uses them as a newcomer would, outside the
# repository: installs the tool into a temporary tool path and runs `gq demo`, then builds, runs and publishes a
# throwaway console app that consumes the library package and tokenizes an image, and runs the same app built with a
# ProjectReference to src/GaussQuant instead. Fails on any step that fails.
#
# Our packages get a unique prerelease version, so no earlier copy in the NuGet cache can stand in for them, and that
# version is removed from the cache at the end; third-party packages come from the normal cache (restore needs no
# network once the repository has been restored). Needs only the .NET SDK (cmp is in Debian's essential diffutils).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
version="0.1.0-check.$(date +%Y%m%d%H%M%S).$$"
work="$(mktemp -d /tmp/gaussquant-packages.XXXXXX)"
packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"
cleanup() {
    local id
    rm -rf "$work"
    for id in gaussquant gaussquant.tool gaussquant.tool.linux-x64; do
        rm -rf "${packages:?}/$id/$version"
        rmdir "$packages/$id" 2>/dev/null || true
    done
}
trap cleanup EXIT
step() { printf '\n== %s (%ds)\n' "$1" "$SECONDS"; }
fail() { echo "check-packages: $1" >&2; exit 1; }

# TorchSharp's file as it is in the NuGet cache, and the one byte our fix changes in it (VER_FLG_WEAK, 0 -> 2):
# `cmp -l` prints each differing byte as "offset old new" in octal.
original="$packages/torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so"
expect_patched() {
    [ -f "$1" ] || fail "$1 is missing"
    local differences
    differences="$(cmp -l "$original" "$1" || true)"
    [ "$(wc -l <<<"$differences")" = 1 ] && [[ "$differences" =~ \ 0\ +2$ ]] \
        || fail "$1 is not TorchSharp's file with GLIBCXX_3.4.32 marked weak (cmp -l: ${differences:0:200})"
}

feed="$work/feed"
# Only our feed: our packages must come from it, and everything else is already in the cache.
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="gaussquant-check" value="$feed" />
  </packageSources>
</configuration>
XML

step "pack GaussQuant and GaussQuant.Tool $version"
dotnet pack "$repo/src/GaussQuant" -c Release -o "$feed" -p:PackageVersion="$version" -nologo -v:q
dotnet pack "$repo/src/GaussQuant.Cli" -c Release -o "$feed" -p:PackageVersion="$version" -nologo -v:q
ls -l "$feed"

step "install the tool into a temporary tool path and run gq demo"
dotnet tool install GaussQuant.Tool --version "$version" --tool-path "$work/tool" --configfile "$work/nuget.config"
expect_patched "$(find "$work/tool/.store" -name libLibTorchSharp.so -print -quit)"
(cd "$work" && "$work/tool/gq" demo -o "$work/demo")
[ -s "$work/demo/tokens.npy" ] || fail "gq demo wrote no tokens"

step "build, run and publish a console app that consumes the library package"
mkdir "$work/consumer"
cp "$repo/tools/packaging/consumer/Consumer.csproj" "$repo/tools/packaging/consumer/Program.cs" "$work/consumer/"
cp "$work/nuget.config" "$work/consumer/"
(cd "$work/consumer" && dotnet run -c Release -p:GaussQuantVersion="$version")
expect_patched "$work/consumer/bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so"
(cd "$work/consumer" && dotnet publish -c Release -p:GaussQuantVersion="$version" -o "$work/published" -nologo -v:q)
expect_patched "$work/published/runtimes/linux-x64/native/libLibTorchSharp.so"
(cd "$work" && dotnet "$work/published/Consumer.dll")

step "run the same app with a ProjectReference to src/GaussQuant (the library's run-time fix; see docs/packaging.md)"
mkdir "$work/project-consumer"
cp "$repo/tools/packaging/consumer/Consumer.csproj" "$repo/tools/packaging/consumer/Program.cs" "$work/project-consumer/"
(cd "$work/project-consumer" && dotnet run -c Release -p:GaussQuantProject="$repo/src/GaussQuant/GaussQuant.csproj")

step "packages checked"
