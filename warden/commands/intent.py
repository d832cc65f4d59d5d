"""``warden intent SENTENCE`` / ``warden intent --file F``: what the wallet understands a
request to mean, as one JSON object of ``models.intent_schema.ACTION_SCHEMA`` per sentence.

Works without a wallet; with one (unlocked by the keyring, ``WARDEN_PASSWORD`` or the
terminal) its token symbols and the names of its accounts and contacts are known words. The
rules decide where the sentence's words do; the on-device model is loaded only for a sentence
the rules cannot place, and only picks the action. Nothing is carried out: this prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 4 * 1024 * 1024


def register(sub: Any) -> None:
    p = sub.add_parser(
        "intent",
        help="print the wallet action a sentence asks for, as JSON (nothing is carried out)",
        description="Parse a request into one action of the wallet's schema (send, swap, "
        "balance, add_contact, explain_tx, revoke, price_alert, market_brief, clarify, "
        "refuse). Fields the sentence does not give are null. With --file, one sentence a "
        "line in, one JSON object a line out, in order.",
    )
    p.add_argument("sentence", nargs="?", help="the request, e.g. 'send 0.1 eth to alice'")
    p.add_argument("--file", "-f", type=Path, help="read one sentence a line from this file")
    p.add_argument("--json", action="store_true", help="JSON output (the default; kept explicit)")
    p.add_argument("--no-model", action="store_true", help="rules only; never load the model")
    p.add_argument(
        "--no-wallet", action="store_true", help="do not open the wallet for its names and tokens"
    )
    p.add_argument("--model", default=None, help="catalog model name (default: the intent one)")
    p.set_defaults(func=cmd_intent)


class LazyModel:
    """Loads the model on the first sentence the rules cannot place, not before."""

    def __init__(self, name: str | None, store: Any) -> None:
        self._name = name
        self._store = store
        self._model: Any = None
        self.name = name or "intent"

    def _load(self) -> Any:
        if self._model is None:
            from app.config import default_paths
            from models.bundled import BUNDLED_NAME
            from models.catalog import Catalog
            from models.runtime import LocalModel

            name = self._name
            if name is None and self._store is not None:
                from models.choice import ModelChoices

                name = ModelChoices(self._store).get("intent")
            catalog = Catalog(default_paths().ensure().models_dir)
            self._model = LocalModel(catalog.checked(name or BUNDLED_NAME))
        return self._model

    def submit(self, messages: Any, options: Any = None, *, on_token: Any = None) -> Any:
        return self._load().submit(messages, options, on_token=on_token)

    def close(self) -> None:
        if self._model is not None:
            self._model.close()


def _sentences(args: argparse.Namespace) -> list[str]:
    from app.errors import InvalidInput

    if args.file is None:
        if args.sentence is None:
            raise InvalidInput(
                "Say what to parse.", hint="warden intent 'send 0.1 eth to alice', or --file F."
            )
        return [args.sentence]
    if args.sentence is not None:
        raise InvalidInput("Give a sentence or --file, not both.")
    try:
        with args.file.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {args.file.name}: {exc.strerror}.", hint="Check the file's path."
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput(
            "The file is larger than 4 MB.", hint="Split it; it should hold one request a line."
        )
    if b"\x00" in raw:
        raise InvalidInput(
            f"{args.file.name} is not a text file.", hint="Write one request a line, as text."
        )
    text = raw.decode("utf-8", errors="replace")
    return text.splitlines()


def _wallet(args: argparse.Namespace) -> Any:
    """The unlocked store when there is a wallet, else None (said on stderr when locked)."""
    if args.no_wallet:
        return None
    from app.config import default_paths
    from app.store import Store
    from warden.context import open_store_if_any

    paths = default_paths()
    store = open_store_if_any(paths)
    if store is None and Store.exists(paths):
        print(
            "note: the wallet is locked, so its contacts and tokens are not used",
            file=sys.stderr,
        )
    return store


def cmd_intent(args: argparse.Namespace) -> int:
    from models.intents import parse_intent
    from models.wallet_words import from_store

    sentences = _sentences(args)
    store = _wallet(args)
    try:
        words = from_store(store)
        model = None if args.no_model else LazyModel(args.model, store)
        try:
            for sentence in sentences:
                action = parse_intent(model, sentence, wallet=words)
                print(json.dumps(action, ensure_ascii=False), flush=True)
        finally:
            if model is not None:
                model.close()
    finally:
        if store is not None:
            store.close()
    return 0
