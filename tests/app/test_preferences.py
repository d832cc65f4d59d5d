"""Preferences declared once (app/preferences.py), read and written through a real encrypted
store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app import preferences
from app.config import Paths
from app.errors import InvalidInput
from app.preferences import PREFERENCES, PreferenceSpec
from app.store import Store, keys
from app.store.schema import Preference

PASSWORD = "pw-for-preference-tests"


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Paths]:
    """A real store's place; argon2id kept cheap (the parameters are read back from the key
    file, so this changes cost only) and the OS keyring out of the way."""
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(1, 8 * 1024, 1))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    root = tmp_path / "home"
    try:
        yield Paths(root / "data", root / "config", root / "cache", root / "logs")
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def store(paths: Paths) -> Iterator[Store]:
    s = Store.create(paths, PASSWORD, use_keyring=False)
    yield s
    s.close()


def test_an_unset_preference_reads_as_its_declared_default_and_type(store: Store) -> None:
    values = preferences.get_all(store)
    assert values == {p.name: p.default for p in PREFERENCES}
    for p in PREFERENCES:
        assert type(values[p.name]) is p.type
        assert preferences.get(store, p.name) == p.default
    assert preferences.get(store, "idle_lock_minutes") == 10
    assert preferences.get(store, "notifications") is True
    assert preferences.get(store, "network.current") == "Ethereum"


def test_values_round_trip_through_the_encrypted_store(store: Store, paths: Paths) -> None:
    assert preferences.set(store, "idle_lock_minutes", 45) == 45
    preferences.set(store, "notifications", False)
    preferences.set(store, "network.current", "Base")
    preferences.set(store, "dapp.port", 1300)
    store.close()
    again = Store.open(paths, PASSWORD)
    try:
        assert preferences.get_all(again) == {
            "notifications": False,
            "idle_lock_minutes": 45,
            "network.current": "Base",
            "dapp.port": 1300,
        }
        with again.session() as s:  # stored as the typed value, under the declared name
            assert s.get(Preference, "idle_lock_minutes").value == 45
    finally:
        again.close()


def test_a_whole_float_is_stored_as_the_declared_int(store: Store) -> None:
    assert preferences.set(store, "idle_lock_minutes", 30.0) == 30
    value = preferences.get(store, "idle_lock_minutes")
    assert value == 30 and type(value) is int


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("idle_lock_minutes", 241, "from 0 to 240 min"),
        ("idle_lock_minutes", -1, "from 0 to 240 min"),
        ("idle_lock_minutes", 2.5, "whole number"),
        ("idle_lock_minutes", "10", "must be a number"),
        ("idle_lock_minutes", True, "must be a number"),
        ("idle_lock_minutes", float("nan"), "whole number"),
        ("idle_lock_minutes", None, "must be a number"),
        ("notifications", "yes", "on or off"),
        ("notifications", 1, "on or off"),
        ("network.current", 7, "must be text"),
        ("network.current", "x" * 65, "at most 64 characters"),
    ],
)
def test_a_value_outside_its_declaration_is_refused_with_what_is_allowed(
    store: Store, name: str, value: object, says: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        preferences.set(store, name, value)
    message = err.value.user_message()
    assert says in message
    assert preferences.spec(name).label in message
    assert "save again" in message  # says what to do next
    assert preferences.get(store, name) == preferences.default(name)  # nothing was stored


def test_an_undeclared_name_is_refused_for_reading_and_writing(store: Store) -> None:
    for call in (
        lambda: preferences.get(store, "idle_lock"),
        lambda: preferences.set(store, "idle_lock", 5),
    ):
        with pytest.raises(InvalidInput) as err:
            call()
        assert "no preference named 'idle_lock'" in str(err.value)
        assert "idle_lock_minutes" in err.value.user_message()  # the names that exist
    with store.session() as s:
        assert s.get(Preference, "idle_lock") is None


def test_set_many_checks_every_value_before_storing_any(store: Store) -> None:
    with pytest.raises(InvalidInput, match="Lock after idle"):
        preferences.set_many(store, {"notifications": False, "idle_lock_minutes": 999})
    assert preferences.get(store, "notifications") is True
    saved = preferences.set_many(store, {"notifications": False, "idle_lock_minutes": 0})
    assert saved == {"notifications": False, "idle_lock_minutes": 0}
    assert preferences.get(store, "idle_lock_minutes") == 0


def test_a_session_given_by_the_caller_is_used_and_committed_by_the_caller(store: Store) -> None:
    with store.session() as s:
        preferences.set(s, "network.current", "Optimism")
        assert preferences.get(s, "network.current") == "Optimism"
    assert preferences.get(store, "network.current") == "Optimism"


def test_a_stored_value_that_is_not_allowed_reads_as_the_default_and_is_not_logged(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with store.session() as s:
        s.merge(Preference(key="idle_lock_minutes", value="0x5aAeb6053F3E94C9b9A09f33669435E7"))
        s.merge(Preference(key="notifications", value={"nested": [1, 2]}))
    with caplog.at_level(logging.WARNING, logger="app.preferences"):
        assert preferences.get(store, "idle_lock_minutes") == 10
        assert preferences.get_all(store)["notifications"] is True
    assert "idle_lock_minutes" in caplog.text
    assert "0x5aAeb" not in caplog.text and "nested" not in caplog.text


def test_a_declaration_that_contradicts_itself_is_refused_when_declared() -> None:
    good = {"label": "Thing", "help": "What it does."}
    with pytest.raises(ValueError, match="default is not allowed"):
        PreferenceSpec("lock", int, 500, minimum=0, maximum=240, **good)
    with pytest.raises(ValueError, match="only a number can have a range"):
        PreferenceSpec("theme", str, "dark", minimum=0, **good)
    with pytest.raises(ValueError, match="only text can have choices"):
        PreferenceSpec("level", int, 1, choices=("1", "2"), **good)
    with pytest.raises(ValueError, match="type must be one of"):
        PreferenceSpec("tags", list, "x", **good)
    with pytest.raises(ValueError, match="lower-case words"):
        PreferenceSpec("Idle Lock", int, 1, **good)
    with pytest.raises(ValueError, match="label and a help"):
        PreferenceSpec("lock", int, 1, label="Lock", help="")
    with pytest.raises(ValueError, match="declared twice"):
        preferences._index((PREFERENCES[0], PREFERENCES[0]))


def test_choices_and_float_ranges_are_checked() -> None:
    theme = PreferenceSpec(
        "theme", str, "dark", label="Theme", help="Colours.", choices=("dark", "light")
    )
    assert theme.check("light") == "light"
    with pytest.raises(InvalidInput, match="one of dark, light"):
        theme.check("neon")
    ratio = PreferenceSpec("ratio", float, 0.5, label="Ratio", help="A share.", maximum=1)
    assert ratio.check(1) == 1.0 and type(ratio.check(1)) is float
    with pytest.raises(InvalidInput, match="1 or less"):
        ratio.check(1.5)
    with pytest.raises(InvalidInput, match="finite"):
        ratio.check(float("-inf"))
