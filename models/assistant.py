"""The Assistant's model access, Qt-free (the screen calls it through ``ui.ops.assistant``):
the local model answers with the wallet's facts from the store; a configured larger host gets
only anonymized text, and only for requests too large for the local model; sentences become
wallet actions shown for confirmation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import select

from app.rows import (
    AccountRow,
    BalanceRow,
    HistoryRow,
    RemotePreview,
    WalletAction,
    format_decimal,
    format_fiat,
)
from app.store import schema as s

log = logging.getLogger(__name__)

# Short on purpose: the bundled model is small, and long instructions crowd out the facts.
SYSTEM = (
    "You are Warden, a wallet assistant. Answer in one or two short sentences, using only "
    "these facts about the user's wallet. Never ask for a recovery phrase or a key.\n"
    "Facts:\n"
)
CHARS_PER_TOKEN = 4
MAX_ANSWER_TOKENS = 96


class WalletFacts(Protocol):
    """What the assistant reads about the wallet (``app.wallet.services.WalletServices``)."""

    def accounts(self) -> list[AccountRow]: ...
    def balances(self, address: str) -> list[BalanceRow]: ...
    def history(self, account: str | None = None, limit: int = 500) -> list[HistoryRow]: ...


class AssistantService:
    def __init__(
        self,
        catalog: Any,
        store: Any,
        task: str = "assistant",
        facts_fn: Callable[[], str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.task = task
        # The composition root plugs in facts with balances from the chain (see wallet_facts)
        # and the wallet, from which balance and last-transaction answers are computed.
        self.facts_fn = facts_fn
        self.wallet: WalletFacts | None = None
        self._local: Any = None

    # -- models ---------------------------------------------------------------------------
    def _local_model(self) -> Any:
        if self._local is None:
            from models.choice import ModelChoices
            from models.runtime import LocalModel

            name = ModelChoices(self.store).get(self.task)
            self._local = LocalModel(self.catalog.checked(name))
        return self._local

    def _remote(self) -> Any:
        from models.remote_config import build_remote

        return build_remote(self.store, self._names())

    def _names(self) -> list[str]:
        with self.store.session() as ses:
            names = [a.name for a in ses.scalars(select(s.Account))]
            names += [c.name for c in ses.scalars(select(s.Contact))]
            names += [lb.label for lb in ses.scalars(select(s.Label))]  # account labels
        return names

    def _too_large_for_local(self, messages: list[dict[str, str]]) -> bool:
        n_ctx = 2048
        try:
            n_ctx = int(self._local_model().entry.settings.n_ctx)
        except Exception:  # unknown: assume the default context
            log.debug("no local context size")
        size = sum(len(m["content"]) for m in messages) // CHARS_PER_TOKEN
        return size > n_ctx // 2

    # -- facts ----------------------------------------------------------------------------
    def facts(self) -> str:
        if self.facts_fn is not None:
            try:
                return self.facts_fn()
            except Exception as exc:  # the node may be down: fall back to the store alone
                log.info("wallet facts without balances: %s", exc)
        with self.store.session() as ses:
            lines = [f"- account {a.name}: {a.address}" for a in ses.scalars(select(s.Account))]
            lines += [
                f"- contact {c.name}: {c.address}" for c in ses.scalars(select(s.Contact).limit(20))
            ]
            recent = ses.scalars(
                select(s.Transfer)
                .where(s.Transfer.hidden.is_(False))
                .order_by(s.Transfer.id.desc())
                .limit(8)
            )
            for t in recent:
                other = t.recipient if t.direction == "out" else t.sender
                what = t.token or "native coin"
                lines.append(
                    f"- {t.direction} transfer of {t.amount} base units of {what} "
                    f"with {other} ({t.status})"
                )
        return "\n".join(lines) or "- no accounts yet"

    def _messages(self, history: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{"role": "system", "content": SYSTEM + self.facts()}, *history[-8:]]

    # -- the screen's API -----------------------------------------------------------------
    def chat(self, history: list[dict[str, str]], on_token: Any) -> Any:
        from models.settings import GenerationOptions

        messages = self._messages(history)
        options = GenerationOptions(
            max_tokens=MAX_ANSWER_TOKENS, timeout_s=90, temperature=0.2, stop=("\n\n",)
        )
        remote = self._remote() if self._too_large_for_local(messages) else None
        model = remote or self._local_model()
        return model.submit(messages, options, on_token=on_token)

    def remote_preview(self, text: str) -> RemotePreview | None:
        remote = self._remote()
        if remote is None:
            return None
        messages = self._messages([{"role": "user", "content": text}])
        if not self._too_large_for_local(messages):
            return None
        body = remote.preview(messages)
        sent = "\n\n".join(f"[{m['role']}] {m['content']}" for m in body["messages"])
        return RemotePreview(remote.base_url, sent)

    def parse_intent(self, text: str) -> WalletAction | None:
        """A sentence that reads like an order becomes an action to confirm (or a question
        back); anything else gets None and is answered as chat."""
        from models.intents import parse_intent

        # The rules alone (no model, microseconds) refuse requests for a secret and orders
        # made under pressure before anything else sees them.
        quick = parse_intent(None, text)
        if quick.get("action") == "refuse":
            return WalletAction("answer", refusal_text(str(quick.get("reason") or "")))
        if not (looks_like_action(text) or looks_like_wallet_question(text)):
            return None
        from models.choice import ModelChoices
        from models.runtime import LocalModel

        name = ModelChoices(self.store).get("intent")
        model = self._local_model() if name == self._local_model().name else None
        model = model or LocalModel(self.catalog.checked(name))
        action = parse_intent(model, text)
        if self.wallet is not None and not looks_like_action(text):
            answer = wallet_question_answer(self.wallet, text, action)
            if answer is not None:
                return WalletAction("answer", answer)
        if action.get("action") == "clarify" and not looks_like_action(text):
            return None  # a question the parser could not place: answer it as chat
        return to_wallet_action(action)

    def close(self) -> None:
        if self._local is not None:
            self._local.close()


ACTION_WORDS = ("send", "pay", "transfer", "swap", "exchange", "save", "add contact", "add ")


def looks_like_action(text: str) -> bool:
    """Cheap gate before the structured parse: orders start with or contain an action verb."""
    low = f" {text.lower().strip()} "
    return any(f" {w.strip()} " in low or low.strip().startswith(w.strip()) for w in ACTION_WORDS)


WALLET_QUESTIONS = ("how much", "balance", "last transaction", "last tx", "what did i")


def looks_like_wallet_question(text: str) -> bool:
    low = text.lower()
    return any(q in low for q in WALLET_QUESTIONS)


BALANCE_WORDS = ("how much", "balance", "hold", "do i have", "how many")
LAST_TX_WORDS = ("last", "latest", "recent", "transaction", " tx")


def wallet_question_answer(wallet: WalletFacts, text: str, parsed: dict[str, Any]) -> str | None:
    """Balance and last-transaction questions are answered by code from the node and the
    store. The parse is trusted only where the sentence says so itself (the bundled model
    is small and sometimes mistakes one question for the other)."""
    low = f" {text.lower()} "
    asks_balance = any(w in low for w in BALANCE_WORDS)
    asks_last = any(w in low for w in LAST_TX_WORDS)
    kind = parsed.get("action")
    if kind in ("balance", "check_balance") and asks_balance or asks_balance and not asks_last:
        asset = parsed.get("asset") if kind in ("balance", "check_balance") else None
        if not asset or f" {str(asset).lower()}" not in low.replace("?", " "):
            asset = next(
                (
                    b.symbol
                    for acc in wallet.accounts()[:1]
                    for b in wallet.balances(acc.address)
                    if f" {b.symbol.lower()} " in low.replace("?", " ")
                ),
                None,
            )
        return balance_answer(wallet, asset)
    if asks_last and not asks_balance:
        return last_tx_answer(wallet)
    return None


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


def last_tx_answer(wallet: WalletFacts) -> str:
    rows = [r for r in wallet.history() if not r.hidden]
    if not rows:
        return "There is no transaction in your history yet."
    r = rows[0]
    who = r.counterparty_name or r.counterparty
    when = r.when.strftime("%Y-%m-%d %H:%M") if r.when else "recently"
    verb, prep = ("received", "from") if r.direction == "in" else ("sent", "to")
    amount = f"{format_decimal(r.amount)} {r.asset}"
    return f"Your last transfer: you {verb} {amount} {prep} {who} ({when}, {r.status})."


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


def to_wallet_action(action: Any) -> WalletAction | None:
    """The intent parser's object (dict or dataclass) as a confirmation card, or None."""
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
            f"Swap {data.get('amount')} {data.get('from_asset')} for {data.get('to_asset')}. "
            "Swaps are not built into Warden yet; use a swap site, and Warden will review the "
            "transaction it asks you to sign.",
        )
    return None  # balance and explanation questions are answered as chat


def wallet_facts(wallet: WalletFacts, history_lines: int = 5) -> str:
    """Balances and recent transfers in human units, names instead of addresses where known."""
    lines = []
    for acc in wallet.accounts():
        try:
            held = [
                f"{format_decimal(b.amount, 4)} {b.symbol}"
                + (f" ({format_fiat(b.fiat)})" if b.fiat is not None else "")
                for b in wallet.balances(acc.address)
                if b.amount
            ]
        except Exception:  # balances need the node; say so rather than guess
            held = ["balance unknown (node unreachable)"]
        lines.append(f"- Account {acc.name} holds " + (", ".join(held) or "nothing") + ".")
    for r in wallet.history()[:history_lines]:
        if r.hidden:
            continue
        who = r.counterparty_name or r.counterparty
        verb = "Received" if r.direction == "in" else "Sent"
        prep = "from" if r.direction == "in" else "to"
        lines.append(f"- {verb} {format_decimal(r.amount, 4)} {r.asset} {prep} {who}.")
    return "\n".join(lines) or "- The wallet has no accounts yet."
