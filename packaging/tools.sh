#!/usr/bin/env bash
# Node tools into .tools/ for the tests that need them: the anvil JSON-RPC node
# (npm @foundry-rs/anvil) and Mozilla's web-ext, which lints the Firefox build of the
# browser extension.
set -euo pipefail
cd "$(dirname "$0")/.."
# Both in one install: an install of one without a package.json prunes the other.
if [ ! -x .tools/node_modules/.bin/anvil ] || [ ! -x .tools/node_modules/.bin/web-ext ]; then
  mkdir -p .tools
  npm install --prefix .tools --no-save --no-audit --no-fund --loglevel=error \
    "@foundry-rs/anvil@1.7.1" "web-ext@10.7.0"
fi
.tools/node_modules/.bin/anvil --version | head -1
echo "web-ext $(.tools/node_modules/.bin/web-ext --version)"
