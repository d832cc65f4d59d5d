"""The address book, on the store worker."""

from __future__ import annotations

from app.errors import InvalidInput
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


def update(
    sv: AppServices, current: str, name: str, address: str, note: str = ""
) -> Op[ContactRow]:
    """Edit the contact whose address is ``current`` (name, address, note)."""

    def work() -> ContactRow:
        with sv.store.session() as s:
            c = contacts.update_contact(s, current, address, name, note)
        return ContactRow(c.name, c.address, c.note)

    return Op(work, lane="store")


def remove(sv: AppServices, address: str) -> Op[None]:
    def work() -> None:
        with sv.store.session() as s:
            contacts.remove_contact(s, address)

    return Op(work, lane="store")


def lookalike(sv: AppServices, address: str, ignore: str = "") -> Op[ContactRow | None]:
    """The contact ``address`` only looks like, or None (an address that is not one: None,
    saving it will say why)."""

    def work() -> ContactRow | None:
        try:
            with sv.store.session() as s:
                c = contacts.lookalike_contact(s, address, ignore)
        except InvalidInput:
            return None
        return ContactRow(c.name, c.address, c.note) if c is not None else None

    return Op(work, lane="store")
