from __future__ import annotations

import json
import time
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail, null

from app.errors import StoreCorrupted, WrongPassword
from app.store import keys


def test_wrap_then_unwrap_gives_the_key_back() -> None:
    key = keys.new_key()
    data = keys.wrap_key(key, "correct horse")
    assert keys.unwrap_key(data, "correct horse") == key
    assert key.hex() not in data.decode() and b"correct horse" not in data


def test_wrong_password_is_refused() -> None:
    data = keys.wrap_key(keys.new_key(), "right one")
    with pytest.raises(WrongPassword):
        keys.unwrap_key(data, "wrong one")


def test_an_edited_header_fails_authentication() -> None:
    """The KDF parameters are associated data: lowering them in the file breaks the tag."""
    key = keys.new_key()
    doc = json.loads(keys.wrap_key(key, "pw-12345"))
    doc["kdf"]["memory_cost"] = 1024
    with pytest.raises(WrongPassword):
        keys.unwrap_key(json.dumps(doc).encode(), "pw-12345")


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b'{"format": "other"}', b'{"format": "warden-key", "version": 99}'],
)
def test_a_damaged_key_file_says_so(data: bytes) -> None:
    with pytest.raises(StoreCorrupted, match="damaged or not Warden"):
        keys.unwrap_key(data, "pw")


def test_default_kdf_is_memory_hard() -> None:
    params = keys.KdfParams()  # the real default, not the cheap one the fixture installs
    assert params.memory_cost >= 64 * 1024
    data = keys.wrap_key(keys.new_key(), "pw-12345", kdf=params)
    assert json.loads(data)["kdf"]["memory_cost"] == params.memory_cost
    started = time.perf_counter()
    keys.unwrap_key(data, "pw-12345")
    print(f"unlock with the default KDF: {time.perf_counter() - started:.3f} s")


class _PlaintextLike(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's PlaintextKeyring (not installed here): same module name."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a plaintext keyring must never be written to")

    def delete_password(self, service: str, username: str) -> None:
        return None


_PlaintextLike.__module__ = "keyrings.alt.file"


@pytest.mark.parametrize(
    "backend", [fail.Keyring(), null.Keyring(), _PlaintextLike()], ids=["fail", "null", "alt"]
)
def test_unsafe_backends_are_refused(backend, caplog: pytest.LogCaptureFixture) -> None:
    keyring.set_keyring(backend)
    assert keys.secure_backend() is None
    with caplog.at_level("WARNING"):
        assert keys.keyring_store(Path("/tmp/x.db"), keys.new_key()) is False
    assert "password alone" in caplog.text


def test_a_chainer_with_nothing_safe_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [_PlaintextLike()])
    keyring.set_keyring(chainer.ChainerBackend())
    assert keys.secure_backend() is None


def test_keyring_user_is_stable_per_path(tmp_path: Path) -> None:
    a = keys.keyring_user(tmp_path / "warden.db")
    assert a == keys.keyring_user(tmp_path / "." / "warden.db")
    assert a != keys.keyring_user(tmp_path / "other.db")
