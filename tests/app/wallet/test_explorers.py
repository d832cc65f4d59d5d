"""Explorer adapters (issue 17): off by default, set per network, asked only where the node
falls short, sent an address and a block range only, and never believed over the node.

The explorer is a stand-in: a real HTTP server on 127.0.0.1 (port 0) that answers the
``module=account`` API (txlist, txlistinternal, tokentx) in the JSON shapes Blockscout and
Etherscan answer with, its rows made from the real anvil chain's own transactions (a real
explorer cannot run here). Everything else is real: anvil, the encrypted store, the scan.
"""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select
from web3 import Web3

from app.errors import InvalidInput, NetworkError
from app.store import Store
from app.store.schema import ScanState, Transfer
from app.wallet import explorers, history, history_scan
from app.wallet.chain import ChainClient
from app.wallet.explorers import Explorer, ExplorerSettings
from app.wallet.explorers.fill import EXPLORER_INTERNAL_BASE, EXPLORER_TX
from app.wallet.stored_facts import stored_facts
from tests.support.anvil import Anvil, start_anvil, stop_anvil
from tests.support.history_chain import ACCOUNT, HistoryChain, build

ATTACKER = "0x000000000000000000000000000000000000dEaD"
OTHER_ACCOUNT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"

Rows = Callable[[dict[str, str]], Any]  # the query -> the whole JSON document


@dataclass
class StandIn:
    """A local explorer: ``answers[action]`` makes the body; ``asked`` records each query."""

    url: str = ""
    answers: dict[str, Rows] = field(default_factory=dict)
    asked: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    huge: int = 0  # > 0: every answer is this many bytes of a valid-looking start
    declare_length: bool = True


def _handler(ex: StandIn) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query))
            ex.asked.append(query)
            ex.paths.append(parts.path)
            try:
                if ex.huge:
                    self._flood()
                    return
                answer = ex.answers.get(query.get("action", ""))
                doc = answer(query) if answer else {"status": "0", "message": "NOTOK"}
                body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                self.close_connection = True

        def _flood(self) -> None:
            self.send_response(200)
            if ex.declare_length:
                self.send_header("Content-Length", str(ex.huge))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b'{"status":"1","message":"OK","result":[')
            row = b'{"hash":"0x' + b"ab" * 32 + b'"},' * 1
            sent = 0
            while sent < ex.huge:
                self.wfile.write(row * 1000)
                sent += len(row) * 1000
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    ex = StandIn()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(ex))
    server.daemon_threads = True
    ex.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ex
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.throwaway(tmp_path / "store")
    yield s
    s.close()


