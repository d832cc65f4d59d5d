"""Encrypted backup of the whole store in one file, and its careful restore.

Layout: ``MAGIC``, a 4-byte big-endian header length, the JSON header, then the body: a
consistent SQLCipher copy of the database (``sqlcipher_export``, same key, so it is encrypted
page by page like the store). The header holds a key file (the database key wrapped by the
backup password); the body's SHA-256 is part of that key file's authenticated header, so a
damaged or truncated body, or an edited header, is caught before anything is replaced.

The consistent copy and the staged restore are made in a work folder inside the data folder
(``app.store.scratch``), which an interrupted run leaves for the next start to remove, with
the half-written ``.NAME.wbak.XXXX`` beside the destination.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.config import Paths
from app.errors import InvalidInput, StoreCorrupted
from app.fileio import create_private_file, fsync_dir, private_dir, write_atomic
from app.store import keys, migrate
from app.store.aside import set_aside
from app.store.db import Database, raw_key_literal
from app.store.scratch import scratch

MAGIC = b"WARDEN-BACKUP\x00"
FORMAT = "warden-backup"
VERSION = 1
_MAX_HEADER = 64 * 1024


def _export(engine: Engine, key: bytes, target: Path) -> None:
    """Copy the live database into ``target`` through SQLCipher itself (a consistent read)."""
    create_private_file(target)
    with engine.connect() as conn:
        raw: Any = conn.connection.dbapi_connection
        cur = raw.cursor()
        cur.execute("ATTACH DATABASE ? AS backup KEY ?", (str(target), raw_key_literal(key)))
        try:
            cur.execute("SELECT sqlcipher_export('backup')")
        finally:
            cur.execute("DETACH DATABASE backup")
            cur.close()


def write_backup(engine: Engine, key: bytes, dest: Path, password: str, *, work_dir: Path) -> None:
    """Write the backup file ``dest``; ``work_dir`` is the data folder (for the work copy)."""
    if not dest.parent.exists():
        private_dir(dest.parent)
    with scratch(work_dir, "backup") as run:
        copy = run.path / "store.db"
        _export(engine, key, copy)
        body = copy.read_bytes()
        _write_file(dest, engine, key, password, body, on_temp=run.note_outside)


def _write_file(
    dest: Path, engine: Engine, key: bytes, password: str, body: bytes, *, on_temp: Any
) -> None:
    revision = migrate.current_revision(engine)
    digest = hashlib.sha256(body).hexdigest()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_revision": revision,
        "body_size": len(body),
        "key": json.loads(keys.wrap_key(key, password, bound={"body_sha256": digest})),
    }
    head = json.dumps(header, sort_keys=True).encode("utf-8")
    write_atomic(dest, MAGIC + len(head).to_bytes(4, "big") + head + body, on_temp=on_temp)


def read_backup(path: Path, password: str) -> tuple[bytes, bytes]:
    """(key, body) of a backup file, fully checked: format, password, body hash."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"No backup file at {path}.", hint="Check the file name.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a backup file.") from None
    if not data.startswith(MAGIC):
        raise InvalidInput(
            f"{path} is not a Warden backup.", hint="Choose a file made by 'warden backup create'."
        )
    damaged = StoreCorrupted(
        f"The backup {path} is damaged or truncated.", hint="Try another backup file."
    )
    start = len(MAGIC) + 4
    size = int.from_bytes(data[len(MAGIC) : start], "big")
    if size > _MAX_HEADER or len(data) < start + size:
        raise damaged
    try:
        header = json.loads(data[start : start + size])
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            raise ValueError("unknown backup format")
        key_doc = json.dumps(header["key"]).encode("utf-8")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise damaged from None
    key = keys.unwrap_key(key_doc, password, what="backup's key")
    bound = keys.parse_key_file(key_doc).header.get("bound") or {}
    body = data[start + size :]
    if hashlib.sha256(body).hexdigest() != bound.get("body_sha256"):
        raise damaged
    return key, body


def restore_backup(paths: Paths, backup_file: Path, password: str) -> bytes:
    """Check the backup, then swap it in atomically; the old store and key file are kept
    aside with a timestamp. Returns the restored database key. The caller holds the data
    folder's writer lock."""
    key, body = read_backup(backup_file, password)
    paths.ensure()
    private_dir(paths.data_dir)
    with scratch(paths.data_dir, "restore") as run:
        staged = run.path / "store.db"
        with staged.open("xb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        check = Database(staged, key, verify=True)  # every page decrypts, the b-trees hold
        try:
            if migrate.current_revision(check.engine) is None:
                raise StoreCorrupted(f"The backup {backup_file} holds no Warden store.")
        finally:
            check.close()
        set_aside(paths.store_file, "replaced")
        set_aside(paths.key_file, "replaced")
        keys.write_key_file(paths.key_file, key, password)
        os.replace(staged, paths.store_file)
        fsync_dir(paths.data_dir)
    return key
