"""History that scales (issue 17), on a real anvil node and a real encrypted store: the whole
life of an imported account, internal transfers, a node that refuses past state, a node that
caps eth_getLogs ranges or stops answering part way, and a reorg.

The refusing and capping nodes are ``tests/support/hostile_rpc.py``: a real HTTP proxy in front
of the real anvil that refuses the named calls as public nodes do (anvil itself never caps).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.store import Store
from app.store.schema import ScanState, Transfer
from app.wallet import history
from app.wallet.chain import ChainClient
from app.wallet.history_scan import BLOCK_BY_BLOCK
from tests.support.anvil import Anvil, start_anvil, stop_anvil
from tests.support.history_chain import ACCOUNT, HistoryChain, build
from tests.support.hostile_rpc import Forward, Reply, error, hostile_node

pytestmark = pytest.mark.anvil

BLOCKS = 400
TRANSFERS = 10


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.throwaway(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture(scope="module")
def chain() -> Iterator[HistoryChain]:
    node = start_anvil()
    try:
        yield build(node, blocks=BLOCKS, transfers=TRANSFERS)
    finally:
        stop_anvil(node)


def connect(url: str, chain_id: int = 31337) -> ChainClient:
    return ChainClient.connect(url, chain_id, name="anvil", timeout=10)


def rows(store: Store) -> list[Transfer]:
    with store.session() as s:
        found = list(s.scalars(select(Transfer).where(Transfer.account == ACCOUNT)))
        s.expunge_all()
        return found


def assert_all_found(store: Store, chain: HistoryChain) -> None:
    stored = rows(store)
    keys = [(r.tx_hash, r.log_index) for r in stored]
    assert len(keys) == len(set(keys)), "a row is stored twice"
    by_hash = {r.tx_hash: r for r in stored}
    for e in chain.expected:
        assert e.tx_hash in by_hash, f"{e.kind} in block {e.block} not found"
        row = by_hash[e.tx_hash]
        assert (int(row.amount), row.block_number, row.status) == (e.amount, e.block, "confirmed")
    assert len(stored) == len(chain.expected)


def test_an_imported_account_sees_its_whole_life_reading_only_what_changed(
    store: Store, chain: HistoryChain
) -> None:
    client = connect(chain.node.url)
    report = history.scan_history(store, client, [ACCOUNT])
    assert_all_found(store, chain)
    assert [r.complete for r in report.accounts] == [True]
    # Far fewer requests than blocks: bisection and logs, never every block.
    assert report.requests < BLOCKS / 2
    assert report.bytes_received > 0
    signed = {r.tx_hash: r.nonce for r in rows(store)}
    for e in chain.expected:  # the account's key signed exactly its sends
        assert (signed[e.tx_hash] is not None) == e.kind.endswith("out"), e.kind
    # A second scan finds nothing new and costs a few requests.
    again = history.scan_history(store, client, [ACCOUNT])
    assert again.added == 0 and again.requests < 10


def test_native_coin_sent_by_a_contract_is_found_from_the_traces(
    store: Store, chain: HistoryChain
) -> None:
    history.scan(store, connect(chain.node.url), [ACCOUNT])
    internal = [e for e in chain.expected if e.kind == "internal in"]
    assert internal
    by_hash = {r.tx_hash: r for r in rows(store)}
    for e in internal:
        row = by_hash[e.tx_hash]
        assert row.sender == chain.forwarder and row.direction == "in"
        assert row.log_index <= -2 and row.nonce is None  # never taken for the user's own send


def test_keeping_up_reads_only_the_new_blocks(store: Store, chain: HistoryChain) -> None:
    client = connect(chain.node.url)
    history.scan(store, client, [ACCOUNT])
    chain.mine(50)
    done = chain.send("native in", 777)
    chain.mine(50)
    report = history.scan_history(store, client, [ACCOUNT])
    assert report.added == 1
    assert report.requests < 40  # ~2·log2(101) state reads, the one block, logs
    assert done.tx_hash in {r.tx_hash for r in rows(store)}


@pytest.fixture
def pruned() -> Iterator[Anvil]:
    node = start_anvil("--prune-history")
    try:
        yield node
    finally:
        stop_anvil(node)


def test_a_node_without_past_state_falls_back_and_says_how_far(store: Store, pruned: Anvil) -> None:
    chain = build(pruned, blocks=60, transfers=4)  # no internal: full blocks cannot show it
    client = connect(pruned.url)
    report = history.scan_history(store, client, [ACCOUNT])
    (r,) = report.accounts
    assert r.method == BLOCK_BY_BLOCK
    assert r.reached == report.head
    assert any("contract" in n for n in r.notes)  # it says what it cannot see
    assert_all_found(store, chain)  # 60 blocks: all within the fallback's reach
    chain.send("native in", 5)
    again = history.scan_history(store, client, [ACCOUNT])
    assert again.added == 1 and again.accounts[0].reached == again.head


def capped_logs(limit: int) -> Any:
    """eth_getLogs as a node with a range cap answers it: ranges over ``limit`` refused."""

    def answer(params: list[Any], forward: Forward, rid: Any) -> Reply:
        f = params[0]
        span = int(f["toBlock"], 16) - int(f["fromBlock"], 16) + 1
        if span > limit:
            return error(f"query exceeds max block range {limit}")(params, forward, rid)
        return Reply(json.dumps(forward()).encode())

    return answer


def test_a_capped_log_range_is_narrowed_and_nothing_is_missed(
    store: Store, chain: HistoryChain
) -> None:
    with hostile_node(chain.node.url) as node:
        node.answer("eth_getLogs", capped_logs(64))
        report = history.scan_history(store, connect(node.url), [ACCOUNT])
    assert [r.complete for r in report.accounts] == [True]
    assert node.calls.count("eth_getLogs") > 2 * (BLOCKS // 64)  # it was refused, narrowed
    assert_all_found(store, chain)


def test_a_node_that_stops_answering_part_way_resumes_without_losing_a_row(
    store: Store, chain: HistoryChain
) -> None:
    with hostile_node(chain.node.url) as node:
        client = connect(node.url)
        answered = {"n": 0}

        def flaky(params: list[Any], forward: Forward, rid: Any) -> Reply:
            answered["n"] += 1
            if answered["n"] > 30:
                return error("request timed out")(params, forward, rid)
            return Reply(json.dumps(forward()).encode())

        node.answer("eth_getBalance", flaky)
        first = history.scan_history(store, client, [ACCOUNT])
        (r,) = first.accounts
        assert not r.complete and 0 < r.reached < first.head
        assert any("resumes" in n for n in r.notes)
        with store.session() as s:
            state = s.get(ScanState, (31337, ACCOUNT))
            assert state is not None and state.last_block == r.reached
        stored = {x.tx_hash for x in rows(store)}
        assert all(e.tx_hash in stored for e in chain.expected if e.block <= r.reached)
        del node.answers["eth_getBalance"]  # the node recovers
        second = history.scan_history(store, client, [ACCOUNT])
    assert [x.complete for x in second.accounts] == [True]
    assert_all_found(store, chain)


def test_a_reorg_marks_the_row_and_the_range_is_scanned_again(store: Store) -> None:
    node = start_anvil()
    try:
        chain = build(node, blocks=40, transfers=2)
        client = connect(node.url)
        snapshot = chain.rpc("evm_snapshot")
        gone = chain.send("native in", 1111)
        chain.mine(3)
        history.scan(store, client, [ACCOUNT])
        assert {r.tx_hash: r.status for r in rows(store)}[gone.tx_hash] == "confirmed"
        chain.rpc("evm_revert", snapshot)  # the blocks since the snapshot are replaced
        chain.expected.remove(gone)
        chain.mine(1)
        kept = chain.send("native in", 2222)
        chain.mine(5)
        report = history.scan_history(store, client, [ACCOUNT])
        assert report.reorg_below is not None and report.reorg_below < gone.block
        status = {r.tx_hash: r.status for r in rows(store)}
        assert status[gone.tx_hash] == "reorged"
        assert status[kept.tx_hash] == "confirmed"
        assert len(status) == len(chain.expected) + 1
    finally:
        stop_anvil(node)
