"""The desktop bundle's program: ``warden`` with no arguments opens the app (``warden gui``);
with arguments it is the ordinary command line (``warden --help``, ``warden demo``, ...)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def bundle_args(argv: Sequence[str]) -> list[str]:
    args = list(argv)
    # ui/autostart.py writes "<sys.executable> -m warden gui --minimized" into the login entry.
    # In the bundle sys.executable is this program, which then receives "-m warden ..." as its
    # arguments: accept that form so "Start at login" works from an installed copy too.
    if args[:2] == ["-m", "warden"]:
        args = args[2:]
    return args or ["gui"]


def tolerant_output() -> None:
    """Never die on a character the output cannot encode: through a pipe, Windows gives
    Python the locale's code page (cp1252), where a model's emoji would end ``warden ask``
    with UnicodeEncodeError. The windowed program has no streams at all (None)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            reconfigure(errors="replace")


def run() -> int:
    from warden.cli import main

    tolerant_output()
    return main(bundle_args(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(run())
