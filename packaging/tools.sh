#!/usr/bin/env bash
# The anvil JSON-RPC node (npm @foundry-rs/anvil) into .tools/, for the tests that need a real node.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .tools/node_modules/.bin/anvil ]; then
  mkdir -p .tools
  npm install --prefix .tools --no-save --no-audit --no-fund --loglevel=error \
    "@foundry-rs/anvil@1.7.1"
fi
.tools/node_modules/.bin/anvil --version | head -1
