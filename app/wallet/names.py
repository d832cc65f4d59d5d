"""Names people give addresses: a contact may not be named like one of the accounts.

A contact called "Account 1" would make a send to a stranger read like a transfer to
oneself, so contact names and account names are kept apart, compared the way a person reads
them: case, width and spacing ignored, look-alike letters of other scripts folded to Latin.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.lookalike import skeleton
from app.store.schema import Account, Contact


def name_key(name: str) -> str:
    """How a name reads: 'ACCOUNT  1', 'Account 1' and 'Аccount 1' (Cyrillic А) are one."""
    text = " ".join(unicodedata.normalize("NFKC", name or "").split()).casefold()
    # skeleton maps a confusable letter to ASCII; a letter it cannot map (CJK, …) is kept
    return "".join(skeleton(ch) or ch for ch in text)


def check_contact_name(session: Session, name: str) -> None:
    """Raise InvalidInput when ``name`` reads like the name of one of the wallet's accounts."""
    key = name_key(name)
    for account_name in session.scalars(select(Account.name)):
        if name_key(account_name) == key:
            raise InvalidInput(
                f"{name!r} is the name of one of your accounts; a contact cannot have it.",
                hint="Pick another name for the contact, so a send to it never looks like a "
                "transfer to yourself.",
            )


def check_account_name(session: Session, name: str) -> None:
    """Raise InvalidInput when ``name`` reads like the name of a contact."""
    key = name_key(name)
    for contact_name in session.scalars(select(Contact.name)):
        if name_key(contact_name) == key:
            raise InvalidInput(
                f"{name!r} is the name of a contact in your address book; an account cannot "
                "have it.",
                hint="Pick another name for the account, or rename the contact first.",
            )


def name_is_free(session: Session, name: str) -> bool:
    """No account and no contact reads like ``name``."""
    key = name_key(name)
    names = [*session.scalars(select(Account.name)), *session.scalars(select(Contact.name))]
    return all(name_key(n) != key for n in names)
