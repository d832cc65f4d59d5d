"""The Assistant's model access, Qt-free (the screen calls it through ``ui.ops.assistant``):
the local model answers with the wallet's facts from the store; a configured larger host gets
only anonymized text, and only for requests too large for the local model; sentences become
wallet actions shown for confirmation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.rows import RemotePreview, WalletAction, format_decimal, format_fiat
from app.store import schema as s
from models.answer_check import Checked, check_answer
from models.assistant_answers import (
    WalletFacts,
    balance_answer,
    last_tx_answer,
)
from models.assistant_cards import refusal_text, to_wallet_action

__all__ = [
    "AssistantService",
    "WalletFacts",
    "balance_answer",
    "last_tx_answer",
    "refusal_text",
    "to_wallet_action",
    "wallet_facts",
]

log = logging.getLogger(__name__)

# Short on purpose: the bundled model is small, and long instructions crowd out the facts.
SYSTEM = (
    "You are Warden, a wallet assistant. Answer in one or two short sentences, using only "
    "these facts about the user's wallet. Never ask for a recovery phrase or a key.\n"
    "Facts:\n"
)
CHARS_PER_TOKEN = 4
MAX_ANSWER_TOKENS = 96


class AssistantService:
    def __init__(
        self,
        catalog: Any,
        store: Any,
        task: str = "assistant",
        facts_fn: Callable[[], str] | None = None,
        model_name: str | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.task = task
        # The composition root plugs in facts with balances from the chain (see wallet_facts)
        # and the wallet, from which balance and last-transaction answers are computed.
        self.facts_fn = facts_fn
        self.wallet: WalletFacts | None = None
        self.model_name = model_name  # a fixed model; else the store's choice for the task
        self._local: Any = None
        self._last_facts = ""

    # -- models ---------------------------------------------------------------------------
    def _local_model(self) -> Any:
        if self._local is None:
            from models.bundled import BUNDLED_NAME
            from models.choice import ModelChoices
            from models.runtime import LocalModel

            name = self.model_name
            if name is None:
                name = ModelChoices(self.store).get(self.task) if self.store else BUNDLED_NAME
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
        if self.store is None and self.facts_fn is None:
            return "- no wallet is open"
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
        self._last_facts = self.facts()
        return [{"role": "system", "content": SYSTEM + self._last_facts}, *history[-8:]]

    # -- the screen's API -----------------------------------------------------------------
    def chat(
        self,
        history: list[dict[str, str]],
        on_token: Any,
        *,
        max_tokens: int = MAX_ANSWER_TOKENS,
        timeout_s: float = 90.0,
    ) -> Any:
        """The model's streamed draft; callers show it only after ``checked_answer``."""
        from models.settings import GenerationOptions

        messages = self._messages(history)
        options = GenerationOptions(
            max_tokens=max_tokens, timeout_s=timeout_s, temperature=0.2, stop=("\n\n",)
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

    def words(self) -> Any:
        from models.wallet_words import from_store

        try:
            return from_store(self.store)
        except Exception:  # no readable store: the parser works without the wallet's words
            log.debug("no wallet words")
            return None

    def parse_intent(self, text: str) -> WalletAction | None:
        """A sentence becomes a card to confirm, a computed answer, or a question back; None
        when it is no wallet request (then it is answered as checked chat).

        The rules run first, without a model: secrets and pressure are refused before any
        model sees the request, and most requests are placed by their own words. The model
        is asked only for an order the rules cannot place, and only for the action."""
        from models.intents import parse_intent

        words = self.words()
        quick = parse_intent(None, text, wallet=words)
        kind = quick.get("action")
        if kind == "refuse":
            return WalletAction("answer", refusal_text(str(quick.get("reason") or "")))
        action = quick
        if kind == "clarify" and quick.get("missing") == ["action"]:
            if looks_like_action(text):
                action = parse_intent(self._intent_model(), text, wallet=words)
            elif self.wallet is not None and looks_like_wallet_question(text):
                answer = wallet_question_answer(self.wallet, text, quick)
                return WalletAction("answer", answer) if answer is not None else None
            else:
                return None  # not a wallet request: answered as chat, checked
        if action.get("action") == "clarify" and not looks_like_action(text):
            return None
        return to_wallet_action(action, wallet=self.wallet, store=self.store)

    def _intent_model(self) -> Any:
        from models.choice import ModelChoices
        from models.runtime import LocalModel

        name = self.model_name
        if name is None and self.store is not None:
            name = ModelChoices(self.store).get("intent")
        if name is None or name == self._local_model().name:
            return self._local_model()
        return LocalModel(self.catalog.checked(name))

    def checked_answer(self, answer: str, question: str = "") -> Checked:
        """The model's free text, kept only if every value in it is in the facts the code
        computed for this question (``models.answer_check``); else the fallback."""
        result = check_answer(answer, self._last_facts, question)
        if not result.ok:
            log.info("a model answer was withheld: %s", ", ".join(result.reasons))
        return result

    def close(self) -> None:
        if self._local is not None:
            self._local.close()


ACTION_WORDS = (
    "send",
    "pay",
    "transfer",
    "swap",
    "exchange",
    "save",
    "add contact",
    "add ",
    "revoke",
    "alert",
    "notify",
)


def looks_like_action(text: str) -> bool:
    """Cheap gate before the model is asked: orders start with or contain an action verb."""
    low = f" {text.lower().strip()} "
    return any(f" {w.strip()} " in low or low.strip().startswith(w.strip()) for w in ACTION_WORDS)


WALLET_QUESTIONS = ("how much", "balance", "last transaction", "last tx", "what did i")


def looks_like_wallet_question(text: str) -> bool:
    low = text.lower()
    return any(q in low for q in WALLET_QUESTIONS)


BALANCE_WORDS = ("how much", "balance", "hold", "do i have", "how many")
LAST_TX_WORDS = ("last", "latest", "recent", "transaction", " tx")


def wallet_question_answer(wallet: WalletFacts, text: str, parsed: dict[str, Any]) -> str | None:
    """Balance and last-transaction questions the parser could not place, answered by code
    from the node and the store where the sentence's own words say which."""
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
