from __future__ import annotations

import os

import keyring
import pytest
from sqlalchemy import select

from app.config import Paths
from app.errors import StoreLocked
from app.store import Store, keys
from app.store.schema import Contact
from warden.context import open_store

REAL_KEYRING = os.environ.get("WARDEN_TEST_KEYRING") == "1"


def test_without_a_keyring_the_password_alone_works_and_says_so(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    # The autouse fixture has installed keyring's fail backend (no keyring at all).
    with caplog.at_level("WARNING"):
        store = Store.create(paths, "pw-for-tests")
    assert not store.keyring_used
    assert "No secure keyring" in caplog.text and "password alone" in caplog.text
    with store.session() as s:
        s.add(Contact(address="0x" + "12" * 20, name="kept"))
    store.close()
    with pytest.raises(StoreLocked):
        Store.open(paths)
    again = Store.open(paths, "pw-for-tests")
    with again.session() as s:
        assert s.scalars(select(Contact.name)).one() == "kept"
    again.close()


@pytest.mark.keyring
@pytest.mark.skipif(
    not REAL_KEYRING,
    reason="needs a real Secret Service: run under `dbus-run-session -- bash "
    "packaging/with-keyring.sh` (it sets WARDEN_TEST_KEYRING=1)",
)
def test_real_secret_service_opens_the_store_without_a_password(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails (never skips) when WARDEN_TEST_KEYRING=1 but the keyring does not work."""
    backend = keys.secure_backend()
    assert backend is not None, f"no secure keyring backend: {keyring.get_keyring()!r}"
    assert "SecretService" in type(backend).__module__ or "libsecret" in type(backend).__module__
    try:
        store = Store.create(paths, "pw-for-tests")
        assert store.keyring_used, "the Secret Service did not keep the key"
        with store.session() as s:
            s.add(Contact(address="0x" + "34" * 20, name="from keyring"))
        store.close()

        # The keyring alone opens it: no password argument, no terminal, no environment.
        monkeypatch.delenv("WARDEN_PASSWORD", raising=False)
        monkeypatch.setattr("sys.stdin", None)
        reopened = open_store(paths)
        assert reopened.keyring_used
        with reopened.session() as s:
            assert s.scalars(select(Contact.name)).one() == "from keyring"
        reopened.close()

        # A keyring entry for another key (an older store at this path) is not used.
        backend.set_password(keys.KEYRING_SERVICE, keys.keyring_user(paths.store_file), "00" * 32)
        with pytest.raises(StoreLocked):
            Store.open(paths)
    finally:
        keys.keyring_delete(paths.store_file)
    assert keys.keyring_load(paths.store_file) is None
