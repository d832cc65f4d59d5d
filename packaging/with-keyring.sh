#!/usr/bin/env bash
# Inside a D-Bus session: start gnome-keyring's Secret Service, unlocked from stdin with a
# throw-away password, then run the given command.
set -euo pipefail
export WARDEN_TEST_KEYRING=1
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
eval "$(printf 'warden-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
exec "$@"
