"""Is there a screen to open a window on? Asked before Qt is started.

Without a display, Qt's xcb platform aborts the whole process (exit 134, "Reinstalling the
application may fix this problem"), which tells the user nothing useful. This check looks for
the display the way Qt would reach it (the X server's socket, the Wayland socket) and turns its
absence into a message and exit code 2.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

from app.errors import WardenError

# Qt platforms that need no screen at all.
HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}
X11_SOCKET_DIR = Path("/tmp/.X11-unix")  # noqa: S108 - where every X server puts its socket


class NoDisplay(WardenError):
    """The desktop app was asked for where no screen can be reached."""


def _x11_reachable(display: str, socket_dir: Path = X11_SOCKET_DIR) -> bool:
    match = re.fullmatch(r"(?P<host>[^:]*):(?P<num>\d+)(\.\d+)?", display.strip())
    if not match:
        return False
    host, num = match["host"], int(match["num"])
    if host.startswith("/"):  # XQuartz (macOS) passes a socket path as the host
        return Path(host + ":" + match["num"]).exists() or Path(host).exists()
    if host in {"", "unix"}:
        path = socket_dir / f"X{num}"
        for address in (str(path), "\0" + str(path)):  # the file, then the abstract socket
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                    sock.settimeout(1.0)
                    sock.connect(address)
                return True
            except OSError:
                continue
        return False
    try:
        with socket.create_connection((host, 6000 + num), timeout=1.0):
            return True
    except OSError:
        return False


def _wayland_reachable(env: Mapping[str, str]) -> bool:
    name = env.get("WAYLAND_DISPLAY", "")
    if not name:
        return False
    path = Path(name) if name.startswith("/") else Path(env.get("XDG_RUNTIME_DIR", "")) / name
    return path.exists()


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    socket_dir: Path = X11_SOCKET_DIR,
) -> str | None:
    """Why no window can be opened here, or None when a screen is reachable (or the platform
    is one where Qt always has one: Windows, macOS)."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return None
    display = env.get("DISPLAY", "")
    if qpa in {"", "xcb"} and display and _x11_reachable(display, socket_dir):
        return None
    if qpa in {"", "wayland", "wayland-egl"} and _wayland_reachable(env):
        return None
    if display:
        return f"The display {display!r} cannot be reached (no X server answers there)."
    return "No display was found (neither DISPLAY nor WAYLAND_DISPLAY is set)."


def require_display(command: str) -> None:
    """Raise ``NoDisplay`` with what to do instead, before Qt would abort."""
    problem = display_problem()
    if problem is None:
        return
    raise NoDisplay(
        f"'{command}' opens a window, but {problem[0].lower()}{problem[1:]}",
        hint="Run it from a desktop session; on a server use 'xvfb-run -a warden "
        f"{command} ...', or 'warden demo --no-gui' to print the demo instead.",
    )
