"""Accounts: an HD wallet (BIP-39 phrase, BIP-44 ``m/44'/60'/0'/0/i``), imported keys and
watch-only addresses. Secrets are written only into the encrypted store; reading them back is
``app.wallet.signing``'s job alone."""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account as EthAccount
from eth_account.hdaccount import Language, Mnemonic
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.logs import register_secret
from app.store.schema import Account, Secret
from app.wallet import signing
from app.wallet.addresses import validate_address
from app.wallet.names import check_account_name, name_is_free

EthAccount.enable_unaudited_hdwallet_features()


@dataclass(frozen=True)
class AccountInfo:
    address: str
    name: str
    kind: str  # "hd" | "imported" | "watch"
    hd_index: int | None = None

    @property
    def can_sign(self) -> bool:
        return self.kind != "watch"


def _info(row: Account) -> AccountInfo:
    return AccountInfo(row.address, row.name, row.kind, row.hd_index)


def new_phrase(words: int = 12) -> str:
    return Mnemonic(Language.ENGLISH).generate(words)


def normalize_phrase(phrase: str) -> str:
    words = (phrase or "").strip().lower().split()
    if len(words) not in (12, 15, 18, 21, 24):
        raise InvalidInput(
            f"A recovery phrase has 12, 15, 18, 21 or 24 words; this one has {len(words)}.",
            hint="Type the words in order, separated by spaces.",
        )
    text = " ".join(words)
    if not Mnemonic(Language.ENGLISH).is_mnemonic_valid(text):
        raise InvalidInput(
            "The recovery phrase is not valid (a word is misspelled or the order is wrong).",
            hint="Check each word against your written copy.",
        )
    return text


def _check_new_address(session: Session, address: str) -> None:
    if session.scalars(select(Account).where(Account.address == address)).first():
        raise InvalidInput(f"The account {address} is already in this wallet.")


def _default_name(session: Session) -> str:
    """The first free 'Account N', N counting up from the number of accounts: free of any
    account's or contact's name."""
    count = session.scalar(select(func.count()).select_from(Account)) or 0
    number = count + 1
    while not name_is_free(session, f"Account {number}"):
        number += 1
    return f"Account {number}"


def _name(session: Session, name: str | None) -> str:
    """The name given (checked against the contacts' names), or a free default."""
    text = (name or "").strip()
    if not text:
        return _default_name(session)
    check_account_name(session, text)
    return text


def rename_account(session: Session, address: str, name: str) -> AccountInfo:
    """Give an account another name (not one a contact has)."""
    text = (name or "").strip()
    if not text:
        raise InvalidInput("An account needs a name.", hint="Type a name and try again.")
    row = session.scalars(select(Account).where(Account.address == address)).first()
    if row is None:
        raise InvalidInput(f"No account {address}.", hint="See them with 'warden accounts'.")
    check_account_name(session, text)
    row.name = text
    session.flush()
    return _info(row)


def create_hd_wallet(
    session: Session, phrase: str | None = None, *, name: str | None = None
) -> tuple[str, AccountInfo]:
    """Store a new (or the given) recovery phrase and its first account. Returns both."""
    if session.scalars(select(Secret).where(Secret.kind == "mnemonic")).first():
        raise InvalidInput(
            "This wallet already has a recovery phrase.",
            hint="Derive more accounts with 'warden accounts add', or import a private key.",
        )
    text = normalize_phrase(phrase) if phrase is not None else new_phrase()
    register_secret(text)
    secret = Secret(kind="mnemonic", value=text)
    session.add(secret)
    session.flush()
    address = signing.derive_address(session, secret.id, 0)
    _check_new_address(session, address)
    row = Account(
        address=address,
        name=_name(session, name),
        kind="hd",
        hd_index=0,
        secret_id=secret.id,
    )
    session.add(row)
    session.flush()
    return text, _info(row)


def derive_next(session: Session, *, name: str | None = None) -> AccountInfo:
    """The next account of the HD wallet (the lowest index not used yet)."""
    secret = session.scalars(select(Secret).where(Secret.kind == "mnemonic")).first()
    if secret is None:
        raise InvalidInput(
            "This wallet has no recovery phrase to derive accounts from.",
            hint="Create one with 'warden init', or import a key with --import-key.",
        )
    used = set(session.scalars(select(Account.hd_index).where(Account.secret_id == secret.id)))
    index = next(i for i in range(len(used) + 1) if i not in used)
    address = signing.derive_address(session, secret.id, index)
    _check_new_address(session, address)
    row = Account(
        address=address,
        name=_name(session, name),
        kind="hd",
        hd_index=index,
        secret_id=secret.id,
    )
    session.add(row)
    session.flush()
    return _info(row)


def normalize_private_key(key: str) -> tuple[str, str]:
    """``(key, address)``: the key as 0x and 64 lower-case hex digits, and its address; a
    key of the wrong shape or outside the curve's range raises InvalidInput."""
    text = (key or "").strip()
    body = text[2:] if text.lower().startswith("0x") else text
    if len(body) != 64 or any(c not in "0123456789abcdefABCDEF" for c in body):
        raise InvalidInput(
            "A private key is 64 hex digits (optionally after 0x).",
            hint="Check that the whole key was pasted.",
        )
    normalized = "0x" + body.lower()
    register_secret(normalized)
    try:
        address = str(EthAccount.from_key(normalized).address)
    except Exception:
        raise InvalidInput(
            "That private key is outside the valid range.",
            hint="Check that the key was copied from its source unchanged.",
        ) from None
    return normalized, address


def import_private_key(session: Session, key: str, *, name: str | None = None) -> AccountInfo:
    normalized, address = normalize_private_key(key)
    _check_new_address(session, address)
    secret = Secret(kind="private_key", value=normalized)
    session.add(secret)
    session.flush()
    row = Account(address=address, name=_name(session, name), kind="imported", secret_id=secret.id)
    session.add(row)
    session.flush()
    return _info(row)


def add_watch(session: Session, address: str, *, name: str | None = None) -> AccountInfo:
    checked = validate_address(address)
    _check_new_address(session, checked)
    row = Account(address=checked, name=_name(session, name), kind="watch")
    session.add(row)
    session.flush()
    return _info(row)


def list_accounts(session: Session, *, include_hidden: bool = False) -> list[AccountInfo]:
    q = select(Account).order_by(Account.id)
    if not include_hidden:
        q = q.where(Account.hidden.is_(False))
    return [_info(r) for r in session.scalars(q)]


def get_account(session: Session, key: str | None = None) -> AccountInfo:
    """An account by address or name; the first one when ``key`` is None."""
    rows = list_accounts(session)
    if not rows:
        raise InvalidInput("This wallet has no accounts yet.", hint="Run 'warden init' first.")
    if key is None:
        return rows[0]
    for r in rows:
        if r.name.lower() == key.strip().lower() or r.address.lower() == key.strip().lower():
            return r
    raise InvalidInput(f"No account named {key!r}.", hint="See them with 'warden accounts'.")
