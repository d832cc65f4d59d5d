"""The database key: 32 random bytes, kept in the OS keyring and wrapped by the user's password.

The key file is small JSON with a format marker and a version. The key is wrapped with
AES-256-GCM under a key derived by argon2id (random salt); the header (format, version, KDF
parameters, salt, key id) is the associated data, so any change to it fails authentication.
``key_id`` is a one-way tag of the key: it lets a keyring entry be matched to the key file
without the password, and says nothing about the key itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import KeyringUnavailable, StoreCorrupted, WrongPassword
from app.fileio import write_atomic

log = logging.getLogger(__name__)

KEY_BYTES = 32
KEY_FILE_FORMAT = "warden-key"
KEY_FILE_VERSION = 1
KEYRING_SERVICE = "Warden"


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost. 64 MiB and two passes keep an unlock near a quarter of a second."""

    time_cost: int = 2
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 2

    def derive(self, password: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            password.encode("utf-8"),
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_cost,
            parallelism=self.parallelism,
            hash_len=32,
            type=Type.ID,
        )


# Tests may swap this for cheaper parameters; everything that wraps a key reads it here.
DEFAULT_KDF = KdfParams()


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"warden key id\x00" + key).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text, validate=True)


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def wrap_key(
    key: bytes,
    password: str,
    *,
    kdf: KdfParams | None = None,
    bound: dict[str, str] | None = None,
) -> bytes:
    """The key file's bytes: ``key`` encrypted under ``password``. ``bound`` facts (a backup's
    body hash) travel in the authenticated header."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"the database key must be {KEY_BYTES} bytes")
    if not password:
        raise ValueError("the password must not be empty")
    kdf = kdf or DEFAULT_KDF
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {
        "format": KEY_FILE_FORMAT,
        "version": KEY_FILE_VERSION,
        "kdf": {"name": "argon2id", "salt": _b64(salt), **asdict(kdf)},
        "cipher": {"name": "aes-256-gcm", "nonce": _b64(nonce)},
        "key_id": key_id(key),
    }
    if bound:
        header["bound"] = dict(bound)
    wrapped = AESGCM(kdf.derive(password, salt)).encrypt(nonce, key, _aad(header))
    return json.dumps({**header, "wrapped_key": _b64(wrapped)}, indent=1).encode("utf-8") + b"\n"


@dataclass(frozen=True)
class KeyFile:
    header: dict[str, Any]
    salt: bytes
    nonce: bytes
    kdf: KdfParams
    wrapped: bytes

    @property
    def key_id(self) -> str:
        return str(self.header["key_id"])


def parse_key_file(data: bytes, *, what: str = "key file") -> KeyFile:
    """Check the format marker and the fields; a damaged file raises ``StoreCorrupted``."""
    try:
        doc = json.loads(data.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != KEY_FILE_FORMAT:
            raise ValueError("not a Warden key file")
        if doc.get("version") != KEY_FILE_VERSION:
            raise ValueError(f"unsupported version {doc.get('version')!r}")
        wrapped = _unb64(doc.pop("wrapped_key"))
        kdf_doc, cipher = doc["kdf"], doc["cipher"]
        if kdf_doc.get("name") != "argon2id" or cipher.get("name") != "aes-256-gcm":
            raise ValueError("unknown KDF or cipher")
        kdf = KdfParams(
            time_cost=int(kdf_doc["time_cost"]),
            memory_cost=int(kdf_doc["memory_cost"]),
            parallelism=int(kdf_doc["parallelism"]),
        )
        if not (1 <= kdf.time_cost <= 64 and 8 <= kdf.memory_cost <= 4 * 1024 * 1024):
            raise ValueError("KDF parameters out of range")
        return KeyFile(doc, _unb64(kdf_doc["salt"]), _unb64(cipher["nonce"]), kdf, wrapped)
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise StoreCorrupted(f"The {what} is damaged or not Warden's: {exc}") from None


def unwrap_key(data: bytes, password: str, *, what: str = "key file") -> bytes:
    """The key inside a key file; ``WrongPassword`` if the password does not open it."""
    kf = parse_key_file(data, what=what)
    try:
        key = AESGCM(kf.kdf.derive(password, kf.salt)).decrypt(
            kf.nonce, kf.wrapped, _aad(kf.header)
        )
    except InvalidTag:
        raise WrongPassword("Wrong password: the store could not be unlocked.") from None
    if len(key) != KEY_BYTES or key_id(key) != kf.key_id:
        raise StoreCorrupted(f"The {what} holds a key of the wrong shape.")
    return key


def read_key_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise StoreCorrupted(f"The key file {path} is missing.") from None


def write_key_file(path: Path, key: bytes, password: str) -> None:
    write_atomic(path, wrap_key(key, password))


# ---- OS keyring -------------------------------------------------------------------------


def keyring_user(store_file: Path) -> str:
    """A stable name for a store's keyring entry (one entry per store path)."""
    resolved = str(Path(store_file).expanduser().resolve())
    return "store-" + hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:24]


def _refused(backend: Any) -> bool:
    """Backends that do not keep a secret safe: fail, null, and everything in keyrings.alt
    (plaintext and home-made encrypted files)."""
    from keyring.backends import fail, null

    module = type(backend).__module__
    return (
        isinstance(backend, fail.Keyring | null.Keyring)
        or module.startswith("keyrings.alt")
        or getattr(backend, "priority", 0) <= 0
    )


def secure_backend() -> Any | None:
    """The keyring backend Warden may use, or None. A chainer is looked through, so a
    plaintext backend behind it is never written to."""
    import keyring
    from keyring.backends import chainer

    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        usable = [b for b in backend.backends if not _refused(b)]
        return usable[0] if usable else None
    return None if _refused(backend) else backend


def _warn_unavailable(reason: str) -> None:
    exc = KeyringUnavailable(f"No secure keyring is available ({reason}).")
    log.warning("%s", exc.user_message())


def keyring_store(store_file: Path, key: bytes) -> bool:
    """Put the key in the OS keyring; False (with a warning) if no secure keyring works."""
    backend = secure_backend()
    if backend is None:
        _warn_unavailable("no Secret Service or other secure backend")
        return False
    user = keyring_user(store_file)
    try:
        backend.set_password(KEYRING_SERVICE, user, key.hex())
        if backend.get_password(KEYRING_SERVICE, user) != key.hex():
            raise RuntimeError("the keyring did not keep the key")
    except Exception as exc:  # D-Bus errors, a locked collection, a refused prompt, …
        _warn_unavailable(f"{type(exc).__name__}: {exc}")
        return False
    return True


def keyring_load(store_file: Path) -> bytes | None:
    backend = secure_backend()
    if backend is None:
        return None
    try:
        value = backend.get_password(KEYRING_SERVICE, keyring_user(store_file))
    except Exception as exc:
        log.info("keyring read failed: %s", type(exc).__name__)
        return None
    if not value:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def keyring_delete(store_file: Path) -> None:
    backend = secure_backend()
    if backend is None:
        return
    try:
        backend.delete_password(KEYRING_SERVICE, keyring_user(store_file))
    except Exception as exc:  # not there, or the keyring is gone: nothing to undo
        log.debug("keyring delete: %s", type(exc).__name__)
