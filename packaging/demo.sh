#!/usr/bin/env bash
# The first README command: install Warden into .venv/ and start it on the embedded demo
# (a local in-process EVM, a funded demo wallet, recorded market data; works offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install.sh
if [ "$#" -eq 0 ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] \
    && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "No display found, so the demo is printed instead of opened in a window."
  echo "On a desktop session, run: .venv/bin/warden demo"
  exec .venv/bin/warden demo --no-gui
fi
exec .venv/bin/warden demo "$@"
