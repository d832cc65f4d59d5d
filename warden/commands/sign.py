"""``warden sign FILE``: sign a personal_sign or eth_signTypedData_v4 request from a file,
through the same message lifecycle as a site's request (``app/wallet/requests.py``): stored,
reviewed, shown, confirmed by the user (danger: the typed words), then signed once.

The file holds the EIP-1193 request as a dapp sends it, ``{"method": ..., "params": [...]}``,
optionally with ``"origin"`` (the site that asked); a review-case file (the request under
``"request"``) is read too. The signature is printed on stdout; nothing is signed without a
yes, and without a terminal only ``--yes`` says yes (never to danger)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1024 * 1024
METHODS = ("personal_sign", "eth_signTypedData_v4")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sign",
        help="review and sign a personal_sign or typed-data (EIP-712) request file",
        description="Review a message request file (personal_sign or eth_signTypedData_v4, as "
        "a dapp sends it), ask, and print the signature. Danger always needs the typed words.",
    )
    p.add_argument("file", metavar="FILE", help="the request as JSON: {method, params, origin?}")
    p.add_argument(
        "--network", "-n", default=None, help="network name or chain id (default Ethereum)"
    )
    p.add_argument(
        "--yes", action="store_true", help="skip the y/N question (never the typed confirmation)"
    )
    p.set_defaults(func=cmd_sign)


def read_request(path: Path) -> dict[str, Any]:
    """``{method, params, origin}`` from the file, or InvalidInput saying what is wrong."""
    from app.errors import InvalidInput

    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {path.name}: {exc.strerror}.", hint="Check the file's path."
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput("The request file is larger than 1 MB; no message is that long.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidInput(
            "The request file is not JSON.", hint='Write it as {"method": ..., "params": [...]}.'
        ) from None
    if isinstance(data, dict) and isinstance(data.get("request"), dict):
        data = data["request"]
    if not isinstance(data, dict) or data.get("method") not in METHODS:
        raise InvalidInput(
            "The file is not a personal_sign or eth_signTypedData_v4 request.",
            hint='Give {"method": "personal_sign" or "eth_signTypedData_v4", "params": [...]}.',
        )
    return data


def message_request(data: dict[str, Any], own: list[str], chain_id: int) -> dict[str, Any]:
    """The request in the shape the review reads (as the provider builds it)."""
    from app.dapp import params as p
    from app.dapp.permissions import normalize_origin
    from app.dapp.rpc_errors import ProviderRpcError
    from app.errors import InvalidInput

    origin = ""
    try:
        if data.get("origin") not in (None, ""):
            origin = normalize_origin(data.get("origin"))
        if data["method"] == "personal_sign":
            who, message = p.personal_sign(data.get("params"))
            body: dict[str, Any] = {"message": message}
        else:
            who, body = p.typed_data(data.get("params"))
        sender = p.own_account(who, tuple(own))
    except ProviderRpcError as exc:
        if exc.code == 4100:
            raise InvalidInput(
                "The request asks for an account that is not one of this wallet's.",
                hint="Check the address in the file; 'warden accounts' lists yours.",
            ) from None
        raise InvalidInput(f"The request is not valid: {exc.message}") from None
    return {
        "method": data["method"],
        "chain_id": chain_id,
        "origin": origin,
        "from": sender,
        "params": body,
    }


def cmd_sign(args: argparse.Namespace) -> int:
    from app.dapp.permissions import Permissions
    from app.errors import ReviewRequired
    from app.review_types import DANGER_CONFIRMATION
    from app.wallet import networks
    from warden.commands.wallet import DEFAULT_NETWORK
    from warden.context import open_store
    from warden.pipeline import make_pipeline

    data = read_request(Path(args.file))  # refused before the store is opened
    store = open_store()
    try:
        with store.session() as s:
            info = networks.get_network(s, args.network or DEFAULT_NETWORK)
        request = message_request(data, Permissions(store).own_accounts(), info.chain_id)
        pipeline = make_pipeline(
            store,
            lambda: networks.connect(info),  # dialled only if the review asks the node
            native_symbol=info.native_symbol,
            chain_id=info.chain_id,
        )
        prepared = pipeline.prepare_message(request, kind="message")
        outcome = prepared.review
        shown = f" for {request['origin']}" if request["origin"] else ""
        print(f"{request['method']}{shown}, signed by {request['from']} on {info.name}")
        print(f"Review: {outcome.verdict.upper()} - {outcome.summary}")
        for f in outcome.findings:
            print(f"  [{f.severity}] {f.code}: {f.detail}")
        at_terminal = sys.stdin is not None and sys.stdin.isatty()
        confirmation = None
        if outcome.verdict == "danger":
            print(f"To sign anyway, type exactly: {DANGER_CONFIRMATION}")
            confirmation = input("> ") if at_terminal else ""
            if confirmation != DANGER_CONFIRMATION:
                pipeline.reject(prepared.request_id)
                print("Not signed.")
                return 1
        elif not args.yes and (
            not at_terminal or input("Sign? [y/N] ").strip().lower() not in ("y", "yes")
        ):
            pipeline.reject(prepared.request_id)
            print("Not signed.")
            return 1
        try:
            pipeline.confirm_message(prepared, confirmation)
        except ReviewRequired:
            pipeline.reject(prepared.request_id)
            raise
        print(pipeline.sign_message(prepared.request_id))
    finally:
        store.close()
    return 0
