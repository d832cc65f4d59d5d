"""“Start at login” through the XDG autostart folder (a .desktop file), separate from
“keep running in the tray”, which only decides what closing the window does."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.fileio import write_atomic

DESKTOP_NAME = "warden.desktop"


def _exec_quote(arg: str) -> str:
    """Quote one argument of a Desktop Entry ``Exec`` key: the spec allows only double quotes,
    inside which ``"``, ``` ` ```, ``$`` and ``\\`` are escaped with a backslash."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def autostart_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / DESKTOP_NAME


def is_enabled() -> bool:
    return autostart_file().exists()


def set_enabled(enabled: bool) -> None:
    path = autostart_file()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    command = f"{_exec_quote(sys.executable)} -m warden gui --minimized"
    text = (
        "[Desktop Entry]\nType=Application\nName=Warden\n"
        "Comment=Local EVM wallet with on-device delegates\n"
        f"Exec={command}\nX-GNOME-Autostart-enabled=true\nTerminal=false\n"
    )
    write_atomic(path, text.encode())
