"""The address book: names and notes for addresses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.lookalike import is_lookalike_address
from app.store.schema import Contact
from app.wallet.addresses import validate_address
from app.wallet.names import check_contact_name


@dataclass(frozen=True)
class ContactInfo:
    address: str
    name: str
    note: str = ""


def add_contact(session: Session, address: str, name: str, note: str = "") -> ContactInfo:
    """Add a contact, or rename / re-note the one with that address."""
    checked = validate_address(address)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A contact needs a name.")
    check_contact_name(session, name)
    clash = session.scalars(select(Contact).where(Contact.name == name)).first()
    if clash is not None and clash.address != checked:
        raise InvalidInput(
            f"The name {name!r} is already used for {clash.address}.",
            hint="Pick another name, or remove the other contact first.",
        )
    row = session.scalars(select(Contact).where(Contact.address == checked)).first()
    if row is None:
        row = Contact(address=checked, name=name, note=note)
        session.add(row)
    else:
        row.name, row.note = name, note
    session.flush()
    return ContactInfo(row.address, row.name, row.note)


def list_contacts(session: Session) -> list[ContactInfo]:
    return [
        ContactInfo(r.address, r.name, r.note)
        for r in session.scalars(select(Contact).order_by(Contact.name))
    ]


def update_contact(
    session: Session, current: str, address: str, name: str, note: str = ""
) -> ContactInfo:
    """Change the contact whose address is ``current``: its address, name and note. The
    name rules are those of ``add_contact``; the new address may not be another contact's."""
    row = _find(session, current)
    if row is None:
        raise InvalidInput(
            f"No contact {current!r}.", hint="It may have been removed; reload the address book."
        )
    checked = validate_address(address)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A contact needs a name.")
    check_contact_name(session, name)
    for other in session.scalars(select(Contact).where(Contact.id != row.id)):
        if other.name == name:
            raise InvalidInput(
                f"The name {name!r} is already used for {other.address}.",
                hint="Pick another name, or remove the other contact first.",
            )
        if other.address == checked:
            raise InvalidInput(
                f"{checked} is already in the address book as {other.name!r}.",
                hint="Edit that contact instead, or remove it first.",
            )
    row.address, row.name, row.note = checked, name, note
    session.flush()
    return ContactInfo(row.address, row.name, row.note)


def lookalike_contact(session: Session, address: str, ignore: str = "") -> ContactInfo | None:
    """The contact whose address ``address`` looks like (same first and last characters,
    ``app.lookalike``) without being it; ``ignore`` is the contact being edited."""
    for c in list_contacts(session):
        if ignore and c.address.lower() == ignore.strip().lower():
            continue
        if is_lookalike_address(address, c.address):
            return c
    return None


def remove_contact(session: Session, key: str) -> None:
    row = _find(session, key)
    if row is None:
        raise InvalidInput(f"No contact {key!r}.")
    session.delete(row)


def _find(session: Session, key: str) -> Contact | None:
    text = key.strip()
    if text.lower().startswith("0x"):
        return session.scalars(
            select(Contact).where(Contact.address == validate_address(text))
        ).first()
    return session.scalars(select(Contact).where(Contact.name == text)).first()


def resolve_recipient(session: Session, key: str) -> str:
    """An address typed by the user, or a contact's name, as a checksummed address."""
    text = (key or "").strip()
    if not text.lower().startswith("0x"):
        row = _find(session, text)
        if row is not None:
            return row.address
    return validate_address(text, what="recipient address")
