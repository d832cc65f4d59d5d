"""Contact names and account names stay apart, in a real encrypted store: a contact named
like one of your accounts would make a send to a stranger read like a transfer to yourself."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import InvalidInput
from app.store import Store
from app.store.schema import Account, Contact
from app.wallet import accounts, contacts
from app.wallet.names import name_key
from tests.app.wallet.conftest import ADDR1, PHRASE

STRANGER = "0x52908400098527886E0F7030069857D2E4169EE7"
OTHER = "0x1111111111111111111111111111111111111111"
KEY = "0x" + "42" * 32


@pytest.fixture
def main(store: Store) -> str:
    with store.session() as s:
        _, info = accounts.create_hd_wallet(s, PHRASE, name="Main Savings")
    return info.address


@pytest.mark.parametrize(
    "name",
    [
        "Main Savings",
        "main savings",
        "  MAIN   SAVINGS ",
        "Mаin Sаvings",  # Cyrillic а twice
        "Ｍａｉｎ Savings",  # full-width letters
    ],
)
def test_contact_may_not_take_an_accounts_name(store: Store, main: str, name: str) -> None:
    with store.session() as s, pytest.raises(InvalidInput) as err:
        contacts.add_contact(s, STRANGER, name)
    assert "one of your accounts" in str(err.value)
    assert "Pick another name" in err.value.hint
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0


def test_renaming_a_contact_to_an_accounts_name_is_refused(store: Store, main: str) -> None:
    with store.session() as s:
        contacts.add_contact(s, STRANGER, "Bob")
    with store.session() as s, pytest.raises(InvalidInput):
        contacts.add_contact(s, STRANGER, "MAIN SAVINGS")
    with store.session() as s:
        assert [c.name for c in contacts.list_contacts(s)] == ["Bob"]


def test_accounts_may_not_take_a_contacts_name(store: Store, main: str) -> None:
    with store.session() as s:
        contacts.add_contact(s, STRANGER, "Alice")
    attempts = [
        lambda s: accounts.derive_next(s, name="ALICE"),
        lambda s: accounts.import_private_key(s, KEY, name=" alice "),
        lambda s: accounts.add_watch(s, OTHER, name="Аlice"),  # Cyrillic А
        lambda s: accounts.rename_account(s, main, "alice"),
    ]
    for attempt in attempts:
        with store.session() as s, pytest.raises(InvalidInput) as err:
            attempt(s)
        assert "contact in your address book" in str(err.value)
    with store.session() as s:
        assert [(a.name, a.address) for a in accounts.list_accounts(s)] == [("Main Savings", main)]
        assert s.scalar(select(func.count()).select_from(Account)) == 1


def test_distinct_names_are_accepted(store: Store, main: str) -> None:
    with store.session() as s:
        contacts.add_contact(s, STRANGER, "Main Savings 2")  # a different name
        contacts.add_contact(s, OTHER, "李四")
        info = accounts.derive_next(s, name="张三")  # CJK names are not folded together
        accounts.rename_account(s, main, "Everyday")
        assert info.address == ADDR1
        assert sorted(a.name for a in accounts.list_accounts(s)) == ["Everyday", "张三"]
    with store.session() as s, pytest.raises(InvalidInput):
        contacts.add_contact(s, OTHER, "张三")


def test_default_account_name_skips_a_contacts_name(store: Store) -> None:
    with store.session() as s:
        _, first = accounts.create_hd_wallet(s, PHRASE)
        contacts.add_contact(s, STRANGER, "account 2")
        second = accounts.derive_next(s)
    assert first.name == "Account 1"
    assert second.name == "Account 3"


def test_rename_needs_a_name_and_an_account(store: Store, main: str) -> None:
    with store.session() as s:
        with pytest.raises(InvalidInput, match="needs a name"):
            accounts.rename_account(s, main, "   ")
        with pytest.raises(InvalidInput, match="No account"):
            accounts.rename_account(s, OTHER, "Spare")


def test_name_key_reads_names_as_people_do() -> None:
    assert name_key("Account 1") == name_key(" ACCOUNT\t1 ") == name_key("Аccount 1")
    assert name_key("Account 1") != name_key("Account 7")
    assert name_key("张三") != name_key("李四")
