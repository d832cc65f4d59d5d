"""Keeping up (issue 17): the watcher follows new blocks on a real anvil node with the
history scan's method, a few checked requests per poll, not one full block per block."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web3 import Web3

from app.events import EventBus, block_did_arrive, transfer_did_arrive
from delegates.runtime.watcher import ChainWatcher
from tests.support.anvil import start_anvil, stop_anvil
from tests.support.history_chain import ACCOUNT, BANK, HistoryChain, build

pytestmark = pytest.mark.anvil


@pytest.fixture
def chain() -> Iterator[HistoryChain]:
    node = start_anvil()
    try:
        yield build(node, blocks=10, transfers=0)
    finally:
        stop_anvil(node)


def test_a_poll_over_many_blocks_costs_a_few_requests_and_finds_internal_value(
    chain: HistoryChain,
) -> None:
    bus = EventBus()
    arrived: list[transfer_did_arrive] = []
    heads: list[block_did_arrive] = []
    bus.subscribe(transfer_did_arrive, arrived.append)
    bus.subscribe(block_did_arrive, heads.append)
    watcher = ChainWatcher(Web3(Web3.HTTPProvider(chain.node.url)), bus, [ACCOUNT])
    assert watcher.poll_once() == 0  # notes where the chain is
    chain.mine(150)
    direct = chain.send("native in", 10**15)
    chain.mine(100)
    internal = chain.send("internal in", 2 * 10**15)
    chain.mine(49)
    before = watcher.client().counter.requests
    covered = watcher.poll_once()
    used = watcher.client().counter.requests - before
    assert covered == 301
    assert used < 60, used  # bisection to the 2 changed blocks, not 301 full blocks
    got = sorted((e.tx_hash, e.amount, e.sender) for e in arrived)
    assert got == sorted(
        [(direct.tx_hash, 10**15, BANK), (internal.tx_hash, 2 * 10**15, chain.forwarder)]
    )
    assert [h.number for h in heads] == [watcher.last_block]
    assert watcher.poll_once() == 0 and len(arrived) == 2  # nothing announced twice