def ok(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {"status": "0", "message": "No transactions found", "result": []}
    return {"status": "1", "message": "OK", "result": rows}


# --- recorded-format rows, made from the real chain ------------------------------------------


def txlist_row(tx: dict[str, Any], ts: int) -> dict[str, Any]:
    """Etherscan's (and Blockscout's) txlist row."""
    return {
        "blockNumber": str(tx["blockNumber"]),
        "timeStamp": str(ts),
        "hash": "0x" + bytes(tx["hash"]).hex(),
        "nonce": str(tx["nonce"]),
        "blockHash": "0x" + bytes(tx["blockHash"]).hex(),
        "transactionIndex": str(tx["transactionIndex"]),
        "from": str(tx["from"]).lower(),
        "to": str(tx["to"] or "").lower(),
        "value": str(tx["value"]),
        "gas": str(tx["gas"]),
        "gasPrice": str(tx.get("gasPrice", 0)),
        "isError": "0",
        "txreceipt_status": "1",
        "input": "0x",
        "contractAddress": "",
        "cumulativeGasUsed": "21000",
        "gasUsed": "21000",
        "confirmations": "10",
        "methodId": "0x",
        "functionName": "",
    }


def internal_row(
    tx_hash: str, block: int, ts: int, frm: str, to: str, value: int, *, blockscout: bool
) -> dict[str, Any]:
    """Blockscout names the hash ``transactionHash`` and has ``callType``; Etherscan ``hash``
    and ``traceId``."""
    row: dict[str, Any] = {
        "blockNumber": str(block),
        "timeStamp": str(ts),
        "from": frm.lower(),
        "to": to.lower(),
        "value": str(value),
        "contractAddress": "",
        "input": "",
        "type": "call",
        "gas": "2300",
        "gasUsed": "0",
        "isError": "0",
        "errCode": "",
    }
    if blockscout:
        row |= {"transactionHash": tx_hash, "callType": "call", "index": "0"}
    else:
        row |= {"hash": tx_hash, "traceId": "0"}
    return row


def tokentx_row(
    tx_hash: str, block: int, frm: str, to: str, token: str, value: int
) -> dict[str, Any]:
    return {
        "blockNumber": str(block),
        "timeStamp": "1700000000",
        "hash": tx_hash,
        "nonce": "0",
        "blockHash": "0x" + "11" * 32,
        "from": frm.lower(),
        "contractAddress": token.lower(),
        "to": to.lower(),
        "value": str(value),
        "tokenName": "Test Dollar",
        "tokenSymbol": "tUSD",
        "tokenDecimal": "6",
        "transactionIndex": "0",
        "gas": "60000",
        "gasPrice": "1",
        "gasUsed": "50000",
        "cumulativeGasUsed": "50000",
        "input": "deprecated",
        "confirmations": "10",
        "logIndex": "0",
    }


def in_range(rows: list[dict[str, Any]], q: dict[str, str]) -> list[dict[str, Any]]:
    lo, hi = int(q["startblock"]), int(q["endblock"])
    return [r for r in rows if lo <= int(r["blockNumber"]) <= hi]


def serve_chain(ex: StandIn, chain: HistoryChain, *, blockscout: bool) -> None:
    """The stand-in answers with the chain's real transfers, as an explorer would."""
    w3 = Web3(Web3.HTTPProvider(chain.node.url))
    txs: list[dict[str, Any]] = []
    internals: list[dict[str, Any]] = []
    for e in chain.expected:
        tx = dict(w3.eth.get_transaction(e.tx_hash))  # type: ignore[arg-type]
        ts = int(w3.eth.get_block(e.block)["timestamp"])
        if e.kind.startswith("native"):
            txs.append(txlist_row(tx, ts))
        elif e.kind == "internal in":
            internals.append(
                internal_row(
                    e.tx_hash,
                    e.block,
                    ts,
                    chain.forwarder,
                    ACCOUNT,
                    e.amount,
                    blockscout=blockscout,
                )
            )
    ex.answers["txlist"] = lambda q: ok(in_range(txs, q))
    ex.answers["txlistinternal"] = lambda q: ok(in_range(internals, q))


# --- settings ----------------------------------------------------------------------------------


def test_no_explorer_by_default_and_one_per_chain_in_the_encrypted_store(store: Store) -> None:
    with store.session() as s:
        assert explorers.explorer_for(s, 1) is None  # off by default
        explorers.save(s, 1, explorers.check("etherscan", "https://api.etherscan.io/v2/api", "K3Y"))
        explorers.save(s, 8453, explorers.check("blockscout", "https://base.blockscout.com/"))
    with store.session() as s:
        one, base = explorers.load(s, 1), explorers.load(s, 8453)
        assert one == ExplorerSettings("etherscan", "https://api.etherscan.io/v2/api", "K3Y")
        assert base == ExplorerSettings("blockscout", "https://base.blockscout.com")
        assert "K3Y" not in repr(one) and "K3Y" not in repr(explorers.explorer_for(s, 1))
        explorers.turn_off(s, 1)
    with store.session() as s:
        assert explorers.load(s, 1) is None and explorers.load(s, 8453) is not None


@pytest.mark.parametrize(
    ("kind", "url", "key"),
    [
        ("etherscan", "https://api.etherscan.io/v2/api", ""),  # no key
        ("etherscan", "http://api.etherscan.io/v2/api", "K"),  # a key in the clear
        ("blockscout", "https://x.example/api?apikey=1", ""),  # a query of its own
        ("blockscout", "https://user:pw@x.example", ""),
        ("blockscout", "ftp://x.example", ""),
        ("blockscout", "https://x.example", "K"),  # Blockscout takes no key
        ("etherscan", "https://x.example", "K\nX"),
        ("mempool", "https://x.example", ""),
    ],
)
def test_a_wrong_setting_is_refused_with_what_to_do(kind: str, url: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        explorers.check(kind, url, key)
    assert caught.value.hint


# --- the adapters against the stand-in ----------------------------------------------------------


def test_blockscout_and_etherscan_are_sent_an_address_and_a_block_range_only(
    stand_in: StandIn,
) -> None:
    token = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    h = "0x" + "cd" * 32
    stand_in.answers["tokentx"] = lambda q: ok(
        [tokentx_row(h, 7, OTHER_ACCOUNT, ACCOUNT, token, 5)]
    )
    stand_in.answers["txlistinternal"] = lambda q: ok(
        [internal_row(h, 7, 1, token, ACCOUNT, 9, blockscout=True)]
    )
    scout = Explorer(ExplorerSettings("blockscout", stand_in.url), 31337)
    (row,) = scout.rows("tokentx", ACCOUNT, 0, 10)
    assert (row.token, row.value, row.log_index, row.recipient) == (
        token.lower(),
        5,
        0,
        ACCOUNT.lower(),
    )
    (inner,) = scout.rows("txlistinternal", ACCOUNT, 0, 10)
    assert (inner.tx_hash, inner.value, inner.sender) == (h, 9, token.lower())
    assert stand_in.paths == ["/api", "/api"]
    assert set(stand_in.asked[0]) == {
        "module",
        "action",
        "address",
        "startblock",
        "endblock",
        "page",
        "offset",
        "sort",
    }
    assert stand_in.asked[0]["address"] == ACCOUNT

    stand_in.answers["txlist"] = lambda q: ok([])
    ether = Explorer(ExplorerSettings("etherscan", stand_in.url + "/v2/api", "MyKey"), 8453)
    assert ether.rows("txlist", ACCOUNT, 0, 10) == []
    assert stand_in.paths[-1] == "/v2/api"
    assert (stand_in.asked[-1]["chainid"], stand_in.asked[-1]["apikey"]) == ("8453", "MyKey")
    assert set(stand_in.asked[-1]) - set(stand_in.asked[0]) == {"chainid", "apikey"}
    assert "MyKey" not in ether.what_is_sent() and "API key" in ether.what_is_sent()


def _row(**change: Any) -> Callable[[dict[str, str]], Any]:
    row = internal_row("0x" + "ef" * 32, 5, 1, OTHER_ACCOUNT, ACCOUNT, 3, blockscout=False)
    return lambda q: ok([row | change])


LIES: dict[str, Callable[[dict[str, str]], Any]] = {
    "another address": _row(to=ATTACKER.lower(), **{"from": OTHER_ACCOUNT.lower()}),
    "outside the range": _row(blockNumber="99"),
    "a negative value": _row(value="-1"),
    "a value past uint256": _row(value=str(2**256)),
    "a fraction": _row(value="1.5"),
    "a number, not text": _row(value=3),
    "no hash": _row(hash=None),
    "a short hash": _row(hash="0x1234"),
    "a bad sender": _row(**{"from": "0xnothex"}),
    "a time past 9999": _row(timeStamp=str(2**62)),
    "not JSON": lambda q: b"<html>rate limited</html>",
    "a list, not an envelope": lambda q: [],
    "an error text": lambda q: {"status": "0", "message": "NOTOK", "result": "Invalid API Key"},
    "status 0 without rows": lambda q: {"status": "0", "message": "NOTOK"},
    "rows that are not objects": lambda q: {"status": "1", "result": ["0xab"]},
    "too many rows": lambda q: {"status": "1", "result": [{}] * 10_001},
    "nested deep": lambda q: b'{"status":"1","result":' + b"[" * 5000 + b"]" * 5000 + b"}",
}


@pytest.mark.parametrize("lie", list(LIES))
def test_an_explorer_that_lies_is_refused_whole(stand_in: StandIn, lie: str) -> None:
    stand_in.answers["txlistinternal"] = LIES[lie]
    scout = Explorer(ExplorerSettings("blockscout", stand_in.url), 31337)
    with pytest.raises(NetworkError) as caught:
        scout.rows("txlistinternal", ACCOUNT, 0, 10)
    assert caught.value.hint  # it says what to do next


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_huge_answer_is_refused_before_it_is_read_whole(
    stand_in: StandIn, declare_length: bool
) -> None:
    stand_in.huge, stand_in.declare_length = 64 * 1024 * 1024, declare_length
    ether = Explorer(ExplorerSettings("etherscan", stand_in.url, "SecretKey"), 1, max_bytes=10**6)
    with pytest.raises(NetworkError) as caught:
        ether.rows("txlist", ACCOUNT, 0, 10)
    assert "SecretKey" not in caught.value.user_message()


def test_an_unreachable_explorer_is_a_network_error_without_the_key() -> None:
    from tests.support.anvil import free_port

    url = f"http://127.0.0.1:{free_port()}"
    ether = Explorer(ExplorerSettings("etherscan", url, "SecretKey"), 1, deadline_s=2)
    with pytest.raises(NetworkError) as caught:
        ether.rows("txlist", ACCOUNT, 0, 10)
    assert "SecretKey" not in caught.value.user_message()


# --- the scan: where the node falls short -----------------------------------------------------


@pytest.fixture
def pruned() -> Iterator[Anvil]:
    node = start_anvil("--prune-history")
    try:
        yield node
    finally:
        stop_anvil(node)


def connect(url: str) -> ChainClient:
    return ChainClient.connect(url, 31337, name="anvil", timeout=10)


def use(store: Store, settings: ExplorerSettings) -> None:
    with store.session() as s:
        explorers.save(s, 31337, settings)


def stored(store: Store) -> list[Transfer]:
    with store.session() as s:
        rows = list(s.scalars(select(Transfer).where(Transfer.account == ACCOUNT)))
        s.expunge_all()
        return rows


WINDOW = 40  # the fallback's reach, made small so that a short chain lies partly beyond it


@pytest.mark.anvil
@pytest.mark.parametrize("blockscout", [True, False])
def test_a_node_without_past_state_is_filled_in_by_the_explorer(
    store: Store,
    pruned: Anvil,
    stand_in: StandIn,
    monkeypatch: pytest.MonkeyPatch,
    blockscout: bool,
) -> None:
    """The fallback reads ``WINDOW`` blocks (2,000 in the app; patched small here so that a
    short chain has transfers older than the node can explain)."""
    monkeypatch.setattr(history_scan, "MAX_BLOCKS_PER_SCAN", WINDOW)
    chain = build(pruned, blocks=3 * WINDOW, transfers=10)
    serve_chain(stand_in, chain, blockscout=blockscout)
    head = pruned.rpc("eth_blockNumber")
    lo = int(head, 16) - WINDOW + 1
    old = [e for e in chain.expected if e.block < lo and not e.kind.startswith("token")]
    assert old, "the chain must have native transfers before the fallback's reach"

    # Without an explorer (the default) the old native transfers are missing, and it says so.
    report = history.scan_history(store, connect(pruned.url), [ACCOUNT])
    assert not stand_in.asked and not report.accounts[0].asked
    assert any("no past state" in n for n in report.accounts[0].notes)
    assert not {e.tx_hash for e in old} & {r.tx_hash for r in stored(store)}

    if blockscout:
        use(store, explorers.check("blockscout", stand_in.url))
    else:
        use(store, explorers.check("etherscan", stand_in.url + "/v2/api", "K"))
    with store.session() as s:  # the same store, scanned again from nothing
        s.query(Transfer).delete()
        s.query(ScanState).delete()
    report = history.scan_history(store, connect(pruned.url), [ACCOUNT])
    (r,) = report.accounts
    rows = stored(store)
    keys = [(x.tx_hash, x.log_index) for x in rows]
    assert len(keys) == len(set(keys)), "a row is stored twice"
    by_hash = {x.tx_hash: x for x in rows}
    for e in chain.expected:
        assert e.tx_hash in by_hash, f"{e.kind} in block {e.block} not found"
        assert (int(by_hash[e.tx_hash].amount), by_hash[e.tx_hash].block_number) == (
            e.amount,
            e.block,
        )
    assert len(rows) == len(chain.expected)
    for e in chain.expected:
        row = by_hash[e.tx_hash]
        if e.kind == "internal in":  # the explorer's, never a send the user signed
            assert row.log_index <= EXPLORER_INTERNAL_BASE and row.nonce is None
        if e.kind == "native out":  # the node confirmed it: the node's nonce
            assert row.nonce is not None
    # What it was sent, in the report: the host, and an address and a range only.
    host = urlsplit(stand_in.url).netloc
    assert r.asked and all(host in line and "address" in line for line in r.asked)
    assert not any("no past state" in n or "contract" in n for n in r.notes)
    assert {q["address"] for q in stand_in.asked} == {ACCOUNT}
    assert {q["action"] for q in stand_in.asked} == {"txlist", "txlistinternal"}


@pytest.mark.anvil
def test_an_explorer_cannot_make_an_address_look_known(
    store: Store,
    pruned: Anvil,
    stand_in: StandIn,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A send the node never saw, listed by the explorer, is stored as the explorer's and
    never counts for the review; a row the node contradicts refuses the whole answer."""
    monkeypatch.setattr(history_scan, "MAX_BLOCKS_PER_SCAN", WINDOW)
    chain = build(pruned, blocks=3 * WINDOW, transfers=3)
    fake = {
        "blockNumber": "3",
        "timeStamp": "1700000000",
        "hash": "0x" + "77" * 32,
        "nonce": "0",
        "from": ACCOUNT.lower(),
        "to": ATTACKER.lower(),
        "value": "1",
        "isError": "0",
    }
    stand_in.answers["txlist"] = lambda q: ok(in_range([fake], q))
    stand_in.answers["txlistinternal"] = lambda q: ok([])
    use(store, explorers.check("blockscout", stand_in.url))
    history.scan_history(store, connect(pruned.url), [ACCOUNT])
    (planted,) = [r for r in stored(store) if r.tx_hash == fake["hash"]]
    assert (planted.log_index, planted.nonce, planted.direction) == (EXPLORER_TX, None, "out")
    facts = stored_facts(store, user=ACCOUNT, chain_id=31337)
    assert ATTACKER.lower() not in facts.past_counterparties

    # A real transaction, told otherwise (another recipient): the answer is refused whole.
    real = next(e for e in chain.expected if e.kind == "native in")
    w3 = Web3(Web3.HTTPProvider(pruned.url))
    assert real.block <= int(w3.eth.block_number) - WINDOW, "it must lie before the window"
    tx = dict(w3.eth.get_transaction(real.tx_hash))  # type: ignore[arg-type]
    lie = txlist_row(tx, 1) | {
        "from": ATTACKER.lower(),
        "to": ACCOUNT.lower(),
    }
    stand_in.answers["txlist"] = lambda q: ok(in_range([lie], q))
    other = Store.throwaway(tmp_path / "other")
    try:
        with other.session() as s:
            explorers.save(s, 31337, explorers.check("blockscout", stand_in.url))
        report = history.scan_history(other, connect(pruned.url), [ACCOUNT])
        assert any("knows otherwise" in n for n in report.accounts[0].notes)
        with other.session() as s:
            senders = set(s.scalars(select(Transfer.sender)))
        assert ATTACKER not in senders
    finally:
        other.close()


# --- the command ---------------------------------------------------------------------------


def test_the_networks_explorer_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.app.wallet.conftest import PHRASE
    from warden.cli import main

    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", "a long password")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr("sys.stdin", io.StringIO(PHRASE + "\n"))
    assert main(["init", "--import-phrase", "--name", "Main"]) == 0
    assert main(["networks", "add", "Local", "31337", "http://127.0.0.1:1"]) == 0
    capsys.readouterr()
    assert main(["networks", "explorer", "Local"]) == 0
    assert "no explorer" in capsys.readouterr().out
    monkeypatch.setenv("SCAN_KEY", "Abc123")
    assert (
        main(
            [
                "networks",
                "explorer",
                "Local",
                "--etherscan",
                "https://api.etherscan.io/v2/api",
                "--key-env",
                "SCAN_KEY",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Etherscan" in out and "address" in out and "Abc123" not in out
    assert (
        main(
            [
                "networks",
                "explorer",
                "Local",
                "--etherscan",
                "https://x.example",
                "--key-env",
                "UNSET_VAR",
            ]
        )
        != 0
    )
    assert main(["networks", "explorer", "Local", "--off"]) == 0
    assert "no explorer" in capsys.readouterr().out


@pytest.mark.anvil
def test_native_coin_from_a_contract_is_named_by_the_explorer_when_the_node_has_no_traces(
    store: Store, stand_in: StandIn, tmp_path: Path
) -> None:
    """The node keeps past state but serves no traces (a proxy in front of anvil refuses
    ``trace_block`` as most public nodes do): bisection finds the block, the explorer names
    the contract that paid, and only for that block."""
    from tests.support.hostile_rpc import error, hostile_node

    node = start_anvil()
    try:
        chain = build(node, blocks=150, transfers=5)  # the fifth is "internal in"
        (inner,) = [e for e in chain.expected if e.kind == "internal in"]
        serve_chain(stand_in, chain, blockscout=True)
        with hostile_node(node.url) as proxy:
            proxy.answer("trace_block", error("the method trace_block does not exist"))
            without = history.scan_history(store, connect(proxy.url), [ACCOUNT])
            assert any("cannot explain" in n for n in without.accounts[0].notes)
            assert inner.tx_hash not in {r.tx_hash for r in stored(store)}

            other = Store.throwaway(tmp_path / "with-explorer")
            try:
                use(other, explorers.check("blockscout", stand_in.url))
                report = history.scan_history(other, connect(proxy.url), [ACCOUNT])
                rows = stored(other)
            finally:
                other.close()
        (r,) = report.accounts
        assert r.complete and len(r.asked) == 1 and str(inner.block) in r.asked[0]
        assert [(q["action"], q["startblock"], q["endblock"]) for q in stand_in.asked] == [
            ("txlistinternal", str(inner.block), str(inner.block))
        ]
        (row,) = [x for x in rows if x.tx_hash == inner.tx_hash]
        assert (row.sender, int(row.amount), row.nonce) == (chain.forwarder, inner.amount, None)
        assert len(rows) == len(chain.expected)
    finally:
        stop_anvil(node)
