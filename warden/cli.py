"""``warden``: the console command. Subcommands live in ``warden.commands.*``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from app.errors import WardenError

# Each module registers its own subcommands; a module not written yet is skipped.
COMMAND_MODULES = (
    "warden.commands.wallet",
    "warden.commands.tx",
    "warden.commands.store",
    "warden.commands.review",
    "warden.commands.lists",
    "warden.commands.model",
    "warden.commands.intent",
    "warden.commands.delegates",
    "warden.commands.market",
    "warden.commands.gui",
    "warden.commands.train",
    "warden.commands.dapp",
    "warden.commands.sign",
    "warden.commands.federate",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="warden",
        description="Warden: a local EVM wallet with an on-device language model beside it.",
    )
    parser.add_argument("--version", action="version", version="warden 0.1.0")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from models.probe import FROZEN_ARG

    if argv[:1] == [FROZEN_ARG]:  # the desktop bundle trying a model in a child process
        from models.probe import main as probe_main

        return probe_main()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from app.logs import redact, setup_logging

    setup_logging(verbose=args.verbose)
    try:
        return int(args.func(args) or 0)
    except WardenError as exc:
        print(f"warden: {redact(exc.user_message())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("warden: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug, not the user's mistake: log it, say where the report is
        logging.getLogger("warden").exception("unexpected error")
        print("warden: an unexpected error happened; details are in the log.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
