#!/usr/bin/env bash
# Inside a D-Bus session: start gnome-keyring's Secret Service, unlocked from stdin with a
# throw-away password (a fresh login keyring in a temporary XDG_DATA_HOME), then run the given
# command. WARDEN_TEST_KEYRING=1 tells the keyring tests to fail, not skip, if this did not work.
set -euo pipefail
export WARDEN_TEST_KEYRING=1
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
if out="$(printf 'warden-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"; then
  eval "$out"
  export GNOME_KEYRING_CONTROL 2>/dev/null || true
else
  echo "with-keyring.sh: gnome-keyring-daemon did not start; the keyring tests will fail" >&2
fi
exec "$@"
