"""The federation opt-in kept in the encrypted store, and ``warden federate join`` taking part
from it without the window (a real store under a temporary WARDEN_HOME, unlocked by
``WARDEN_PASSWORD``; certificates made with ``cryptography``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.errors import InvalidInput
from models.federated import optin
from models.federated.certs import make_server_certs


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WARDEN_PASSWORD", "a long test password 42")
    return tmp_path


@pytest.mark.parametrize("text", ["", "host", "host:0", "host:70000", "a b:1", ":9092", "h:p"])
def test_an_address_that_is_not_host_port_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="HOST:PORT"):
        optin.check_address(text)


def test_a_stored_choice_that_no_longer_checks_reads_as_not_taking_part(home: Path) -> None:
    from app.store import open_throwaway
    from app.store.schema import Preference

    store = open_throwaway(home / "s")
    try:
        with store.session() as s:
            s.merge(Preference(key=optin.PREF_KEY, value={"address": "x:1", "ca_pem": "junk"}))
        assert optin.load(store) is None  # fails closed
    finally:
        store.close()


def test_join_without_an_address_takes_part_from_the_stored_choice(home: Path) -> None:
    from app.config import default_paths
    from app.store.store import Store
    from warden.commands.federate import _from_settings

    ca = make_server_certs(home / "certs", ["127.0.0.1"]).ca
    paths = default_paths()
    store = Store.create(paths, "a long test password 42", use_keyring=False)
    try:
        optin.save(store, "127.0.0.1:9092", ca, 3.5)
    finally:
        store.close()
    args = argparse.Namespace(address=None, ca=None, epsilon_ceiling=8.0)
    node = home / "node"
    _from_settings(args, node)
    assert args.address == "127.0.0.1:9092" and args.epsilon_ceiling == 3.5
    assert Path(args.ca).read_text() == ca.read_text()
    assert Path(args.ca).stat().st_mode & 0o077 == 0  # owner-only
