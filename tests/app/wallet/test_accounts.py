"""Accounts: HD wallet, derivation, imported keys, watch-only; secrets only in the store."""

from __future__ import annotations

import logging

import pytest

from app.errors import InvalidInput, WrongPassword
from app.logs import RedactingFilter
from app.store import Store
from app.wallet import accounts, signing
from tests.app.wallet.conftest import ADDR0, ADDR1, PASSWORD, PHRASE

KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"  # anvil #1's key


def test_imported_phrase_derives_bip44_accounts(store: Store) -> None:
    with store.session() as s:
        phrase, first = accounts.create_hd_wallet(s, "  " + PHRASE.upper() + " ")
        second = accounts.derive_next(s, name="Second")
    assert phrase == PHRASE
    assert (first.address, first.hd_index, first.kind) == (ADDR0, 0, "hd")
    assert (second.address, second.hd_index, second.name) == (ADDR1, 1, "Second")


def test_new_wallet_has_a_fresh_valid_phrase(store: Store) -> None:
    with store.session() as s:
        phrase, info = accounts.create_hd_wallet(s)
        with pytest.raises(InvalidInput, match="already has a recovery phrase"):
            accounts.create_hd_wallet(s)
    assert accounts.normalize_phrase(phrase) == phrase
    assert len(phrase.split()) == 12 and info.address != ADDR0


@pytest.mark.parametrize(
    ("phrase", "words"),
    [("test " * 11 + "test", "not valid"), ("abandon " * 5, "has 5")],
)
def test_bad_phrases_are_refused(store: Store, phrase: str, words: str) -> None:
    with store.session() as s, pytest.raises(InvalidInput, match=words):
        accounts.create_hd_wallet(s, phrase)


def test_import_key_and_watch_only(store: Store) -> None:
    with store.session() as s:
        imported = accounts.import_private_key(s, KEY[2:], name="Imported")
        watch = accounts.add_watch(s, ADDR0.lower(), name="Cold")
        with pytest.raises(InvalidInput, match="already in this wallet"):
            accounts.add_watch(s, ADDR1)
        with pytest.raises(InvalidInput, match="64 hex digits"):
            accounts.import_private_key(s, "0x1234")
        rows = accounts.list_accounts(s)
    assert imported.address == ADDR1 and imported.kind == "imported"
    assert watch.address == ADDR0 and not watch.can_sign
    assert [r.name for r in rows] == ["Imported", "Cold"]


def test_phrase_is_revealed_only_with_the_password(store: Store) -> None:
    with store.session() as s:
        accounts.create_hd_wallet(s, PHRASE)
    with pytest.raises(WrongPassword):
        signing.reveal_phrase(store, store, "not the password")
    assert signing.reveal_phrase(store, store, PASSWORD) == PHRASE


def test_loaded_secrets_are_redacted_from_logs(store: Store) -> None:
    with store.session() as s:
        accounts.import_private_key(s, KEY)
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "oops %s", (KEY[2:],), None)
    RedactingFilter().filter(record)
    assert KEY[2:] not in record.getMessage()


def test_secrets_are_not_in_the_file_on_disk(store: Store) -> None:
    with store.session() as s:
        accounts.create_hd_wallet(s, PHRASE)
        accounts.import_private_key(s, KEY)
    store.close()
    blob = b"".join(p.read_bytes() for p in store.db_file.parent.glob("warden.db*"))
    assert blob, "the store file exists"
    assert KEY[2:].encode() not in blob and b"junk" not in blob
