"""The encrypted store announces committed changes: one ``*_did_change`` per kind of table per
COMMIT, nothing for a rollback, from every writer that uses ``Store.session()``."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app import events as ev
from app.store import Store, changes
from app.store.schema import Account, Base, Contact, Preference, Transfer
from app.wallet import contacts

ALICE = "0x" + "a1" * 20
BOB = "0x" + "b2" * 20


class Recorder:
    """Every change event published on a real bus, with the thread it came from."""

    def __init__(self, bus: ev.EventBus) -> None:
        self.events: list[ev.DataChange] = []
        self.threads: list[int] = []
        for event_type in ev.CHANGE_EVENTS:
            bus.subscribe(event_type, self._got)

    def _got(self, event: ev.DataChange) -> None:
        self.events.append(event)
        self.threads.append(threading.get_ident())

    @property
    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.throwaway(tmp_path / "store", password="a password")
    yield s
    s.close()


@pytest.fixture
def seen(store: Store) -> Recorder:
    bus = ev.EventBus()
    changes.attach(store, bus)
    return Recorder(bus)


def test_a_committed_contact_publishes_contacts_did_change_once(
    store: Store, seen: Recorder
) -> None:
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
        contacts.add_contact(s, BOB, "Bob")  # two rows, one kind: one event
        assert seen.events == []  # nothing before the commit
    assert seen.events == [ev.contacts_did_change()]


def test_a_rolled_back_transaction_publishes_nothing(store: Store, seen: Recorder) -> None:
    with pytest.raises(RuntimeError), store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")  # flushed, then rolled back
        raise RuntimeError("the writer fails after its flush")
    with store.session() as s:
        assert s.scalars(select(Contact)).all() == []
    assert seen.events == []


def test_a_commit_after_a_rollback_announces_only_what_it_committed(
    store: Store, seen: Recorder
) -> None:
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")  # flushed, then rolled back
        s.rollback()
        s.add(Preference(key="theme", value="dark"))
    assert seen.kinds == ["settings"]


def test_two_tables_in_one_transaction_publish_two_events(store: Store, seen: Recorder) -> None:
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
        s.add(Account(address=BOB, name="Watched", kind="watch"))
    assert sorted(seen.kinds) == ["accounts", "contacts"]


def test_each_commit_of_a_session_is_announced_on_its_own(store: Store, seen: Recorder) -> None:
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
        s.commit()
        assert seen.kinds == ["contacts"]
        s.add(Preference(key="theme", value="dark"))
    assert seen.kinds == ["contacts", "settings"]


def test_reads_and_writes_that_change_nothing_publish_nothing(store: Store, seen: Recorder) -> None:
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
    seen.events.clear()
    with store.session() as s:
        row = s.scalars(select(Contact)).one()
        row.name = "Alice"  # the same value: no change
        s.scalars(select(Account)).all()
    assert seen.events == []


def test_updates_and_deletes_are_announced(store: Store, seen: Recorder) -> None:
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice", note="met at the conference")  # an update
    with store.session() as s:
        contacts.remove_contact(s, ALICE)
    assert seen.kinds == ["contacts", "contacts", "contacts"]


def _transfer(chain_id: int, tx: str) -> Transfer:
    return Transfer(
        chain_id=chain_id, account=ALICE, tx_hash=tx, direction="in", sender=BOB, amount="5"
    )


def test_the_chain_is_named_when_every_changed_row_shares_it(store: Store, seen: Recorder) -> None:
    with store.session() as s:
        s.add_all([_transfer(8453, "0x01"), _transfer(8453, "0x02")])
    with store.session() as s:
        s.add_all([_transfer(1, "0x03"), _transfer(8453, "0x04")])
    assert seen.events == [
        ev.transfers_did_change(chain_id=8453),
        ev.transfers_did_change(chain_id=None),  # two chains: any chain
    ]


def test_bulk_statements_are_announced_without_a_chain(store: Store, seen: Recorder) -> None:
    """The incoming-transfer delegate hides a poisoning transfer with an ORM ``update``."""
    with store.session() as s:
        s.add(_transfer(1, "0x01"))
    seen.events.clear()
    with store.session() as s:
        s.execute(update(Transfer).where(Transfer.tx_hash == "0x01").values(hidden=True))
    assert seen.events == [ev.transfers_did_change(chain_id=None)]


def test_events_come_after_the_commit_from_the_committing_thread(
    store: Store, seen: Recorder
) -> None:
    """A subscriber that reads the store when told finds the committed row."""
    (bus,) = changes.buses_of(store)
    found: list[list[str]] = []

    def read(_e: ev.contacts_did_change) -> None:
        with store.session() as s:
            found.append([c.name for c in s.scalars(select(Contact))])

    bus.subscribe(ev.contacts_did_change, read)

    def write() -> None:
        with store.session() as s:
            contacts.add_contact(s, ALICE, "Alice")

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    assert found == [["Alice"]]
    assert seen.threads == [worker.ident]


def test_each_attached_bus_hears_until_it_is_detached(store: Store, seen: Recorder) -> None:
    """Two backends over one store (a window and the delegates, two windows): each its bus."""
    (first,) = changes.buses_of(store)
    second = ev.EventBus()
    changes.attach(store, second)
    changes.attach(store, second)  # attaching twice is once
    other = Recorder(second)
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
    assert seen.kinds == other.kinds == ["contacts"]
    changes.detach(store, second)
    with store.session() as s:
        contacts.add_contact(s, BOB, "Bob")
    assert seen.kinds == ["contacts", "contacts"]
    assert other.kinds == ["contacts"]
    changes.detach(store, first)
    assert changes.buses_of(store) == ()
    with store.session() as s:
        contacts.remove_contact(s, BOB)
    assert seen.kinds == ["contacts", "contacts"]


def test_the_bus_stays_attached_across_lock_and_unlock(store: Store, seen: Recorder) -> None:
    store.lock()
    store.unlock("a password")
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
    assert seen.kinds == ["contacts"]


def test_a_failing_subscriber_does_not_undo_or_fail_the_commit(
    store: Store, seen: Recorder
) -> None:
    (bus,) = changes.buses_of(store)

    def broken(_e: object) -> None:
        raise ValueError("a subscriber's bug")

    bus.subscribe(ev.contacts_did_change, broken)
    with store.session() as s:
        contacts.add_contact(s, ALICE, "Alice")
    with store.session() as s:
        assert [c.name for c in s.scalars(select(Contact))] == ["Alice"]
    assert seen.kinds == ["contacts"]


def test_change_events_carry_no_personal_data() -> None:
    for event_type in ev.CHANGE_EVENTS:
        assert [f.name for f in dataclasses.fields(event_type)] == ["chain_id"], event_type
        assert event_type.kind, event_type


def test_every_table_is_either_announced_or_deliberately_silent() -> None:
    """A new table must be given an event or listed as silent, or this fails."""
    tables = set(Base.metadata.tables)
    announced = set(changes.TABLE_EVENTS)
    assert not announced & changes.SILENT_TABLES
    assert tables - announced - changes.SILENT_TABLES == set()
    assert announced - tables == set()
    assert set(changes.TABLE_EVENTS.values()) == set(ev.CHANGE_EVENTS)
