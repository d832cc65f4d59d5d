#!/usr/bin/env bash
# Build Warden for macOS: PyInstaller makes dist/pyinstaller/Warden.app (the BUNDLE step of
# packaging/installers/warden.spec: bundle id org.warden.Warden, LSUIElement false,
# NSHighResolutionCapable), then hdiutil wraps it in dist/warden-VERSION-macos-ARCH.dmg.
#   bash packaging/installers/macos/build.sh
# Run on a Mac with Xcode's command line tools, from the .venv made by packaging/install.sh
# (it needs sha256sum and nproc: brew install coreutils). Builds for the Mac's own
# architecture (arm64 or x86_64); PyInstaller does not cross-build.
# The app must carry the portable llama.cpp of packaging/llama-wheel.sh (GGML_NATIVE=OFF: the
# arm64 baseline, or x86-64-v3 on Intel), never a -march=native build that dies with SIGILL on
# an older Mac: check_llama.py refuses a venv that install.sh did not set up.
#
# Optional, with your own Apple Developer ID (nothing here has one):
#   WARDEN_CODESIGN_IDENTITY="Developer ID Application: Your Name (TEAMID)"  sign the app
#   WARDEN_NOTARY_PROFILE=profile-name   notarize and staple the .dmg; make the profile once
#     with: xcrun notarytool store-credentials profile-name --apple-id ... --team-id ...
# Unsigned builds run after the user right-clicks the app and chooses Open once.
# Run by the release workflow (.github/workflows/installers.yml) on GitHub's macOS runners;
# written on Linux, where it cannot be executed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$REPO/packaging/installers/macos"
PY="${PYTHON:-$REPO/.venv/bin/python}"
cd "$REPO"
[ "$(uname -s)" = Darwin ] || { echo "build.sh: this builds a macOS app; run it on a Mac" >&2; exit 1; }
[ -x "$PY" ] || { echo "build.sh: no Python at $PY (run packaging/install.sh first)" >&2; exit 1; }
"$PY" "$REPO/packaging/installers/check_llama.py" || exit 1
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q "pyinstaller>=6.10"
VERSION="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(uname -m)"
WORK="$REPO/build/macos"
rm -rf "$WORK"
mkdir -p "$WORK" "$REPO/dist"
start=$(date +%s)

echo "== icon (iconutil) =="
ICONSET="$WORK/warden.iconset"
mkdir -p "$ICONSET"
PNG="$REPO/packaging/icons/png"
for size in 16 32 128 256 512; do
  cp "$PNG/warden-$size.png" "$ICONSET/icon_${size}x${size}.png"
  double=$((size * 2))
  if [ -f "$PNG/warden-$double.png" ]; then
    cp "$PNG/warden-$double.png" "$ICONSET/icon_${size}x${size}@2x.png"
  fi
done
iconutil -c icns "$ICONSET" -o "$WORK/warden.icns"
export WARDEN_ICNS="$WORK/warden.icns"

echo "== PyInstaller (Warden.app) =="
# The spec passes WARDEN_CODESIGN_IDENTITY (if set) to PyInstaller's own signing step.
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$REPO/dist/pyinstaller" --workpath "$REPO/build/pyinstaller" \
  "$REPO/packaging/installers/warden.spec"
APP="$REPO/dist/pyinstaller/Warden.app"
/usr/libexec/PlistBuddy -c "Print :CFBundleIdentifier" "$APP/Contents/Info.plist"

echo "== smoke test =="
QT_QPA_PLATFORM=offscreen WARDEN_HOME="$(mktemp -d)" "$APP/Contents/MacOS/Warden" --help >/dev/null
QT_QPA_PLATFORM=offscreen WARDEN_HOME="$(mktemp -d)" "$APP/Contents/MacOS/Warden" demo --no-gui >/dev/null
# The bundled llama.cpp loads and answers (a short answer: this is a smoke test).
answer="$(WARDEN_HOME="$(mktemp -d)" "$APP/Contents/MacOS/Warden" ask "Say hi." --max-tokens 16)"
[ -n "$(printf '%s' "$answer" | grep -v '^\[stopped at the ' | tr -d '[:space:]')" ] || {
  echo "build.sh: the bundled model gave an empty answer" >&2
  exit 1
}
echo "model: $answer"

if [ -n "${WARDEN_CODESIGN_IDENTITY:-}" ]; then
  echo "== codesign (hardened runtime) =="
  # The runtime loads llama.cpp and Python extension modules signed by the same identity; the
  # entitlements allow the Python interpreter's executable memory.
  codesign --force --deep --options runtime --timestamp \
    --entitlements "$HERE/entitlements.plist" --sign "$WARDEN_CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
fi

echo "== .dmg (hdiutil) =="
DMG="$REPO/dist/warden-$VERSION-macos-$ARCH.dmg"
STAGE="$WORK/dmg"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Warden $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"

if [ -n "${WARDEN_NOTARY_PROFILE:-}" ]; then
  [ -n "${WARDEN_CODESIGN_IDENTITY:-}" ] || { echo "notarizing needs a signed app" >&2; exit 1; }
  echo "== notarize =="
  codesign --force --timestamp --sign "$WARDEN_CODESIGN_IDENTITY" "$DMG"
  xcrun notarytool submit "$DMG" --keychain-profile "$WARDEN_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
fi
echo "done in $(($(date +%s) - start)) s: $DMG ($(du -h "$DMG" | cut -f1))"
