#!/usr/bin/env bash
# Debian's chromium for the workbench's browser tests, installed with apt-get when missing
# (idempotent). Playwright is pointed at /usr/bin/chromium and never downloads a browser.
set -euo pipefail

say() { echo "chromium.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ -x /usr/bin/chromium ]; then
  say "found $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
say "installing chromium"
as_root apt-get update -qq >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
say "installed $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
