"""``warden tx speedup HASH`` and ``warden tx cancel HASH``: replace a pending transaction with
one of the same nonce and higher fees (``app.wallet.replace``), reviewed and confirmed like
any send. Also the review-confirm-send steps ``warden send`` shares with them."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("tx", help="speed up or cancel a pending transaction")
    tsub = p.add_subparsers(dest="tx_cmd", metavar="ACTION", required=True)
    for kind, text in (
        ("speedup", "send it again with the same nonce and a higher fee"),
        ("cancel", "replace it with a 0-value send to yourself (same nonce, higher fee)"),
    ):
        t = tsub.add_parser(kind, help=text)
        t.add_argument("hash", metavar="HASH", help="the pending transaction's hash")
        t.add_argument(
            "--network", "-n", default=None, help="network name or chain id (default Ethereum)"
        )
        t.add_argument(
            "--yes",
            action="store_true",
            help="skip the y/N question (never the typed confirmation for danger)",
        )
        t.add_argument(
            "--wait", type=float, default=120.0, metavar="S", help="seconds to wait (default 120)"
        )
        t.set_defaults(func=cmd_replace, kind=kind)


def cmd_replace(args: argparse.Namespace) -> int:
    from app.wallet import networks, replace
    from app.wallet.amounts import format_amount
    from warden.context import open_store
    from warden.pipeline import make_pipeline

    tx_hash = replace.check_hash(args.hash)  # refused before anything is opened
    store = open_store()
    try:
        with store.session() as s:
            info = networks.get_network(s, args.network or "Ethereum")
        client = networks.connect(info)
        pipeline = make_pipeline(
            store, client, native_symbol=info.native_symbol, chain_id=info.chain_id
        )
        pipeline.resume_unfinished()
        original = replace.find_original(store, client, tx_hash)
        built = replace.replacement(client, original, args.kind)
        prepared = pipeline.prepare(built, kind=args.kind)
        old = original.built
        what = "Speed up" if args.kind == replace.SPEEDUP else "Cancel"
        print(f"{what} {tx_hash} (nonce {original.nonce}) on {info.name}")
        if args.kind == replace.CANCEL:
            print(f"  replaced by a 0 {info.native_symbol} send to yourself ({old.sender})")
        for label, before, after in (
            ("max fee", old.max_fee_per_gas, built.max_fee_per_gas),
            ("priority fee", old.max_priority_fee_per_gas, built.max_priority_fee_per_gas),
        ):
            print(
                f"  {label} {format_amount(before, 9, places=4)} -> "
                f"{format_amount(after, 9, places=4)} gwei"
            )
        code, result = review_and_send(
            store, pipeline, prepared, yes=args.yes, wait=args.wait, fee_symbol=info.native_symbol
        )
        if result is not None and result.status == "replaced":
            # The original was mined before its replacement: record what it became.
            status = replace.settle_original(store, client, tx_hash)
            print(f"The original was mined first ({status}); the replacement was not needed.")
    finally:
        store.close()
    return code


def review_and_send(
    store: Any,
    pipeline: Any,
    prepared: Any,
    *,
    yes: bool,
    wait: float,
    fee_symbol: str,
) -> tuple[int, Any]:
    """Show the review of ``prepared``, ask the user, send and wait for the receipt.
    Returns the exit code and the ``Sent`` (None when nothing was sent)."""
    from app.review_types import DANGER_CONFIRMATION
    from app.wallet.amounts import format_amount

    built, outcome = prepared.built, prepared.review
    print(
        f"  max fee {format_amount(built.gas * built.max_fee_per_gas, 18, places=8)} {fee_symbol}"
    )
    print(f"Review: {outcome.verdict.upper()} - {outcome.summary}")
    for f in outcome.findings:
        print(f"  [{f.severity}] {f.code}: {f.detail}")
    confirmation = None
    at_terminal = sys.stdin is not None and sys.stdin.isatty()
    if outcome.verdict == "danger":
        print(f"To send anyway, type exactly: {DANGER_CONFIRMATION}")
        confirmation = input("> ") if at_terminal else ""
        if confirmation != DANGER_CONFIRMATION:
            pipeline.reject(prepared.request_id)
            print("Not sent.")
            return 1, None
    elif not yes:
        if not at_terminal or input("Send? [y/N] ").strip().lower() not in ("y", "yes"):
            pipeline.reject(prepared.request_id)
            print("Not sent.")
            return 1, None
    pipeline.confirm(prepared, confirmation)
    stop = threading.Event()
    result = None
    try:
        with ctrl_c_sets(stop):
            result = pipeline.send_confirmed(prepared.request_id, wait_s=wait, stop=stop)
    except KeyboardInterrupt:  # a second Ctrl-C, or one off the main thread
        stop.set()
    if result is None or (stop.is_set() and result.status == "pending"):
        print(interrupted_message(store, prepared.request_id), file=sys.stderr)
        return 130, None
    print(f"Transaction {result.tx_hash} (nonce {result.nonce}): {result.status}")
    return (0 if result.status in ("confirmed", "pending") else 1), result


@contextlib.contextmanager
def ctrl_c_sets(stop: threading.Event) -> Iterator[None]:
    """While sending, the first Ctrl-C sets ``stop`` instead of raising where it lands: a
    KeyboardInterrupt inside a database commit left the store's connection checked out, and
    the message that follows waited on it. Signing and broadcasting finish (seconds at most);
    the wait for the receipt ends at its next poll. A second Ctrl-C raises as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def interrupted_message(store: Any, request_id: int) -> str:
    """What a Ctrl-C during a send left behind, in words: sent (with its hash), maybe sent,
    or nothing sent."""
    from app.store.schema import SignRequest

    with store.session() as s:
        row = s.get(SignRequest, request_id)
        status = str(row.status) if row is not None else ""
        tx_hash = str(row.tx_hash) if row is not None and row.tx_hash else ""
        nonce = row.nonce if row is not None else None
    if status == "sent":
        return (
            f"warden: interrupted while waiting for the receipt. The transaction was already "
            f"broadcast: {tx_hash} (nonce {nonce}). It may still be mined; follow it with "
            "'warden history', or replace it with 'warden tx speedup' or 'warden tx cancel'."
        )
    if status == "signing" and tx_hash:
        return (
            f"warden: interrupted after signing {tx_hash} (nonce {nonce}); it may already be "
            "broadcast. The next 'warden send' finishes it (the same transaction, never a "
            "second one)."
        )
    return "warden: interrupted; nothing was signed or sent."
