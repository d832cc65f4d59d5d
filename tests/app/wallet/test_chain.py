"""Networks and the chain client: presets, dead and slow nodes, a node on the wrong chain."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from importlib import resources

import pytest
from eth_utils import is_checksum_address

from app.errors import ChainMismatch, InvalidInput, NetworkError
from app.store import Store
from app.wallet import networks
from app.wallet.chain import ChainClient
from tests.app.wallet.conftest import Evm
from tests.support.anvil import free_port


def test_presets_and_user_networks(store: Store) -> None:
    with store.session() as s:
        names = {n.name: n.chain_id for n in networks.list_networks(s)}
        assert {
            "Ethereum": 1,
            "Base": 8453,
            "Arbitrum": 42161,
            "Optimism": 10,
            "Polygon": 137,
        }.items() <= names.items()
        networks.add_network(s, "Local", "31337", "http://127.0.0.1:8545")
        assert networks.get_network(s, "local").chain_id == 31337
        assert networks.get_network(s, "8453").name == "Base"
        with pytest.raises(InvalidInput, match="No network named"):
            networks.get_network(s, "Nowhere")
        with pytest.raises(InvalidInput, match="not a number"):
            networks.add_network(s, "X", "abc", "http://x")
        with pytest.raises(InvalidInput, match="http"):
            networks.add_network(s, "X", 5, "ftp://x")


def test_token_list_addresses_are_checksummed() -> None:
    data = json.loads(resources.files("app.wallet").joinpath("tokens.json").read_text())
    entries = [t for chain in data["chains"].values() for t in chain]
    assert len(entries) >= 10
    for t in entries:
        assert is_checksum_address(t["address"]), t


def test_dead_node_fails_fast_with_a_clear_message() -> None:
    port = free_port()  # nothing listens there
    started = time.monotonic()
    with pytest.raises(NetworkError, match="Could not reach") as err:
        ChainClient.connect(f"http://127.0.0.1:{port}", 1, name="Dead", timeout=5)
    assert time.monotonic() - started < 5  # refused at once, no retry loop
    assert "try again later" in err.value.hint


@pytest.fixture
def slow_node() -> Iterator[str]:
    """A tiny local HTTP server that answers only after 2 s."""

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            time.sleep(2)
            try:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"jsonrpc":"2.0","id":1,"result":"0x1"}')
            except OSError:
                pass  # the client gave up waiting, as it should

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_slow_node_times_out_with_a_clear_message(slow_node: str) -> None:
    with pytest.raises(NetworkError, match="did not answer within 0.3 s"):
        ChainClient.connect(slow_node, 1, name="Slow", timeout=0.3)


def test_node_on_another_chain_is_refused(evm: Evm) -> None:
    with pytest.raises(ChainMismatch, match="configured as chain 1"):
        ChainClient.from_web3(evm.w3, 1, name="Ethereum")


def test_demo_chain_url_cannot_be_dialled() -> None:
    with pytest.raises(NetworkError, match="demo"):
        networks.connect(next(p for p in networks.PRESETS if p.name == "Demo"))
