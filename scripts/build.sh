#!/usr/bin/env bash
# Builds every TypeScript package (incremental: fast when nothing changed) and the optional native SM2 addon.
# The addon is optional by design: when it cannot be built, certs-service falls back to its pure-JS SM2.
set -euo pipefail
cd "$(dirname "$0")/.."
# The packages only (gateway references certs-service and chaincode): starting the system never depends on test code.
npx tsc -b gateway
if [ -f scripts/build-native.sh ]; then
  bash scripts/build-native.sh || echo "build: native SM2 addon not built; the pure-JS SM2 engine will be used" >&2
fi
