"""Four history scans at once on one store find each transfer once and never collide
(issue 11, item 4: four ``history`` scans at once gave an IntegrityError traceback)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.store import Store
from app.store.schema import ScanState, Transfer
from app.wallet import history
from app.wallet.chain import ChainClient
from tests.support.anvil import Anvil

pytestmark = pytest.mark.anvil

SCANS = 4
TRANSFERS = 12
WALLET = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # anvil's account 1


class StartTogether:
    """The real store, with one addition: each scan's writing session starts only when all
    four scans have read the chain, so their writes overlap as they do when four processes
    or windows scan at once (without it, one scan usually finishes before the next starts
    and the test could not fail)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.barrier = threading.Barrier(SCANS, timeout=60)
        self.calls = threading.local()

    @contextmanager
    def session(self) -> Iterator[Session]:
        n = getattr(self.calls, "n", 0) + 1
        self.calls.n = n
        if n == 2:  # a scan's first session reads where to start; its second one writes
            self.barrier.wait()
        with self.store.session() as s:
            yield s


def test_four_scans_at_once_store_each_transfer_once(anvil: Anvil, tmp_path: Path) -> None:
    sender = anvil.rpc("eth_accounts")[0]
    for n in range(TRANSFERS):
        anvil.rpc("eth_sendTransaction", {"from": sender, "to": WALLET, "value": hex(n + 1)})
    client = ChainClient.connect(anvil.url, anvil.chain_id, name="anvil", timeout=10)
    store = Store.throwaway(tmp_path / "store")
    shared = StartTogether(store)
    added: list[int] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            added.append(history.scan(shared, client, [WALLET]))
        except BaseException as exc:  # the test reports what a thread raised
            errors.append(exc)

    threads = [threading.Thread(target=scan) for _ in range(SCANS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert not errors, errors
        assert sum(added) == TRANSFERS  # each transfer is new to exactly one scan
        with store.session() as s:
            rows = s.scalar(select(func.count()).select_from(Transfer))
            amounts = sorted(int(a) for a in s.scalars(select(Transfer.amount)))
            state = s.get(ScanState, (anvil.chain_id, WALLET))
            assert rows == TRANSFERS
            assert amounts == list(range(1, TRANSFERS + 1))
            assert state is not None and state.last_block == client.block_number()
    finally:
        store.close()
