"""The only code that reads a private key or the recovery phrase out of the store.

``sign`` takes a transaction that is already built and already reviewed: the review's
``request_digest`` must be the digest of exactly this transaction's EIP-1193 request, and a
``danger`` verdict needs the user's typed confirmation. Anything else is ``ReviewRequired``.
Keys live here only for the length of one call and are never returned or logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account import Account as EthAccount
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput, ReviewRequired, WrongPassword
from app.logs import register_secret
from app.review_types import DANGER_CONFIRMATION, ReviewOutcome, request_digest
from app.store.schema import Account, Secret
from app.wallet.ports import PasswordCheck, SessionSource
from app.wallet.transactions import BuiltTransaction

EthAccount.enable_unaudited_hdwallet_features()

HD_PATH = "m/44'/60'/0'/0/{index}"


@dataclass(frozen=True)
class SignedTransaction:
    raw: bytes
    tx_hash: str
    nonce: int
    built: BuiltTransaction


def _key_for(session: Session, address: str) -> str:
    row = session.scalars(select(Account).where(Account.address == address)).first()
    if row is None:
        raise InvalidInput(f"{address} is not an account of this wallet.")
    if row.kind == "watch" or row.secret_id is None:
        raise InvalidInput(
            f"{row.name} ({address}) is watch-only: this wallet holds no key for it.",
            hint="Import its private key or phrase to send from it.",
        )
    secret = session.get(Secret, row.secret_id)
    if secret is None:  # pragma: no cover - a foreign key guards this
        raise InvalidInput(f"The key for {address} is missing from the store.")
    register_secret(secret.value)
    if secret.kind == "mnemonic":
        acct = EthAccount.from_mnemonic(
            secret.value,
            passphrase=secret.passphrase or "",
            account_path=HD_PATH.format(index=row.hd_index or 0),
        )
        key = "0x" + bytes(acct.key).hex()
        register_secret(key)
        return key
    return secret.value


def check_review(
    built: BuiltTransaction, outcome: ReviewOutcome | None, danger_confirmation: str | None = None
) -> None:
    """Raise ReviewRequired unless ``outcome`` reviewed exactly ``built`` and is confirmed."""
    if outcome is None:
        raise ReviewRequired(
            "This transaction has not been reviewed.",
            hint="Every transaction passes the review before it can be signed.",
        )
    if outcome.request_digest != request_digest(built.request()):
        raise ReviewRequired(
            "The review was made for a different transaction than the one being signed.",
            hint="Review the transaction again; nothing was signed.",
        )
    if outcome.verdict == "danger" and danger_confirmation != DANGER_CONFIRMATION:
        raise ReviewRequired(
            "The review found danger; signing needs your typed confirmation.",
            hint=f"Type exactly: {DANGER_CONFIRMATION}",
        )


def sign(
    store: SessionSource,
    built: BuiltTransaction,
    outcome: ReviewOutcome | None,
    *,
    nonce: int,
    danger_confirmation: str | None = None,
) -> SignedTransaction:
    """Sign a built, reviewed transaction with ``nonce``."""
    with store.session() as s:
        return sign_in(s, built, outcome, nonce=nonce, danger_confirmation=danger_confirmation)


def sign_in(
    session: Session,
    built: BuiltTransaction,
    outcome: ReviewOutcome | None,
    *,
    nonce: int,
    danger_confirmation: str | None = None,
) -> SignedTransaction:
    """``sign`` inside the caller's database transaction (the request pipeline signs, takes
    the nonce and records the result in one commit)."""
    check_review(built, outcome, danger_confirmation)
    key = _key_for(session, built.sender)
    signed = EthAccount.sign_transaction(built.tx_dict(nonce), key)
    del key
    return SignedTransaction(
        raw=bytes(signed.raw_transaction),
        tx_hash="0x" + bytes(signed.hash).hex(),
        nonce=nonce,
        built=built,
    )


def derive_address(session: Session, secret_id: int, index: int) -> str:
    """The address at ``m/44'/60'/0'/0/index`` of a stored phrase (the key stays here)."""
    secret = session.get(Secret, secret_id)
    if secret is None or secret.kind != "mnemonic":
        raise InvalidInput("No recovery phrase is stored to derive accounts from.")
    register_secret(secret.value)
    acct = EthAccount.from_mnemonic(
        secret.value,
        passphrase=secret.passphrase or "",
        account_path=HD_PATH.format(index=index),
    )
    return str(acct.address)


def reveal_phrase(store: SessionSource, checker: PasswordCheck, password: str) -> str:
    """The recovery phrase, only after the store's password is verified."""
    if not password or not checker.verify_password(password):
        raise WrongPassword("The password is wrong; the recovery phrase stays hidden.")
    with store.session() as s:
        secret = s.scalars(select(Secret).where(Secret.kind == "mnemonic")).first()
        if secret is None:
            raise InvalidInput("This wallet has no recovery phrase (its keys were imported).")
        register_secret(secret.value)
        return secret.value


# -- messages (personal_sign, eth_signTypedData_v4) ---------------------------------------------

MESSAGE_METHODS = ("personal_sign", "eth_signTypedData_v4")


def check_message_review(
    request: dict[str, object], outcome: ReviewOutcome | None, danger_confirmation: str | None
) -> None:
    """As ``check_review``, for a message request (EIP-1193 shape, review's ``params``)."""
    if outcome is None:
        raise ReviewRequired(
            "This message has not been reviewed.",
            hint="Every message passes the review before it can be signed.",
        )
    if request.get("method") not in MESSAGE_METHODS:
        raise ReviewRequired(
            f"Warden does not sign {str(request.get('method'))[:40]!r} requests.",
            hint="Only personal_sign and eth_signTypedData_v4 messages can be signed.",
        )
    if outcome.request_digest != request_digest(request):
        raise ReviewRequired(
            "The review was made for a different message than the one being signed.",
            hint="Review the message again; nothing was signed.",
        )
    if outcome.verdict == "danger" and danger_confirmation != DANGER_CONFIRMATION:
        raise ReviewRequired(
            "The review found danger; signing needs your typed confirmation.",
            hint=f"Type exactly: {DANGER_CONFIRMATION}",
        )


def sign_message_in(
    session: Session,
    request: dict[str, Any],
    outcome: ReviewOutcome | None,
    *,
    danger_confirmation: str | None = None,
) -> str:
    """The 0x-hex signature of a reviewed message request, inside the caller's transaction."""
    from eth_account.messages import encode_defunct, encode_typed_data

    check_message_review(request, outcome, danger_confirmation)
    params = request.get("params")
    if not isinstance(params, dict):
        raise InvalidInput("The message request has no parameters; nothing was signed.")
    try:
        if request["method"] == "personal_sign":
            message = params.get("message")
            if not isinstance(message, str):
                raise InvalidInput("The message is not text or hex; nothing was signed.")
            raw = message.encode("utf-8", "surrogatepass")
            if message.startswith("0x"):
                try:
                    raw = bytes.fromhex(message[2:])
                except ValueError:
                    pass  # text that starts with 0x, as the review read it
            signable = encode_defunct(primitive=raw)
        else:
            signable = encode_typed_data(full_message=params)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        raise InvalidInput(
            "The typed data is not valid EIP-712; nothing was signed.",
            hint="Ask the site for a well-formed request.",
        ) from None
    key = _key_for(session, str(request.get("from") or ""))
    signed = EthAccount.sign_message(signable, key)
    del key
    return "0x" + bytes(signed.signature).hex()
