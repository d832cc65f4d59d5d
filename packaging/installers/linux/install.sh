#!/usr/bin/env bash
# Install Warden for the current user from the unpacked release folder (no root needed):
#   ./install.sh              install into ~/.local/opt/warden (or $WARDEN_PREFIX)
#   ./install.sh --uninstall  remove the program, menu entry and icons
# Your wallet data (~/.local/share/Warden, ~/.config/Warden) is never touched by either:
# remove those folders yourself only after you have your recovery phrase and a backup.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${WARDEN_PREFIX:-$HOME/.local/opt/warden}"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
CONFIG_HOME="${XDG_CONFIG_HOME:-$HOME/.config}"
BIN_DIR="$HOME/.local/bin"
APPS_DIR="$DATA_HOME/applications"
ICONS_DIR="$DATA_HOME/icons/hicolor"
SIZES="16 24 32 48 64 128 256 512"

refresh_caches() {
  # Menus pick up new entries by themselves on most desktops; these only speed it up.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$APPS_DIR" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$ICONS_DIR" 2>/dev/null || true
  fi
}

do_uninstall() {
  rm -rf -- "$PREFIX"
  rm -f -- "$APPS_DIR/warden.desktop"
  for size in $SIZES; do
    rm -f -- "$ICONS_DIR/${size}x${size}/apps/warden.png"
  done
  rm -f -- "$ICONS_DIR/scalable/apps/warden.svg"
  if [ -L "$BIN_DIR/warden" ]; then rm -f -- "$BIN_DIR/warden"; fi
  # "Start at login" entry written by the app; it would point at the removed program.
  rm -f -- "$CONFIG_HOME/autostart/warden.desktop"
  refresh_caches
  echo "Warden removed. Your data stays in $DATA_HOME/Warden and $CONFIG_HOME/Warden."
}

do_install() {
  if [ ! -x "$HERE/warden/warden" ]; then
    echo "install.sh: run me from the unpacked release folder (no warden/warden here)" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$PREFIX")"
  # Copy beside the old version first, then swap, so a failed copy leaves the old one working.
  rm -rf -- "$PREFIX.new"
  cp -a "$HERE/warden" "$PREFIX.new"
  rm -rf -- "$PREFIX"
  mv -- "$PREFIX.new" "$PREFIX"

  mkdir -p "$APPS_DIR" "$BIN_DIR"
  # The menu entry starts the installed program by its full path ($HOME may hold spaces, so
  # the path is quoted as the Desktop Entry spec asks).
  sed -e "s|^Exec=.*|Exec=\"$PREFIX/warden\" gui|" -e "s|^TryExec=.*|TryExec=$PREFIX/warden|" \
    "$HERE/warden.desktop" >"$APPS_DIR/warden.desktop"
  chmod 644 "$APPS_DIR/warden.desktop"
  for size in $SIZES; do
    if [ -f "$HERE/icons/warden-$size.png" ]; then
      install -D -m 644 "$HERE/icons/warden-$size.png" "$ICONS_DIR/${size}x${size}/apps/warden.png"
    fi
  done
  if [ -f "$HERE/icons/warden.svg" ]; then
    install -D -m 644 "$HERE/icons/warden.svg" "$ICONS_DIR/scalable/apps/warden.svg"
  fi
  ln -sfn "$PREFIX/warden" "$BIN_DIR/warden"
  refresh_caches
  echo "Warden installed in $PREFIX; start it from the menu or with: $BIN_DIR/warden"
  case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) echo "(add $BIN_DIR to PATH to type just 'warden')" ;;
  esac
}

case "${1:-}" in
  "") do_install ;;
  --uninstall) do_uninstall ;;
  -h | --help) sed -n '2,6p' "$0" ;;
  *)
    echo "install.sh: unknown option '$1' (use --uninstall or nothing)" >&2
    exit 2
    ;;
esac
