"""Store writes run on the store worker: each ``ui.ops`` function that writes returns an
``Op`` whose work opens its store sessions on the ``warden-store`` thread, never on the
network pool (a real encrypted store; the session opener is wrapped only to see the thread)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from app.events import EventBus
from app.store import Store
from app.store.schema import Network
from tests.ui.conftest import wait_idle
from ui.ops import accounts, assistant, contacts, delegates, networks, settings
from ui.services import AppServices

FRIEND = "0x" + "42" * 20


class SeenStore:
    """A real store that notes the thread each session is opened on."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.threads: list[str] = []

    @contextmanager
    def session(self) -> Iterator[Any]:
        self.threads.append(threading.current_thread().name)
        with self.store.session() as s:
            yield s


@pytest.fixture
def seen(tmp_path: Path) -> Iterator[SeenStore]:
    store = Store.throwaway(tmp_path / "store")
    with store.session() as s:
        s.add(Network(name="Local", chain_id=31337, rpc_url="http://127.0.0.1:8545"))
    yield SeenStore(store)
    store.close()


WRITES: dict[str, Callable[[AppServices], Any]] = {
    "contacts.add": lambda sv: contacts.add(sv, "Friend", FRIEND),
    "networks.set_rpc_urls": lambda sv: networks.set_rpc_urls(
        sv, [("Local", "http://127.0.0.1:9545")]
    ),
    "settings.save": lambda sv: settings.save(sv, {"idle_lock_minutes": 12}),
    "delegates.set_enabled": lambda sv: delegates.set_enabled(sv, "gas_watch", False),
    "delegates.save_settings": lambda sv: delegates.save_settings(sv, "gas_watch", {"x": 1}),
    "assistant.save_exchange": lambda sv: assistant.save_exchange(sv, "q", "a"),
    "accounts.rename (refused: no such account)": lambda sv: accounts.rename(sv, FRIEND, "Main"),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_store_writes_run_on_the_store_worker(qtbot, seen: SeenStore, name: str) -> None:
    sv = AppServices(seen, EventBus())  # type: ignore[arg-type]
    done: list[object] = []
    WRITES[name](sv).success(done.append).failure(done.append).run()
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    wait_idle(qtbot)
    assert seen.threads, "the operation never opened a store session"
    assert all(t.startswith("warden-store") for t in seen.threads), seen.threads


def test_a_part_that_starts_after_the_lock_is_stopped_at_once() -> None:
    """The delegates start on a worker after the window shows; when the store was locked
    meanwhile, what they add to the closers runs right away instead of never."""
    from ui.services import Closers

    stopped: list[str] = []
    closers = Closers()
    closers.append(lambda: stopped.append("early"))
    closers.close()
    assert stopped == ["early"]
    closers.append(lambda: stopped.append("runtime"))
    closers.first(lambda: stopped.append("watcher"))
    closers.close()  # a second close does nothing
    assert stopped == ["early", "runtime", "watcher"]
