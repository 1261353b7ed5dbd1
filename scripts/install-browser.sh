#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the browser end-to-end test (test/e2e/browser*.test.ts), which
# drives it with playwright-core. Idempotent: does nothing when Chromium is already there, so CI can run it every time.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# A Chinese font, so the pages' labels render as characters rather than boxes in headless screenshots.
CJK_FONT_PACKAGE=fonts-wqy-microhei
CJK_FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

if [ -x "$CHROMIUM" ] && [ -f "$CJK_FONT" ]; then
  echo "install-browser: $CHROMIUM is already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-browser: $CHROMIUM or a Chinese font is missing and installing needs root (or sudo)" >&2
  exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "install-browser: $CHROMIUM is missing; running apt-get update"
  "${SUDO[@]}" apt-get update
fi
echo "install-browser: running apt-get install -y chromium $CJK_FONT_PACKAGE"
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends chromium "$CJK_FONT_PACKAGE"
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
