"""What the wallet knows about the world at review time, normalised for the rules.

Every key is optional: a fact that is missing is *unknown*, and each accessor says so by
returning None rather than a guess. Addresses are compared in lower case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

NATIVE = "native"


def norm(address: Any) -> str:
    """Lower-case 0x address text ('' for anything that is not a string)."""
    return address.strip().lower() if isinstance(address, str) else ""


def to_int(value: Any) -> int | None:
    """An integer from JSON: int, decimal string or 0x-hex string; None when it is not one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.lower().startswith("0x"):
                return int(text, 16) if len(text) > 2 else 0
            return int(text, 10)
        except ValueError:
            return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float is no price or age
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Account:
    is_contract: bool | None = None
    age_days: float | None = None
    verified_source: bool | None = None
    label: str | None = None
    tx_count: int | None = None


@dataclass(frozen=True)
class Token:
    standard: str | None = None
    symbol: str | None = None
    decimals: int | None = None
    price_usd: float | None = None


@dataclass(frozen=True)
class Facts:
    accounts: dict[str, Account] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    balances: dict[str, int] = field(default_factory=dict)
    address_book: frozenset[str] = frozenset()
    past_counterparties: frozenset[str] = frozenset()
    blocklist: frozenset[str] = frozenset()
    trusted_origins: tuple[str, ...] = ()
    # listed phishing domain -> which list says so (the stored lists and the case's own)
    phishing_domains: dict[str, str] = field(default_factory=dict)
    native_price_usd: float | None = None
    now: datetime | None = None
    native_symbol: str = "ETH"
    # base units from which a native send is large whatever the balance; None: the default
    # for native_symbol (rules.large_native_default)
    large_native: int | None = None
    own_accounts: frozenset[str] = frozenset()  # the wallet's accounts with a key

    @classmethod
    def from_dict(cls, data: Any) -> Facts:
        """Build from a case file's ``facts``; malformed parts are dropped (become unknown)."""
        if isinstance(data, Facts):
            return data
        if not isinstance(data, dict):
            return cls()
        accounts: dict[str, Account] = {}
        raw_accounts = data.get("accounts")
        if isinstance(raw_accounts, dict):
            for addr, info in raw_accounts.items():
                if not isinstance(info, dict) or not norm(addr):
                    continue
                ic, vs = info.get("is_contract"), info.get("verified_source")
                label, tx = info.get("label"), info.get("tx_count")
                accounts[norm(addr)] = Account(
                    is_contract=ic if isinstance(ic, bool) else None,
                    age_days=_num(info.get("age_days")),
                    verified_source=vs if isinstance(vs, bool) else None,
                    label=label if isinstance(label, str) else None,
                    tx_count=tx if isinstance(tx, int) and not isinstance(tx, bool) else None,
                )
        tokens: dict[str, Token] = {}
        raw_tokens = data.get("tokens")
        if isinstance(raw_tokens, dict):
            for addr, info in raw_tokens.items():
                if not isinstance(info, dict) or not norm(addr):
                    continue
                std, sym, dec = info.get("standard"), info.get("symbol"), info.get("decimals")
                tokens[norm(addr)] = Token(
                    standard=std.lower() if isinstance(std, str) else None,
                    symbol=sym if isinstance(sym, str) else None,
                    decimals=dec if isinstance(dec, int) and 0 <= dec <= 77 else None,
                    price_usd=_num(info.get("price_usd")),
                )
        balances: dict[str, int] = {}
        raw_bal = data.get("balances")
        if isinstance(raw_bal, dict):
            for key, value in raw_bal.items():
                amount = to_int(value)
                if amount is not None and amount >= 0 and isinstance(key, str):
                    balances[NATIVE if key.lower() == NATIVE else norm(key)] = amount

        def addr_set(key: str) -> frozenset[str]:
            raw = data.get(key)
            if not isinstance(raw, list):
                return frozenset()
            return frozenset(norm(a) for a in raw if norm(a))

        trusted = data.get("trusted_origins")
        now = None
        if isinstance(data.get("now"), str):
            try:
                now = datetime.fromisoformat(data["now"].replace("Z", "+00:00"))
                if now.tzinfo is None:
                    now = now.replace(tzinfo=UTC)
            except ValueError:
                now = None
        sym = data.get("native_symbol")
        large = to_int(data.get("large_native"))
        return cls(
            phishing_domains=_phishing_domains(data.get("phishing_domains")),
            accounts=accounts,
            tokens=tokens,
            balances=balances,
            address_book=addr_set("address_book"),
            past_counterparties=addr_set("past_counterparties"),
            blocklist=addr_set("blocklist"),
            trusted_origins=tuple(t for t in trusted if isinstance(t, str))
            if isinstance(trusted, list)
            else (),
            native_price_usd=_num(data.get("native_price_usd")),
            now=now,
            native_symbol=sym if isinstance(sym, str) and sym else "ETH",
            large_native=large if large is not None and large > 0 else None,
            own_accounts=addr_set("own_accounts"),
        )

    def account(self, address: str) -> Account:
        return self.accounts.get(norm(address), Account())

    def token(self, address: str) -> Token:
        return self.tokens.get(norm(address), Token())

    def balance(self, asset: str) -> int | None:
        return self.balances.get(NATIVE if asset == NATIVE else norm(asset))

    def now_ts(self) -> float:
        # Deadlines are judged against the case's moment; the clock only when none is given.
        return (self.now or datetime.now(UTC)).timestamp()


def _phishing_domains(raw: Any) -> dict[str, str]:
    """A case's own phishing list (host names); entries that are no host are left out."""
    if not isinstance(raw, list):
        return {}
    from delegates.tx_review.threat_lists import normalize_host

    hosts = (normalize_host(d) for d in raw[:100_000] if isinstance(d, str))
    return {h: "the phishing list given with this request" for h in hosts if h}
