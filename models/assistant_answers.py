"""Answers the assistant gives, computed by code from the wallet, the store and the delegates'
stored runs. Every number, name and address in them comes from those facts; none is the
model's. A question the facts cannot answer gets a plain "I cannot tell" with what to do.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select

from app.rows import AccountRow, BalanceRow, HistoryRow, format_decimal, format_fiat
from app.store import schema as s


class WalletFacts(Protocol):
    """What the assistant reads about the wallet (``app.wallet.services.WalletServices``)."""

    def accounts(self) -> list[AccountRow]: ...
    def balances(self, address: str) -> list[BalanceRow]: ...
    def history(self, account: str | None = None, limit: int = 500) -> list[HistoryRow]: ...


def balance_answer(wallet: WalletFacts, asset: str | None) -> str:
    """Computed from the node and the store: the numbers shown are never the model's."""
    parts = []
    for acc in wallet.accounts():
        rows = [
            b
            for b in wallet.balances(acc.address)
            if not asset or b.symbol.upper() == asset.upper()
        ]
        held = [
            f"{format_decimal(b.amount, 6)} {b.symbol}"
            + (f" ({format_fiat(b.fiat)})" if b.fiat is not None else "")
            for b in rows
            if b.amount
        ]
        if held:
            parts.append(f"{acc.name}: {', '.join(held)}")
    what = asset.upper() if asset else "anything"
    if not parts:
        return f"Your accounts hold no {what} on this network."
    return "You hold " + "; ".join(parts) + "."


def describe_transfer(r: HistoryRow, prefix: str = "Your last transfer") -> str:
    who = r.counterparty_name or r.counterparty
    when = r.when.strftime("%Y-%m-%d %H:%M") if r.when else "at a time not recorded"
    verb, prep = ("received", "from") if r.direction == "in" else ("sent", "to")
    if r.direction == "self":
        verb, prep = "moved", "between your own accounts, with"
    amount = f"{format_decimal(r.amount)} {r.asset}"
    text = f"{prefix}: you {verb} {amount} {prep} {who} ({when}, {r.status})."
    if r.note:
        text += f" Note: {r.note}."
    return text


def last_tx_answer(wallet: WalletFacts) -> str:
    rows = [r for r in wallet.history() if not r.hidden]
    if not rows:
        return "There is no transaction in your history yet."
    return describe_transfer(rows[0])


def explain_tx_answer(wallet: WalletFacts, which: str | None) -> tuple[str, str | None]:
    """The transfer from history the user means ("last" or a hash), described from the
    stored row; with its hash, so the card can open it. A hash not in history says so."""
    if not which or which == "last":
        rows = [r for r in wallet.history() if not r.hidden]
        if not rows:
            return "There is no transaction in your history yet.", None
        return describe_transfer(rows[0]), rows[0].tx_hash
    wanted = which.lower()
    for r in wallet.history():
        if r.tx_hash.lower() == wanted:
            prefix = "That transfer (hidden as suspicious)" if r.hidden else "That transfer"
            return describe_transfer(r, prefix), r.tx_hash
    return (
        "That transaction is not in your history, so Warden has nothing decoded to show. "
        "If it is yours, let the history scan finish (Wallet screen), then ask again.",
        None,
    )


def market_brief_answer(store: Any, asset: str | None) -> str:
    """The market delegate's latest brief, as it stored it, with its time; never a new one
    made up here. Without a run: what to do to get one."""
    with store.session() as ses:
        run = ses.scalars(
            select(s.DelegateRun)
            .where(s.DelegateRun.delegate == "market_analysis", s.DelegateRun.outcome == "ok")
            .order_by(s.DelegateRun.id.desc())
            .limit(1)
        ).first()
        output = dict(run.output or {}) if run is not None else {}
        when = run.ended_at or run.started_at if run is not None else None
    results = [r for r in output.get("assets") or [] if isinstance(r, dict)]
    if not results:
        return (
            "The market delegate has not written a brief yet. Run “Market analysis” in "
            "Delegates (or open Market), then ask again."
        )
    if asset:
        wanted = asset.upper()
        results = [r for r in results if str(r.get("symbol", "")).split("/")[0] == wanted]
        if not results:
            return (
                f"The market delegate does not follow {wanted}. Add {wanted}/USD to its "
                "symbols in Delegates → Market analysis to get a brief."
            )
    stamp = when.strftime("%Y-%m-%d %H:%M") if when is not None else "an earlier run"
    briefs = " ".join(str(r.get("brief") or "").strip() for r in results)
    return f"From the market delegate's brief of {stamp}: {briefs}"


def revoke_candidates(store: Any, asset: str | None, spender: str | None) -> list[Any]:
    """Revokes the approval delegate proposed that match what the user named."""
    from app.proposals import pending_proposals

    out = []
    with store.session() as ses:
        symbols = {t.address.lower(): t.symbol.upper() for t in ses.scalars(select(s.Token))}
    for p in pending_proposals(store):
        if p.kind != "revoke":
            continue
        token = str(p.payload.get("token") or "").lower()
        if asset and symbols.get(token) != asset.upper():
            continue
        if spender and str(p.payload.get("spender") or "").lower() != spender.lower():
            continue
        out.append(p)
    return out
