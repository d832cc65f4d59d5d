"""The provider's loopback socket for the whole life of the app, locked or not.

A page must not learn whether Warden is locked before the user connects it, and a port that
answers only while unlocked would tell it. So the app opens the socket at start and closes
it at quit; unlocking attaches the unlocked provider, locking puts back the locked one
(``app/dapp/locked.py``), which answers as for a site that is not connected.

While locked the socket still has to tell a paired extension from a page that talks to the
port directly, listen on the user's port, and answer the user's chain id, and all three live
in the encrypted store. So each unlock writes a small record next to the configuration
(owner-only): the port, the chain id, and the SHA-256 of the pairing token, never the token.
Nothing in it is more than any page on this machine can already read from the socket (the
port answers, ``eth_chainId`` is public), and the digest of a random 256-bit token does not
let anyone pair. Before the first unlock that wrote a record, the socket listens on the
default port with the default network's chain id (1, Ethereum, the network Warden selects
by default) and no pairing: that is the one window where a paired page could tell.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.dapp.locked import UNLOCK_WAIT_S, LockedProvider
from app.dapp.provider import DappProvider
from app.dapp.server import DEFAULT_PORT, ProviderServer, ServerOptions, token_digest
from app.errors import NetworkError
from app.fileio import write_atomic

log = logging.getLogger(__name__)

RECORD_NAME = "dapp-provider.json"
DEFAULT_CHAIN_ID = 1  # the chain of the network Warden selects by default (Ethereum)
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
MAX_RECORD_BYTES = 4096


@dataclass(frozen=True)
class SocketRecord:
    """What the locked socket needs from the last unlock."""

    port: int = DEFAULT_PORT
    chain_id: int = DEFAULT_CHAIN_ID
    token_sha256: bytes | None = None


def read_record(path: Path | None) -> SocketRecord:
    """The record at ``path``; the defaults when there is none or it is unreadable."""
    if path is None:
        return SocketRecord()
    try:
        raw = path.read_bytes()[: MAX_RECORD_BYTES + 1]
        data = json.loads(raw) if len(raw) <= MAX_RECORD_BYTES else None
    except (OSError, ValueError):
        return SocketRecord()
    if not isinstance(data, dict):
        return SocketRecord()
    port, chain, digest = data.get("port"), data.get("chain_id"), data.get("token_sha256")
    ok_port = isinstance(port, int) and not isinstance(port, bool) and 1024 <= port <= 65535
    ok_chain = isinstance(chain, int) and not isinstance(chain, bool) and 0 < chain < 2**64
    try:
        token = bytes.fromhex(digest) if isinstance(digest, str) else None
    except ValueError:
        token = None
    return SocketRecord(
        int(port) if ok_port else DEFAULT_PORT,  # type: ignore[arg-type]
        int(chain) if ok_chain else DEFAULT_CHAIN_ID,  # type: ignore[arg-type]
        token if token is not None and len(token) == 32 else None,
    )


def write_record(path: Path, record: SocketRecord) -> None:
    data = {
        "port": record.port,
        "chain_id": record.chain_id,
        "token_sha256": record.token_sha256.hex() if record.token_sha256 else None,
    }
    write_atomic(path, json.dumps(data).encode())


def record_token(path: Path, token: str) -> None:
    """A renewed pairing token (``warden provider pair --renew``): the record, where there
    is one, pairs with the new token from the next start of the app."""
    if path.exists():
        old = read_record(path)
        write_record(path, SocketRecord(old.port, old.chain_id, token_digest(token)))


@dataclass
class _Running:
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    server: ProviderServer


class ProviderSocket:
    """``open()`` at app start, ``attach``/``detach`` at unlock/lock, ``close()`` at quit.

    ``on_locked_request`` (from a worker thread) asks the user to unlock: a site wants to
    connect while Warden is locked."""

    def __init__(
        self, record_path: Path | None = None, *, unlock_wait_s: float = UNLOCK_WAIT_S
    ) -> None:
        self.record_path = record_path
        self.unlock_wait_s = unlock_wait_s
        self.on_locked_request: Callable[[], None] | None = None
        record = read_record(record_path)
        self._wanted_port = record.port
        self._chain_id = record.chain_id
        self._digest = record.token_sha256
        self._cond = threading.Condition()
        self._running: _Running | None = None
        self._provider: DappProvider | None = None
        self._closed = False

    @property
    def port(self) -> int | None:
        """The bound port while listening, else None."""
        running = self._running
        return running.server.port if running is not None else None

    @property
    def provider(self) -> DappProvider | None:
        """The unlocked provider, while one is attached."""
        return self._provider

    # -- life ------------------------------------------------------------------------------------
    def open(self) -> int:
        """Listen (locked) on the recorded port; NetworkError when it is taken."""
        with self._cond:
            if self._running is None:
                self._closed = False
                self._running = self._start(self._locked(), self._wanted_port)
            return self._running.server.port

    def attach(self, provider: DappProvider, token: str, port: int) -> int:
        """Answer with the unlocked ``provider``, paired by ``token``, on ``port`` (a new port
        is bound before the old one is let go; if it is taken, the old one goes on)."""
        digest = token_digest(token)
        old: _Running | None = None
        with self._cond:
            self._closed = False
            self._chain_id, self._digest = provider.default_chain_id, digest
            running = self._running
            if running is None or (port and running.server.port != port):
                try:
                    fresh = self._start(provider, port)
                except NetworkError:
                    if running is None:
                        raise
                    log.warning("the new dapp provider port is taken; keeping the old one")
                else:
                    old, self._running = running, fresh
            if self._running is None:  # not reached: a first start either ran or raised
                raise NetworkError("The dapp provider did not start.")
            server = self._running.server
            server.set_provider(provider)
            server.set_token_digest(digest)
            self._provider = provider
            self._wanted_port = bound = server.port
            self._cond.notify_all()
        if old is not None:
            _close(old)
        self._save()
        return bound

    def detach(self, provider: DappProvider | None = None) -> None:
        """Locked: answer as for a site that is not connected (``provider``: only if it is
        still the attached one)."""
        with self._cond:
            if provider is not None and provider is not self._provider:
                return
            self._provider = None
            if self._running is not None:
                self._running.server.set_provider(self._locked())

    def close(self) -> None:
        with self._cond:
            running, self._running = self._running, None
            self._provider = None
            self._closed = True
            self._cond.notify_all()
        if running is not None:
            _close(running)
            log.info("dapp provider stopped")

    def wait_unlocked(self, timeout: float) -> DappProvider | None:
        """The unlocked provider once attached (None after ``timeout`` or on close)."""
        with self._cond:
            self._cond.wait_for(lambda: self._provider is not None or self._closed, timeout)
            return self._provider

    # -- parts -----------------------------------------------------------------------------------
    def _locked(self) -> LockedProvider:
        return LockedProvider(
            self._chain_id, self._wake, self.wait_unlocked, unlock_wait_s=self.unlock_wait_s
        )

    def _wake(self) -> None:
        wake = self.on_locked_request
        if wake is not None:
            wake()

    def _start(self, provider: DappProvider, port: int) -> _Running:
        # a token nobody knows until the digest is set: no pairing before it is known
        server = ProviderServer(provider, ServerOptions(port=port, token=secrets.token_urlsafe(32)))
        if self._digest is not None:
            server.set_token_digest(self._digest)
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="dapp-provider", daemon=True)
        thread.start()
        running = _Running(loop, thread, server)
        try:
            asyncio.run_coroutine_threadsafe(server.start(), loop).result(START_TIMEOUT_S)
        except OSError:
            _close(running)
            raise NetworkError(
                f"Port {port} on 127.0.0.1 is taken; the dapp provider did not start.",
                hint="Close the program that uses it (another Warden or Frame?), or choose "
                "another dapp provider port in Settings and lock and unlock Warden.",
            ) from None
        except Exception:
            _close(running)
            raise
        return running

    def _save(self) -> None:
        if self.record_path is None:
            return
        record = SocketRecord(self._wanted_port, self._chain_id, self._digest)
        try:
            write_record(self.record_path, record)
        except OSError:
            log.warning("the dapp provider's record could not be written", exc_info=True)


def _close(running: _Running) -> None:
    loop, thread, server = running.loop, running.thread, running.server
    try:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(STOP_TIMEOUT_S)
    except Exception:
        log.warning("the dapp provider did not stop cleanly", exc_info=True)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(STOP_TIMEOUT_S)
    if not thread.is_alive():
        loop.close()
