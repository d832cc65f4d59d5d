"""The CLI's and the daemon's delegate runner hears what is committed to the store: a delegate
there can follow a contact added by the CLI or another delegate."""

from __future__ import annotations

from pathlib import Path

from app import events as ev
from app.store import Store
from app.wallet import contacts
from warden.commands.delegates import _runner


def test_the_daemons_bus_hears_committed_changes(tmp_path: Path) -> None:
    store = Store.throwaway(tmp_path / "store")
    try:
        runner = _runner(store)
        heard: list[object] = []
        runner.bus.subscribe(ev.contacts_did_change, heard.append)
        with store.session() as s:
            contacts.add_contact(s, "0x" + "a1" * 20, "Alice")
        assert heard == [ev.contacts_did_change()]
    finally:
        store.close()
