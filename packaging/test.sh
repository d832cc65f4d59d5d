#!/usr/bin/env bash
# The second README command: install everything the tests need, then lint, type-check and run
# the whole suite with a real Secret Service (gnome-keyring under its own D-Bus session).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/system-deps.sh
bash packaging/tools.sh
bash packaging/install.sh test,train
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
set +e
dbus-run-session -- bash packaging/with-keyring.sh .venv/bin/python -m pytest "$@"
rc=$?
set -e
[ "$rc" -eq 5 ] && { echo "pytest collected no tests" >&2; exit 1; }
exit "$rc"
