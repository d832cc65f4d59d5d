#!/usr/bin/env bash
# Debian packages the tests need: a virtual X server, a real Secret Service (gnome-keyring on
# D-Bus), the libraries Qt's xcb and offscreen platforms load, qemu-user (the model is run on an
# emulated older CPU) and binutils (objdump checks the built library's instructions).
# chromium and chromium-driver run the dapp extension test (tests/app/dapp/test_browser.py).
# Skips apt when all are there.
set -euo pipefail
pkgs=(xvfb xauth dbus dbus-x11 gnome-keyring libsecret-1-0 libegl1 libgl1 libopengl0
      libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 fonts-dejavu-core libdbus-1-3
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
      libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 libglib2.0-0
      desktop-file-utils qemu-user binutils stress-ng chromium chromium-driver)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi
