"""Speed up or cancel a pending transaction: a new transaction with the same nonce and fees
bumped past the node's replacement minimum, reviewed and confirmed like any send.

EIP-1559 nodes (geth, anvil, reth) accept a replacement only when both ``maxFeePerGas`` and
``maxPriorityFeePerGas`` rise by at least 10 %; Warden bumps both by 12.5 % and never goes
below what the node suggests now. A cancel is a 0-value send to oneself with that nonce.

The original is read from the stored request (``tx_json``), or, for an older history row
without one, from the node's copy checked against what the history row recorded: the node is
untrusted, so a copy that does not match is refused rather than signed again.
The replacement carries ``extra["nonce"]`` (the pipeline signs with it) and
``extra["replaces"]`` (the pipeline marks the original "replaced" once it is out).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InsufficientFunds, InvalidInput
from app.store.schema import SignRequest, Transfer
from app.wallet import erc20, sender, tokens
from app.wallet.addresses import same_address
from app.wallet.amounts import format_short
from app.wallet.chain import ChainClient
from app.wallet.ports import SessionSource
from app.wallet.tokens import TokenInfo
from app.wallet.transactions import BuiltTransaction
from app.wallet.tx_json import tx_from_json

# Nodes want at least +10 % on both fee fields; 12.5 % leaves room for rounding (geth's own
# wallet and MetaMask use about the same).
BUMP_NUMERATOR, BUMP_DENOMINATOR = 9, 8
NATIVE_GAS = 21_000
_HASH = re.compile(r"0x[0-9a-f]{64}")

SPEEDUP, CANCEL = "speedup", "cancel"


@dataclass(frozen=True)
class Original:
    """A pending transaction this wallet sent, as it was signed."""

    tx_hash: str
    nonce: int
    built: BuiltTransaction


def check_hash(text: str) -> str:
    """``text`` as a transaction hash (0x and 64 hex digits), lower case."""
    h = text.strip().lower()
    if not _HASH.fullmatch(h):
        raise InvalidInput(
            f"{text!r} is not a transaction hash.",
            hint="Copy the full hash (0x and 64 hex digits) from 'warden history' or the send.",
        )
    return h


def bump(old: int, suggested: int) -> int:
    """``old`` raised by 12.5 % (rounded up), and at least ``suggested``."""
    return max(-(-old * BUMP_NUMERATOR // BUMP_DENOMINATOR), suggested)


def find_original(store: SessionSource, client: ChainClient, tx_hash: str) -> Original:
    """The pending transaction ``tx_hash`` sent from this wallet on ``client``'s chain.
    Raises InvalidInput when it is not ours, or no longer pending (mined, replaced, dropped)."""
    tx_hash = check_hash(tx_hash)
    with store.session() as s:
        row = _sent_row(s, client.chain_id, tx_hash)
        if row is None or row.nonce is None:
            raise InvalidInput(
                f"{tx_hash} is not a transaction sent from this wallet on {client.name}.",
                hint="Only your own pending sends can be sped up or cancelled; check --network.",
            )
        nonce, account = int(row.nonce), row.sender or row.account
        recipient, amount, token = row.recipient or "", int(row.amount or 0), row.token
        request = s.scalars(
            select(SignRequest).where(
                SignRequest.chain_id == client.chain_id, SignRequest.tx_hash == tx_hash
            )
        ).first()
        stored = tx_from_json(request.tx) if request is not None else None
        known = {k.address.lower(): k for k in tokens.list_tokens(s, client.chain_id)}
    status, block = sender.check_status(client, tx_hash, account, nonce)
    _refuse_unless_pending(tx_hash, status, block)
    if stored is None:
        info = known.get(token.lower()) if token else None
        if token and info is None:
            raise InvalidInput(
                f"{tx_hash} moved a token this wallet no longer lists; it was not signed again.",
                hint="Use 'warden tx cancel' instead, or add the token with 'warden tokens add'.",
            )
        stored = _from_node(client, tx_hash, account, recipient, amount, info)
    return Original(tx_hash, nonce, stored)


def replacement(client: ChainClient, original: Original, kind: str) -> BuiltTransaction:
    """The transaction that replaces ``original``: the same one with bumped fees (speedup),
    or 0 to oneself (cancel). Raises InsufficientFunds when the balance cannot pay for it."""
    if kind not in (SPEEDUP, CANCEL):
        raise InvalidInput(f"Unknown replacement {kind!r}; use speedup or cancel.")
    old = original.built
    fees = client.fees()
    tip = bump(old.max_priority_fee_per_gas, fees.max_priority_fee_per_gas)
    cap = max(bump(old.max_fee_per_gas, fees.max_fee_per_gas), tip)
    extra = {"nonce": original.nonce, "replaces": original.tx_hash}
    if kind == SPEEDUP:
        built = dataclasses.replace(
            old,
            max_fee_per_gas=cap,
            max_priority_fee_per_gas=tip,
            extra={**old.extra, **extra},
        )
    else:
        built = BuiltTransaction(
            chain_id=old.chain_id,
            sender=old.sender,
            to=old.sender,
            value=0,
            data=b"",
            gas=NATIVE_GAS,
            max_fee_per_gas=cap,
            max_priority_fee_per_gas=tip,
            recipient=old.sender,
            amount=0,
            extra=extra,
        )
    native = client.balance(old.sender)
    if built.max_cost_wei > native:
        raise InsufficientFunds(
            f"The replacement can cost up to {format_short(built.max_cost_wei, 18)} in the "
            f"native coin, above the balance of {format_short(native, 18)}.",
            hint="Add funds to pay the higher fee, or wait for the original to be mined.",
        )
    return built


def mark_replaced_in(s: Session, chain_id: int, old_hash: str, new_hash: str) -> None:
    """Inside the caller's transaction: the original's history row is "replaced"."""
    for t in sender.sent_rows(s, chain_id, old_hash):
        if t.status == sender.PENDING:
            t.status = "replaced"
            t.note = f"Replaced by {new_hash} (same nonce, higher fee)."


def settle_original(store: SessionSource, client: ChainClient, old_hash: str) -> str:
    """After the replacement lost the race (the original was mined first), record what
    became of the original; returns its status."""
    with store.session() as s:
        row = _sent_row(s, client.chain_id, old_hash)
        if row is None or row.nonce is None:
            return "unknown"
        account, nonce = row.sender or row.account, int(row.nonce)
    status, block = sender.check_status(client, old_hash, account, nonce)
    if status in ("confirmed", "reverted"):
        with store.session() as s:
            for t in sender.sent_rows(s, client.chain_id, old_hash):
                t.status, t.block_number, t.note = status, block, ""
    return status


def _sent_row(s: Session, chain_id: int, tx_hash: str) -> Transfer | None:
    return s.scalars(
        select(Transfer).where(
            Transfer.chain_id == chain_id,
            Transfer.tx_hash == tx_hash,
            Transfer.direction != "in",
            Transfer.log_index == -1,
        )
    ).first()


def _refuse_unless_pending(tx_hash: str, status: str, block: int | None) -> None:
    if status == sender.PENDING:
        return
    if status in ("confirmed", "reverted"):
        raise InvalidInput(
            f"{tx_hash} was already mined (block {block}, {status}); nothing can replace it.",
            hint="Only a transaction still waiting can be sped up or cancelled.",
        )
    if status == "replaced":
        raise InvalidInput(
            f"Another transaction with the nonce of {tx_hash} was already mined.",
            hint="Nothing is left to replace; see 'warden history'.",
        )
    raise InvalidInput(
        f"The node no longer has {tx_hash} (dropped); its nonce is free again.",
        hint="Nothing needs cancelling. To send it after all, use 'warden send' again.",
    )


def _from_node(
    client: ChainClient,
    tx_hash: str,
    account: str,
    recipient: str,
    amount: int,
    token: TokenInfo | None,
) -> BuiltTransaction:
    """The node's copy of our transaction, accepted only if it is what the history recorded."""
    tx = client.transaction(tx_hash) or {}
    try:
        to = str(tx["to"])
        value, gas = int(tx["value"]), int(tx["gas"])
        data = bytes(tx.get("input") or b"")
        cap = int(tx.get("maxFeePerGas") or tx["gasPrice"])
        tip = int(tx.get("maxPriorityFeePerGas") or tx["gasPrice"])
        frm = str(tx["from"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(
            f"The node's copy of {tx_hash} cannot be read, so it was not signed again.",
            hint="Use 'warden tx cancel' instead, or wait for it.",
        ) from None
    if token is not None:
        expected_to, expected_value = token.address, 0
        expected_data = erc20.transfer_data(recipient, amount)
    else:
        expected_to, expected_value, expected_data = recipient, amount, b""
    if not (
        same_address(frm, account)
        and same_address(to, expected_to)
        and value == expected_value
        and data == expected_data
    ):
        raise InvalidInput(
            f"The node's copy of {tx_hash} differs from what this wallet sent; it was not "
            "signed again.",
            hint="Use 'warden tx cancel' to replace it with a 0-value send to yourself.",
        )
    return BuiltTransaction(
        chain_id=client.chain_id,
        sender=account,
        to=to,
        value=value,
        data=data,
        gas=gas,
        max_fee_per_gas=cap,
        max_priority_fee_per_gas=tip,
        recipient=recipient,
        amount=amount,
        token=token,
    )
