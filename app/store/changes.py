"""Committed changes of the encrypted store, announced as ``*_did_change`` events.

Every writer (CLI, assistant, delegates, the window) writes through ``Store.session()``, so no
core function needs a bus passed in: the composition root calls ``attach(store, bus)``, and
after each successful COMMIT one event per kind of changed table is published on that bus,
from the committing thread. Rows are collected from the ORM flush (``session.new``, ``dirty``,
``deleted``) and from ORM-enabled ``insert``/``update``/``delete`` statements; a transaction
that rolls back publishes nothing.
"""

from __future__ import annotations

import logging
import threading
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from app import events as ev

log = logging.getLogger(__name__)

#: Which event a change of each table announces.
TABLE_EVENTS: dict[str, type[ev.DataChange]] = {
    "address_book": ev.contacts_did_change,
    "labels": ev.contacts_did_change,
    "accounts": ev.accounts_did_change,
    "networks": ev.networks_did_change,
    "tokens": ev.tokens_did_change,
    "proposals": ev.proposals_did_change,
    "delegate_runs": ev.alerts_did_change,
    "preferences": ev.settings_did_change,
    "delegate_settings": ev.delegates_did_change,
    "transfers": ev.transfers_did_change,
    "candles": ev.prices_did_change,
}

#: Tables no screen shows: their changes are not announced (a test keeps both lists complete).
SILENT_TABLES = frozenset(
    {
        "alembic_version",
        "app_meta",
        "secrets",  # written with the accounts they belong to
        "nonces",
        "scan_state",
        "contract_facts",
        "blocklist",
        "trusted_origins",
        "chats",  # the assistant's own conversation
        "chat_messages",
        "feedback",
        # The request lifecycle's own record (on main): a proposal's status and the transfer a
        # request sends are announced through their own tables.
        "sign_requests",
        "threat_lists",  # (on main) read by the review; no screen lists them
    }
)

_BUSES = "warden.changes.buses"  # session.info: the buses this session announces on
_SEEN = "warden.changes.seen"  # session.info: event type -> chain ids of changed rows
_UNKNOWN = -1  # a bulk statement: which chains it touched is not known

_buses: WeakKeyDictionary[Any, tuple[ev.EventBus, ...]] = WeakKeyDictionary()
_lock = threading.Lock()


def attach(store: Any, bus: ev.EventBus) -> None:
    """Announce ``store``'s committed changes on ``bus`` too. Each backend over the store (a
    window, the daemon) attaches its own bus, and detaches it when it closes."""
    with _lock:
        held = _buses.get(store, ())
        if bus not in held:
            _buses[store] = (*held, bus)


def detach(store: Any, bus: ev.EventBus) -> None:
    with _lock:
        held = tuple(b for b in _buses.get(store, ()) if b is not bus)
        if held:
            _buses[store] = held
        else:
            _buses.pop(store, None)


def buses_of(store: Any) -> tuple[ev.EventBus, ...]:
    with _lock:
        return _buses.get(store, ())


def track(session: Session, store: Any) -> None:
    """Called by ``Store.session()`` for each unit of work: mark the session for announcing
    when a bus is attached to its store (otherwise the listeners below return at once)."""
    buses = buses_of(store)
    if buses:
        session.info[_BUSES] = buses


def _note(session: Session, table: str | None, chain_id: int | None) -> None:
    event_type = TABLE_EVENTS.get(table or "")
    if event_type is None:
        return
    seen: dict[type[ev.DataChange], set[int | None]] = session.info.setdefault(_SEEN, {})
    seen.setdefault(event_type, set()).add(chain_id)


def _table_of(obj: object) -> str | None:
    table = inspect(obj).mapper.local_table
    return getattr(table, "name", None)


def _chain_of(obj: object) -> int | None:
    # The loaded value only: reading an expired attribute here would query inside the flush.
    value = inspect(obj).dict.get("chain_id")
    return value if isinstance(value, int) else None


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    if _BUSES not in session.info:
        return
    dirty = [o for o in session.dirty if session.is_modified(o)]
    for obj in (*session.new, *dirty, *session.deleted):
        _note(session, _table_of(obj), _chain_of(obj))


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    writes = state.is_insert or state.is_update or state.is_delete
    if not writes or _BUSES not in state.session.info:
        return
    table = getattr(state.statement, "table", None)
    _note(state.session, getattr(table, "name", None), _UNKNOWN)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_SEEN, None)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    seen = session.info.pop(_SEEN, None)
    buses = session.info.get(_BUSES, ())
    if not seen or not buses:
        return
    # The data is committed whatever happens here: a failure must not reach the writer.
    try:
        for event_type in sorted(seen, key=lambda t: t.kind):
            chains = seen[event_type]
            chain_id = next(iter(chains)) if len(chains) == 1 else None
            event = event_type(chain_id=chain_id if chain_id != _UNKNOWN else None)
            for bus in buses:
                bus.publish(event)
    except Exception:
        log.exception("announcing committed changes failed")
