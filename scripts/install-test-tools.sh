#!/usr/bin/env bash
# Installs what README's examples need from Debian at test time (test/readme/):
# curl and openssl (curl and TLS examples), Python's grpcio with protoc and
# gRPC's Python plugin (the Python client), headless Chromium (the browser
# example), the full Chromium that playwright-core drives (test/browser/), and
# PostgreSQL, which the tests start as a throwaway server of their own
# (scripts/test-postgres.ts; the package's own cluster is not used).
# Quick when they are installed already: no apt-get at all then.
# Run as root or with sudo; .ci/run runs it. Elsewhere, install the same tools
# your own way, or leave them out: their tests are then skipped.
set -euo pipefail

packages=(curl openssl ca-certificates python3-grpcio protobuf-compiler protobuf-compiler-grpc chromium-headless-shell chromium postgresql)

missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-tools: all installed (${packages[*]})"
  exit 0
fi
command -v apt-get >/dev/null || { echo "install-test-tools: no apt-get here; install ${missing[*]} yourself" >&2; exit 1; }
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

# A slow or flaky mirror: apt retries each download and waits for a dpkg lock
# another apt holds; the whole step is tried three times before CI gives up.
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -o Acquire::Retries=5 -o Acquire::http::Timeout=60 -o DPkg::Lock::Timeout=600)
echo "install-test-tools: installing ${missing[*]}"
for attempt in 1 2 3; do
  if "${apt[@]}" update -qq && "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "install-test-tools: installed ${missing[*]}"
    exit 0
  fi
  echo "install-test-tools: attempt $attempt failed; retrying in $((attempt * 15)) s" >&2
  sleep $((attempt * 15))
done
echo "install-test-tools: could not install ${missing[*]}" >&2
exit 1
