"""``warden gui``: the desktop app on the user's own store (PySide6 is imported only when the
command runs)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("gui", help="open the desktop app on your wallet")
    p.add_argument(
        "--minimized",
        action="store_true",
        help="start in the tray (used by 'start at login'); the window opens from the tray",
    )
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from warden.display import require_display

    require_display("gui")
    from ui.app import run_gui
    from warden.context import hold_writer_lock

    writer = hold_writer_lock()  # the app writes for as long as it runs; one at a time
    try:
        return run_gui(minimized=args.minimized)
    finally:
        writer.release()
