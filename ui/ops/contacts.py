"""The address book, on the store worker."""

from __future__ import annotations

from app.rows import ContactRow
from app.wallet import contacts
from ui.ops.core import Op
from ui.services import AppServices


def _rows(sv: AppServices) -> list[ContactRow]:
    with sv.store.session() as s:
        return [ContactRow(c.name, c.address, c.note) for c in contacts.list_contacts(s)]


def load(sv: AppServices) -> Op[list[ContactRow]]:
    return Op(lambda: _rows(sv), lane="store")


def add(sv: AppServices, name: str, address: str, note: str = "") -> Op[ContactRow]:
    """Add a contact (or rename the one with that address); the rules are the wallet's."""

    def work() -> ContactRow:
        with sv.store.session() as s:
            c = contacts.add_contact(s, address, name, note)
        return ContactRow(c.name, c.address, c.note)

    return Op(work, lane="store")
