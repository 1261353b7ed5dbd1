#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the browser end-to-end test (test/e2e/browser*.test.ts), which
# drives it with playwright-core. Idempotent: does nothing when Chromium is already there, so CI can run it every time.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "install-browser: $CHROMIUM is already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-browser: $CHROMIUM is missing and installing it needs root (or sudo)" >&2
  exit 1
fi

echo "install-browser: $CHROMIUM is missing; running apt-get update"
"${SUDO[@]}" apt-get update
echo "install-browser: running apt-get install -y chromium"
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends chromium
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
