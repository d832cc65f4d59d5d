"""``warden provider``: the dapp provider without the window (for the daemon and for tests),
and the pairing and connected-site commands.

Headless, the user answers at the terminal: a connection is a yes, a caution a yes, danger
the typed words. Without a terminal every prompt is a no: nothing is signed unattended."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from typing import Any

from app.dapp.approval import Decision, SigningPrompt
from app.review_types import DANGER_CONFIRMATION


class TerminalApproval:
    """The approval port at a terminal; one prompt at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def _ask(self, text: str) -> str:
        if not sys.stdin.isatty():
            print(f"{text}\n(no terminal: refused)", flush=True)
            return ""
        try:
            return input(text).strip()
        except EOFError:
            return ""

    def connect(self, origin: str, accounts: list[str], lookalike: str | None) -> list[str]:
        with self._lock:
            print(f"\n{origin} asks to connect to your accounts:", *accounts, sep="\n  ")
            if lookalike:
                print(f"WARNING: this site looks like {lookalike}.")
            return accounts if self._ask("Connect? [y/N] ").lower() in ("y", "yes") else []

    def review(self, prompt: SigningPrompt) -> Decision:
        with self._lock:
            review = prompt.review
            print(f"\n{prompt.origin} asks you to sign a {prompt.kind}.")
            if prompt.lookalike:
                print(f"WARNING: this site looks like {prompt.lookalike}.")
            print(f"Verdict: {review.verdict.upper()}. {review.summary}")
            for f in review.findings:
                print(f"  [{f.severity}] {f.detail}")
            if review.verdict == "danger":
                words = self._ask(f"Type '{DANGER_CONFIRMATION}' to sign anyway: ")
                return Decision(words == DANGER_CONFIRMATION, words or None)
            return Decision(self._ask("Sign? [y/N] ").lower() in ("y", "yes"))

    def switch_chain(self, origin: str, chain_id: int, name: str) -> bool:
        with self._lock:
            return self._ask(
                f"\n{origin} asks to switch to {name} ({chain_id}). Allow? [y/N] "
            ) in (
                "y",
                "yes",
            )

    def add_chain(self, origin: str, chain_id: int, name: str, rpc_url: str, symbol: str) -> bool:
        with self._lock:
            print(f"\n{origin} asks to add the network {name} (chain {chain_id}, {symbol}).")
            print(f"Its node: {rpc_url}")
            return self._ask("Add it and switch to it? [y/N] ").lower() in ("y", "yes")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "provider",
        help="the local dapp provider (EIP-1193 on 127.0.0.1) and connected sites",
        description="Serve the dapp provider on 127.0.0.1 (the app starts it by itself), pair "
        "the browser extension, list or revoke connected sites.",
    )
    p.add_argument("--port", type=int, default=1248, help="port on 127.0.0.1 (default 1248)")
    p.add_argument("--network", help="the network sites start on (name or chain id)")
    p.set_defaults(func=cmd_serve)
    ps = p.add_subparsers(dest="provider_command", metavar="ACTION")
    pair = ps.add_parser(
        "pair", help="print the pairing token; --extension DIR builds the extension"
    )
    pair.add_argument(
        "--extension",
        metavar="DIR",
        help="write the unpacked extension to DIR/chromium, DIR/firefox",
    )
    pair.add_argument("--port", type=int, default=1248)
    pair.add_argument("--renew", action="store_true", help="make a new token (unpairs the old)")
    pair.set_defaults(func=cmd_pair)
    sites = ps.add_parser("sites", help="list connected sites")
    sites.set_defaults(func=cmd_sites)
    revoke = ps.add_parser("revoke", help="disconnect a site")
    revoke.add_argument("origin")
    revoke.set_defaults(func=cmd_revoke)


def cmd_pair(args: argparse.Namespace) -> int:
    from app.dapp.permissions import Permissions
    from warden.context import open_store

    store = open_store()
    try:
        token = Permissions(store).pairing_token(renew=args.renew)
    finally:
        store.close()
    if args.renew:
        from app.config import default_paths
        from app.dapp.listener import RECORD_NAME, record_token

        record_token(default_paths().config_dir / RECORD_NAME, token)
    if args.extension:
        import importlib.util
        from pathlib import Path

        root = Path(__file__).resolve().parents[2] / "extension" / "build.py"
        spec = importlib.util.spec_from_file_location("warden_extension_build", root)
        if spec is None or spec.loader is None or not root.exists():
            from app.errors import InvalidInput

            raise InvalidInput("The extension's files are not installed with this Warden.")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        built = module.build_all(Path(args.extension), token=token, port=args.port)
        print(
            f"Extension written to {built['chromium']} (Chromium, Chrome, Brave, Edge: "
            f"chrome://extensions, Load unpacked) and {built['firefox']} (Firefox: "
            "about:debugging, This Firefox, Load Temporary Add-on, its manifest.json)."
        )
    else:
        print(token)
    return 0


def cmd_sites(args: argparse.Namespace) -> int:
    from app.dapp.permissions import Permissions
    from warden.context import open_store

    store = open_store()
    try:
        found = Permissions(store).all()
    finally:
        store.close()
    if not found:
        print("No site is connected.")
    for c in found:
        print(f"{c.origin}  since {c.connected_at}  " + ", ".join(c.accounts))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from app.dapp.permissions import Permissions, normalize_origin
    from warden.context import open_store

    store = open_store()
    try:
        gone = Permissions(store).revoke(normalize_origin(args.origin))
    finally:
        store.close()
    print("Disconnected." if gone else "That site was not connected.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from app.dapp.chains import StoreChains
    from app.dapp.permissions import Permissions
    from app.dapp.provider import DappProvider
    from app.dapp.server import ProviderServer, ServerOptions
    from app.wallet import networks
    from warden.commands.wallet import DEFAULT_NETWORK
    from warden.context import open_store
    from warden.pipeline import review_source

    store = open_store()
    try:
        with store.session() as s:
            info = networks.get_network(s, args.network or DEFAULT_NETWORK)
            symbols = {n.chain_id: n.native_symbol for n in networks.list_networks(s)}
        provider = DappProvider(
            store,
            StoreChains(store),
            lambda c: review_source(store, c, symbols.get(c.chain_id, "ETH"), c.chain_id),
            TerminalApproval(),
            chain_id=info.chain_id,
        )
        token = Permissions(store).pairing_token()
        server = ProviderServer(provider, ServerOptions(port=args.port, token=token))
        asyncio.run(_serve(server))
    finally:
        store.close()
    return 0


async def _serve(server: Any) -> None:
    port = await server.start()
    print(f"Warden's dapp provider is listening on 127.0.0.1:{port}. Ctrl+C stops it.", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
