"""Incoming watch: tells the user about incoming transfers, and spots address poisoning.

A zero-value or dust transfer from an address that looks like one the user knows (a contact,
one of their own, or one they have sent to) is a poisoning attempt: it is hidden from the
history's normal view and the look-alike goes on the blocklist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from app.events import transfer_did_arrive
from app.notify import Notification
from app.store.schema import Account, BlocklistEntry, Contact, Token, Transfer
from delegates.runtime.base import Delegate, DelegateContext, On
from delegates.runtime.registry import delegate

Similar = Callable[[str, Iterable[str]], str | None]


def default_similar(candidate: str, known: Iterable[str]) -> str | None:
    from app.lookalike import lookalike_of

    return lookalike_of(candidate, known)


@dataclass(frozen=True)
class IncomingSettings:
    dust_native_wei: int = 10**12  # 0.000001 ETH
    dust_token_units: int = 1000


def _short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def known_addresses(sess: Any) -> set[str]:
    known = {a.address for a in sess.scalars(select(Account))}
    known |= {c.address for c in sess.scalars(select(Contact))}
    known |= {
        r for r in sess.scalars(select(Transfer.recipient).where(Transfer.direction == "out")) if r
    }
    return known


@delegate
class IncomingWatch(Delegate):
    name = "incoming_watch"
    description = "Notifies incoming transfers and hides address-poisoning attempts."
    triggers = (On(transfer_did_arrive),)
    settings_type = IncomingSettings
    similar: Similar = staticmethod(default_similar)

    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        if not isinstance(event, transfer_did_arrive):
            return {"summary": "runs on incoming transfers only"}
        s: IncomingSettings = settings
        with ctx.db.session() as sess:
            known = known_addresses(sess) - {event.sender}
            token = (
                sess.scalars(
                    select(Token).where(
                        Token.chain_id == event.chain_id, Token.address == event.token
                    )
                ).first()
                if event.token
                else None
            )
            symbol, decimals = (
                ("ETH", 18)
                if event.token is None
                else ((token.symbol, token.decimals) if token else ("tokens", 0))
            )
        dust = s.dust_native_wei if event.token is None else s.dust_token_units
        mimicked = self.similar(event.sender, known) if event.amount <= dust else None
        if mimicked:
            self._quarantine(ctx, event, mimicked)
            ctx.notifier.notify(
                Notification(
                    "Address poisoning hidden",
                    f"{_short(event.sender)} sent a {'zero' if event.amount == 0 else 'dust'} "
                    f"transfer and looks like {_short(mimicked)}; it is hidden and blocklisted. "
                    "Always copy addresses from your contacts, never from the history.",
                    "alert",
                    urgent=True,
                )
            )
            return {
                "summary": f"poisoning from {event.sender} hidden",
                "poisoning": True,
                "lookalike_of": mimicked,
                "tx_hash": event.tx_hash,
            }
        amount = Decimal(event.amount) / (Decimal(10) ** decimals)
        text = f"{amount.normalize():f} {symbol} from {_short(event.sender)}"
        ctx.notifier.notify(Notification("Incoming transfer", text, "transfer"))
        return {"summary": f"received {text}", "poisoning": False, "tx_hash": event.tx_hash}

    def _quarantine(self, ctx: DelegateContext, e: transfer_did_arrive, mimicked: str) -> None:
        with ctx.db.session() as sess:
            hidden = sess.execute(
                update(Transfer)
                .where(Transfer.tx_hash == e.tx_hash, Transfer.account == e.account)
                .values(hidden=True, note=f"address poisoning: looks like {mimicked}")
            ).rowcount
            if not hidden:
                # The history scan has not stored it yet: store it hidden now.
                sess.add(
                    Transfer(
                        chain_id=e.chain_id,
                        account=e.account,
                        tx_hash=e.tx_hash,
                        log_index=-1,
                        block_number=e.block_number,
                        direction="in",
                        sender=e.sender,
                        recipient=e.account,
                        token=e.token,
                        amount=str(e.amount),
                        hidden=True,
                        note=f"address poisoning: looks like {mimicked}",
                    )
                )
            sess.merge(
                BlocklistEntry(address=e.sender, reason=f"address poisoning: looks like {mimicked}")
            )
