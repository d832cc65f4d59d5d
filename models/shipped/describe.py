"""A request and its facts as compact text: what the model reads for the review task.

This is the decoder's view (the call, its arguments in human units, the facts about each
address), never the rules' findings: the model must do the reasoning itself. Calldata is
decoded with eth-abi; anything that does not decode is shown as an unknown selector.
Pure Python, used by training, evaluation and (lazily) by the runtime with the shipped model.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eth_abi import decode
from eth_utils import to_checksum_address

# selector -> (name, argument names, ABI types)
CALLS: dict[str, tuple[str, list[str], list[str]]] = {
    "a9059cbb": ("transfer", ["to", "amount"], ["address", "uint256"]),
    "095ea7b3": ("approve", ["spender", "amount"], ["address", "uint256"]),
    "39509351": ("increaseAllowance", ["spender", "amount"], ["address", "uint256"]),
    "23b872dd": ("transferFrom", ["from", "to", "amount"], ["address", "address", "uint256"]),
    "42842e0e": ("safeTransferFrom", ["from", "to", "id"], ["address", "address", "uint256"]),
    "a22cb465": ("setApprovalForAll", ["operator", "approved"], ["address", "bool"]),
    "d0e30db0": ("deposit", [], []),
    "2e1a7d4d": ("withdraw", ["amount"], ["uint256"]),
    "87517c45": (
        "permit2.approve",
        ["token", "spender", "amount", "expiration"],
        ["address", "address", "uint160", "uint48"],
    ),
}
# Known but not expanded here: the name alone tells the model what kind of call it is.
NAMED = {
    "3593564c": "execute (Universal Router swap)",
    "24856bc3": "execute (Universal Router swap)",
    "ac9650d8": "multicall",
    "5ae401dc": "multicall",
    "38ed1739": "swapExactTokensForTokens",
    "7ff36ab5": "swapExactETHForTokens",
    "f242432a": "safeTransferFrom (ERC-1155)",
}


def _lower(items: Any) -> set[str]:
    return {str(a).lower() for a in (items or [])}


def _int(v: Any) -> int:
    if isinstance(v, int):
        return v
    s = str(v)
    return int(s, 16) if s.lower().startswith("0x") else int(s)


def _fmt(x: float) -> str:
    return f"{x:,.6f}".rstrip("0").rstrip(".") if x < 1e6 else f"{x:,.0f}"


class Describer:
    """Renders one request with the facts that matter for it."""

    def __init__(self, request: dict[str, Any], facts: dict[str, Any]) -> None:
        self.req = request
        self.facts = facts or {}
        self.accounts = {k.lower(): v for k, v in (self.facts.get("accounts") or {}).items()}
        self.tokens = {k.lower(): v for k, v in (self.facts.get("tokens") or {}).items()}
        self.balances = {k.lower(): v for k, v in (self.facts.get("balances") or {}).items()}
        self.mentioned: list[str] = []
        self.lines: list[str] = []
        now = str(self.facts.get("now") or "2025-06-01T00:00:00Z").replace("Z", "+00:00")
        self.now = datetime.fromisoformat(now).astimezone(UTC).timestamp()

    def addr(self, a: Any) -> str:
        """Checksummed (one spelling per address, so one placeholder); the user is "you"."""
        s = str(a)
        if s.lower() == str(self.req.get("from", "")).lower():
            return "you"
        try:
            s = to_checksum_address(s)
        except ValueError:
            return s
        if s not in self.mentioned:
            self.mentioned.append(s)
        return s

    def amount(self, token: str | None, units: int) -> str:
        """Human units and how the amount compares with the balance of that asset."""
        if units >= 2**255 or units == 2**256 - 1:
            return "unlimited (max uint256)"
        if units == 2**160 - 1:
            return "unlimited (max uint160)"
        native: dict[str, Any] = {"symbol": self.native(), "decimals": 18}
        info = self.tokens.get(token.lower()) if token else native
        sym = str((info or {}).get("symbol", "units of unknown token"))
        dec = int((info or {}).get("decimals", 0) or 0)
        text = f"{_fmt(units / 10**dec)} {sym}"
        bal_raw = self.balances.get(token.lower() if token else "native")
        if bal_raw is not None:
            bal = _int(bal_raw)
            if bal == 0:
                text += " (balance 0)"
            elif units >= 1000 * bal:
                text += f" ({units // bal:,}x the balance)"
            else:
                text += f" ({round(100 * units / bal)}% of balance)"
        return text

    def native(self) -> str:
        return "POL" if self.req.get("chain_id") == 137 else "ETH"

    def call(self, to: str | None, data: str, value: int) -> str:
        parts = []
        if value:
            parts.append(f"sends {self.amount(None, value)}")
        if to is None:
            return f"deploys a new contract ({max(0, len(data) // 2 - 1)} bytes of code)"
        sel = data[2:10].lower() if data and len(data) >= 10 else ""
        if not sel:
            return " and ".join(parts) or "plain call without data"
        if sel in CALLS:
            name, names, types = CALLS[sel]
            try:
                args = decode(types, bytes.fromhex(data[10:]))
            except Exception:  # undecodable arguments: say so, never guess
                return f"calls {name} with arguments that do not decode"
            shown = []
            token = to if name != "permit2.approve" else str(args[0])
            for n, t, v in zip(names, types, args, strict=True):
                if t == "address":
                    shown.append(f"{n}={self.addr(v)}")
                elif n == "amount":
                    shown.append(f"{n}={self.amount(token, int(v))}")
                else:
                    shown.append(f"{n}={v}")
            parts.append(f"calls {name}({', '.join(shown)})")
        elif sel in NAMED:
            parts.append(f"calls {NAMED[sel]}")
        else:
            parts.append(
                f"calls unknown function 0x{sel} ({len(data) // 2 - 5} bytes of arguments)"
            )
        return " and ".join(parts)

    def typed(self, p: dict[str, Any]) -> str:
        dom = p.get("domain") or {}
        msg = p.get("message") or {}
        primary = str(p.get("primaryType"))
        out = [f"typed data {primary}"]
        d = ", ".join(
            f"{k}={self.addr(v) if k == 'verifyingContract' else v}" for k, v in dom.items()
        )
        out.append(f"domain: {d}")
        token = str(dom.get("verifyingContract", "")) if primary == "Permit" else None

        def walk(prefix: str, obj: Any, token: str | None) -> None:
            if isinstance(obj, dict):
                tok = str(obj.get("token", token)) if "token" in obj else token
                for k, v in obj.items():
                    walk(f"{prefix}{k}.", v, tok)
            elif isinstance(obj, list):
                for i, v in enumerate(obj[:6]):
                    walk(f"{prefix}{i}.", v, token)
            else:
                key = prefix[:-1]
                leaf = key.rsplit(".", 1)[-1]
                s = str(obj)
                if s.startswith("0x") and len(s) == 42:
                    out.append(f"{key}={self.addr(s)}")
                elif leaf in ("value", "amount", "startAmount", "endAmount") and s.isdigit():
                    out.append(f"{key}={self.amount(token or None, int(s)) if token else s}")
                elif leaf in ("deadline", "expiration", "sigDeadline", "endTime") and s.isdigit():
                    hours = (int(s) - self.now) / 3600
                    when = f"{hours:.0f} hours" if abs(hours) < 48 else f"{hours / 24:.0f} days"
                    out.append(f"{key}=in {when}")
                else:
                    out.append(f"{key}={s[:80]}")

        walk("", msg, token)
        return "; ".join(out)

    def about(self, a: str) -> str:
        low = a.lower()
        info = self.accounts.get(low)
        bits = []
        if info is None:
            bits.append("unknown address")
        else:
            if info.get("is_contract") is True:
                bits.append("contract")
            elif info.get("is_contract") is False:
                bits.append("EOA (not a contract)")
            if "age_days" in info:
                bits.append(f"{info['age_days']} days old")
            if "verified_source" in info:
                bits.append("verified" if info["verified_source"] else "unverified")
            if info.get("label"):
                bits.append(f'label "{str(info["label"])[:60]}"')
        tok = self.tokens.get(low)
        if tok:
            bits.append(f"{tok.get('standard', 'token')} token {str(tok.get('symbol'))[:60]}")
        book = _lower(self.facts.get("address_book"))
        past = _lower(self.facts.get("past_counterparties"))
        bits.append("in address book" if low in book else "not in address book")
        bits.append("used before" if low in past else "never used before")
        if low in _lower(self.facts.get("blocklist")):
            bits.append("ON BLOCKLIST")
        for known in sorted(book | past):
            if known != low and known[:7] == low[:7] and known[-5:] == low[-5:]:
                bits.append(f"looks like known address {to_checksum_address(known)}")
        return f"{a}: " + ", ".join(bits)

    def render(self) -> str:
        r = self.req
        method = r.get("method")
        p = r.get("params") or {}
        origin = r.get("origin") or "the user (in the app)"
        head = f"Request {method} on chain {r.get('chain_id')} from {origin}"
        trusted = [str(t).split("://")[-1] for t in self.facts.get("trusted_origins") or []]
        lines = [head]
        if r.get("origin"):
            host = str(r.get("origin")).split("://")[-1]
            # the list matters only to judge an origin that is not itself on it
            ok = host in trusted
            lines.append(
                "Origin is trusted" if ok else f"Trusted origins: {', '.join(trusted) or 'none'}"
            )
        if method == "eth_sendTransaction":
            to = p.get("to")
            if to:
                to = self.addr(to)
            value = _int(p.get("value") or 0)
            lines.append(f"To {to or '(none)'}: {self.call(to, str(p.get('data') or '0x'), value)}")
        elif method == "eth_signTypedData_v4":
            lines.append(self.typed(p))
        elif method == "personal_sign":
            lines.append(f"Sign message: {message_text(p.get('message'))}")
        elif method == "eth_sign":
            lines.append(f"Sign raw hash {p.get('hash')}")
        else:
            lines.append(f"Unsupported method with params {str(p)[:120]}")
        for a in self.mentioned:
            lines.append("- " + self.about(a))
        return "\n".join(lines)


def message_text(msg: Any) -> str:
    """A personal_sign message as the user would read it; a 32-byte hex stays hex."""
    s = str(msg or "")
    if s.startswith("0x") and len(s) != 66:
        try:
            s = bytes.fromhex(s[2:]).decode("utf-8")
        except ValueError:
            return f"{len(s) // 2 - 1} bytes of binary data"
    elif s.startswith("0x") and len(s) == 66:
        return f"32-byte hash {s}"
    return s[:240].replace("\n", " / ")


def describe(request: dict[str, Any], facts: dict[str, Any]) -> str:
    """The request and its facts as text (never raises: odd input is described as odd)."""
    try:
        return Describer(request, facts).render()
    except Exception as exc:  # fail closed: the model sees that the request did not decode
        return f"Request that could not be decoded ({type(exc).__name__})"
