"""Tokens: a small list per chain (tokens.json) plus tokens the user adds by address."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.store.schema import Token
from app.wallet import erc20
from app.wallet.addresses import validate_address
from app.wallet.chain import ChainClient


@dataclass(frozen=True)
class TokenInfo:
    chain_id: int
    address: str
    symbol: str
    decimals: int
    name: str = ""
    user_added: bool = False


@cache
def _builtin() -> dict[str, list[dict[str, Any]]]:
    text = resources.files("app.wallet").joinpath("tokens.json").read_text(encoding="utf-8")
    data: dict[str, list[dict[str, Any]]] = json.loads(text)["chains"]
    return data


def builtin_tokens(chain_id: int) -> list[TokenInfo]:
    return [
        TokenInfo(chain_id, t["address"], t["symbol"], int(t["decimals"]), t.get("name", ""))
        for t in _builtin().get(str(chain_id), [])
    ]


def list_tokens(session: Session, chain_id: int) -> list[TokenInfo]:
    """The chain's built-in tokens, then the user's (a user row overrides a built-in one)."""
    found: dict[str, TokenInfo] = {t.address.lower(): t for t in builtin_tokens(chain_id)}
    for row in session.scalars(select(Token).where(Token.chain_id == chain_id).order_by(Token.id)):
        found[row.address.lower()] = TokenInfo(
            row.chain_id, row.address, row.symbol, row.decimals, row.name, row.user_added
        )
    return list(found.values())


def add_token(session: Session, client: ChainClient, address: str) -> TokenInfo:
    """Add a token by address; its symbol and decimals are read from the contract."""
    checked = validate_address(address, what="token address")
    meta = erc20.read_metadata(client, checked)
    row = session.scalars(
        select(Token).where(Token.chain_id == client.chain_id, Token.address == checked)
    ).first()
    if row is None:
        row = Token(chain_id=client.chain_id, address=checked, user_added=True, **meta)
        session.add(row)
    else:
        row.symbol, row.name, row.decimals = meta["symbol"], meta["name"], meta["decimals"]
    session.flush()
    return TokenInfo(row.chain_id, row.address, row.symbol, row.decimals, row.name, True)


def find_token(session: Session, chain_id: int, key: str) -> TokenInfo:
    """A known token by symbol (any case) or address."""
    text = key.strip()
    tokens = list_tokens(session, chain_id)
    if text.lower().startswith("0x"):
        checked = validate_address(text, what="token address")
        for t in tokens:
            if t.address.lower() == checked.lower():
                return t
        raise InvalidInput(
            f"The token {checked} is not in this wallet's list for chain {chain_id}.",
            hint="Add it first with 'warden tokens add ADDRESS' (symbol and decimals are read "
            "from the contract).",
        )
    matches = [t for t in tokens if t.symbol.lower() == text.lower()]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise InvalidInput(
            f"More than one token is called {text!r} on chain {chain_id}.",
            hint="Use the token's address instead of its symbol.",
        )
    known = ", ".join(t.symbol for t in tokens) or "none"
    raise InvalidInput(f"No token {text!r} on chain {chain_id}.", hint=f"Known tokens: {known}.")
