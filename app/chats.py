"""The Assistant's conversation, kept in the encrypted store."""

from __future__ import annotations

from sqlalchemy import select

from app.store import schema as s
from app.wallet.ports import SessionSource


def save_exchange(store: SessionSource, question: str, answer: str) -> None:
    """A question and its answer, appended to the latest chat (a new one if there is none)."""
    with store.session() as ses:
        chat = ses.scalar(select(s.Chat).order_by(s.Chat.id.desc()).limit(1))
        if chat is None:
            chat = s.Chat(title=question[:80])
            ses.add(chat)
            ses.flush()
        ses.add(s.ChatMessage(chat_id=chat.id, role="user", content=question))
        ses.add(s.ChatMessage(chat_id=chat.id, role="assistant", content=answer))


def recent_messages(store: SessionSource, limit: int = 100) -> list[tuple[str, str]]:
    """(role, text) of the last ``limit`` messages, oldest first."""
    with store.session() as ses:
        q = select(s.ChatMessage).order_by(s.ChatMessage.id.desc()).limit(limit)
        rows = [(m.role, m.content) for m in ses.scalars(q)]
    return list(reversed(rows))
