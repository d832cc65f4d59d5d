"""The Assistant: the model's answers on the network pool (the model has its own thread),
the conversation in the store on the store worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app import chats
from app.rows import RemotePreview, WalletAction
from ui.ops.core import Op
from ui.services import AppServices, require


def history(sv: AppServices, limit: int = 100) -> Op[list[tuple[str, str]]]:
    return Op(lambda: chats.recent_messages(sv.store, limit), lane="store")


def save_exchange(sv: AppServices, question: str, answer: str) -> Op[None]:
    return Op(lambda: chats.save_exchange(sv.store, question, answer), lane="store")


def remote_preview(sv: AppServices, text: str) -> Op[RemotePreview | None]:
    """What would leave the machine for the remote host, if this question would go there."""

    def work() -> RemotePreview | None:
        return sv.assistant.remote_preview(text) if sv.assistant is not None else None

    return Op(work, lane="store")


def parse_intent(sv: AppServices, text: str) -> Op[WalletAction | None]:
    def work() -> WalletAction | None:
        return sv.assistant.parse_intent(text) if sv.assistant is not None else None

    return Op(work, lane="network")


def chat(
    sv: AppServices, messages: list[dict[str, str]], on_token: Callable[[str], None]
) -> Op[Any]:
    """Start a streamed answer; the result has ``.future`` and ``.cancel()``."""
    return Op(
        lambda: require(sv.assistant, "The assistant").chat(messages, on_token), lane="network"
    )


def save_price_alert(sv: AppServices, symbol: str, direction: str, price: str) -> Op[str]:
    """Store the alert in the market delegate's settings (the user clicked "Save the alert");
    the sentence that says what was saved."""
    from delegates.market.alert_settings import DELEGATE, with_price_alert
    from ui.ops.delegates import delegate_rows, store_settings

    def work() -> str:
        rows = delegate_rows(sv)
        current = next((dict(r.settings) for r in rows if r.name == DELEGATE), {})
        merged, said = with_price_alert(current, symbol, direction, price)
        store_settings(sv, DELEGATE, merged)
        return said

    return Op(work, lane="store")
