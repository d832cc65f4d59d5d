#!/usr/bin/env bash
# The first README command: install Warden into .venv/ and start it on the embedded demo
# (a local in-process EVM, a funded demo wallet, recorded market data; works offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install.sh
exec .venv/bin/warden demo "$@"
