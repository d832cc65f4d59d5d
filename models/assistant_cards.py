"""A parsed intent (``models.intent_schema``) as what the assistant shows: a confirmation card
wired to the real feature, a computed answer, or a question back. Nothing here acts; a card
only opens the feature, where the user confirms (and a transaction is reviewed).

Card kinds and what their button does in the app (``ui/screens/assistant.py``):

- ``send``: the Send screen filled in; the review comes before any signature.
- ``add_contact``: the address book's add, after the user's click.
- ``revoke``: the approval delegate's revoke proposal, opened in its review.
- ``price_alert``: stored as an alert rule of the market delegate.
- ``market_brief`` / ``explain_tx``: computed answers with a link to Market / the history.
- ``swap``: an honest "not supported yet".
"""

from __future__ import annotations

from typing import Any

from app.rows import WalletAction
from models.assistant_answers import (
    WalletFacts,
    balance_answer,
    explain_tx_answer,
    market_brief_answer,
    revoke_candidates,
)

MARKET_QUOTE = "USD"


def refusal_text(reason: str) -> str:
    """What the assistant says to a request it will not carry out (``models.intents``)."""
    if reason == "secret":
        return (
            "I will not show or send your recovery phrase or private keys, and no one who "
            "asks for them is on your side: Warden, support staff and dapps never need them. "
            "To back up your wallet, use Settings → Backup."
        )
    return (
        "I will not act on an order made under time pressure: urgency is how scams work. "
        "If you still want to send, start the send yourself; the review will check it first."
    )


def _short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}" if address.startswith("0x") else address


def to_wallet_action(
    action: Any, *, wallet: WalletFacts | None = None, store: Any = None
) -> WalletAction | None:
    """The intent parser's object (dict or dataclass) as a card, an answer or a question;
    None for what is not a wallet action (answered as checked chat)."""
    if action is None:
        return None
    data = action if isinstance(action, dict) else getattr(action, "__dict__", {})
    kind = str(data.get("action") or data.get("kind") or "")
    if not kind or kind in ("none", "unknown"):
        return None
    if kind in ("question", "clarify"):
        return WalletAction("question", str(data.get("question") or "Could you say more?"))
    if kind == "refuse":
        return WalletAction("answer", refusal_text(str(data.get("reason") or "")))
    if kind == "send":
        fields = {
            "recipient": str(data.get("to") or data.get("recipient") or ""),
            "amount": str(data.get("amount") or ""),
            "asset": str(data.get("asset") or ""),
        }
        desc = f"Send {fields['amount']} {fields['asset']} to {fields['recipient']}"
        if data.get("chain"):
            desc += f" on {data['chain']}"
        return WalletAction(
            "send", desc + ". You will review it before anything is signed.", fields
        )
    if kind == "add_contact":
        fields = {"name": str(data.get("name") or ""), "address": str(data.get("address") or "")}
        return WalletAction(
            "add_contact",
            f"Save {fields['address']} as “{fields['name']}” in your address book.",
            fields,
        )
    if kind == "swap":
        return WalletAction(
            "swap",
            f"Swap {data.get('amount') or 'some'} {data.get('from_asset') or ''} for "
            f"{data.get('to_asset') or 'another token'}. Swaps are not built into Warden yet; "
            "use a swap site, and Warden will review the transaction it asks you to sign.",
        )
    if kind in ("balance", "check_balance"):
        if wallet is None:
            return WalletAction("answer", "Open a wallet first; then I can tell its balances.")
        return WalletAction("answer", balance_answer(wallet, data.get("asset")))
    if kind in ("explain_tx", "explain_last_tx"):
        if wallet is None:
            return WalletAction("answer", "Open a wallet first; then I can explain its history.")
        text, tx_hash = explain_tx_answer(wallet, data.get("which"))
        if tx_hash is None:
            return WalletAction("answer", text)
        return WalletAction("explain_tx", text, {"tx_hash": tx_hash})
    if kind == "market_brief":
        if store is None:
            return WalletAction("answer", "Open a wallet first; the market brief is kept there.")
        return WalletAction(
            "market_brief",
            market_brief_answer(store, data.get("asset")),
            {"asset": data.get("asset")},
        )
    if kind == "price_alert":
        return _price_alert(data)
    if kind == "revoke":
        return _revoke(data, store)
    return None


def _price_alert(data: dict[str, Any]) -> WalletAction:
    asset, direction, price = data.get("asset"), data.get("direction"), data.get("price")
    if not asset or direction not in ("above", "below") or not price:
        return WalletAction(
            "question", "Which asset, above or below which price? e.g. “ETH above 4000”."
        )
    symbol = f"{str(asset).upper()}/{MARKET_QUOTE}"
    fields = {"symbol": symbol, "direction": direction, "price": str(price)}
    return WalletAction(
        "price_alert",
        f"Alert me when {symbol} goes {direction} {price}. The market delegate checks it at "
        "each run and notifies you; nothing is bought or sold.",
        fields,
    )


def _revoke(data: dict[str, Any], store: Any) -> WalletAction:
    asset, spender = data.get("asset"), data.get("spender")
    if store is None:
        return WalletAction("answer", "Open a wallet first; its approvals are checked there.")
    found = revoke_candidates(store, asset, spender)
    if not found:
        what = " ".join(x for x in (str(asset or ""), "approval") if x)
        if spender:
            what += f" to {_short(str(spender))}"
        return WalletAction(
            "revoke",
            f"No revoke of the {what} is proposed. Run “Approval hygiene” in Delegates: it "
            "lists your live approvals and proposes revokes of the risky ones, each reviewed "
            "before you sign.",
            {"proposal_id": None},
        )
    if len(found) > 1:
        listed = "; ".join(p.title for p in found[:5])
        return WalletAction(
            "revoke",
            f"{len(found)} revokes match: {listed}. Open Delegates to choose one; each is "
            "reviewed before you sign.",
            {"proposal_id": None},
        )
    p = found[0]
    return WalletAction(
        "revoke",
        f"{p.title}. The revoke is a transaction: you will review it before anything is signed.",
        {"proposal_id": p.id},
    )
