"""Reverse ENS names for the history, on a real anvil node with an ENS registry at the
canonical address and a resolver that holds both forward (addr) and reverse (name) records,
compiled here from Vyper as in tests/app/dapp/test_ens.py. A name is shown only when it
resolves forward to the same address."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from app.errors import NetworkError
from app.wallet import ens
from app.wallet.chain import ChainClient
from app.wallet.ens_names import ReverseNames, labelled
from tests.app.dapp.test_ens import REGISTRY, _compile, _deploy, _wait
from tests.support.anvil import Anvil

pytestmark = pytest.mark.anvil

RESOLVER = """
# pragma version ~=0.4
addrs: HashMap[bytes32, address]
names: HashMap[bytes32, String[255]]

@external
def setAddr(node: bytes32, a: address):
    self.addrs[node] = a

@external
def setName(node: bytes32, n: String[255]):
    self.names[node] = n

@view
@external
def addr(node: bytes32) -> address:
    return self.addrs[node]

@view
@external
def name(node: bytes32) -> String[255]:
    return self.names[node]
"""

ALICE = Web3.to_checksum_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
MALLORY = Web3.to_checksum_address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
NOBODY = Web3.to_checksum_address("0x90F79bf6EB2c4f870365E785982E1f101E93b906")


class Ens:
    """The registry at the canonical address and one resolver, set up by the test."""

    def __init__(self, anvil: Anvil) -> None:
        self.w3 = Web3(Web3.HTTPProvider(anvil.url))
        registry_art = _compile(REGISTRY)
        anvil.rpc("anvil_setCode", ens.ENS_REGISTRY, registry_art["bytecode_runtime"])
        self.registry = self.w3.eth.contract(
            address=Web3.to_checksum_address(ens.ENS_REGISTRY), abi=registry_art["abi"]
        )
        self.resolver = _deploy(self.w3, _compile(RESOLVER))
        self.client = ChainClient.connect(anvil.url, anvil.chain_id, name="anvil", timeout=5)

    def forward(self, name: str, address: str) -> None:
        node = ens.namehash(name)
        _wait(self.w3, self.registry.functions.setResolver(node, self.resolver.address))
        _wait(self.w3, self.resolver.functions.setAddr(node, address))

    def claim(self, address: str, name: str) -> None:
        """A reverse record: anyone can write one for their own address."""
        node = ens.reverse_node(address)
        _wait(self.w3, self.registry.functions.setResolver(node, self.resolver.address))
        _wait(self.w3, self.resolver.functions.setName(node, name))


@pytest.fixture
def chain(anvil: Anvil) -> Ens:
    return Ens(anvil)


def test_a_primary_name_is_shown_only_when_it_resolves_back_to_the_address(chain: Ens) -> None:
    chain.forward("alice.eth", ALICE)
    chain.claim(ALICE, "Alice.eth")  # normalised before it is checked and shown
    chain.claim(MALLORY, "alice.eth")  # Mallory claims Alice's name; it points to Alice
    found = ReverseNames().names(chain.client, [ALICE, MALLORY, NOBODY])
    assert found == {ALICE: "alice.eth"}
    assert ens.reverse(chain.client, MALLORY) is None
    assert labelled(ALICE, found.get(ALICE)) == "alice.eth (0x7099…79C8)"
    assert labelled(MALLORY, found.get(MALLORY)) == "0x3C44…93BC"


def test_names_are_cached_per_chain_and_address_until_the_ttl(chain: Ens) -> None:
    """The clock is a counter the test moves (no time is measured)."""
    now = [0.0]
    names = ReverseNames(ttl_s=100, clock=lambda: now[0])
    chain.forward("alice.eth", ALICE)
    chain.claim(ALICE, "alice.eth")
    assert names.names(chain.client, [ALICE]) == {ALICE: "alice.eth"}
    chain.forward("alice.eth", NOBODY)  # Alice's name now points elsewhere
    now[0] = 50
    assert names.names(chain.client, [ALICE]) == {ALICE: "alice.eth"}  # cached
    now[0] = 150
    assert names.names(chain.client, [ALICE]) == {}  # looked up again: no longer verified


def test_a_network_without_ens_and_a_broken_record_show_bare_addresses(chain: Ens) -> None:
    chain.forward("alice.eth", ALICE)
    chain.claim(ALICE, "alice.eth")
    assert ReverseNames(registry=NOBODY).names(chain.client, [ALICE]) == {}  # no code there
    # Mallory's name has a "resolver" with no code: the node's empty answer is an error
    # inside, and a bare address outside
    chain.claim(MALLORY, "bob.eth")
    _wait(chain.w3, chain.registry.functions.setResolver(ens.namehash("bob.eth"), NOBODY))
    with pytest.raises(NetworkError):
        ens.reverse(chain.client, MALLORY)
    assert ReverseNames().names(chain.client, [MALLORY, ALICE]) == {ALICE: "alice.eth"}


def test_warden_history_prints_the_verified_name(
    chain: Ens, anvil: Anvil, tmp_path: Path, capsys: Any
) -> None:
    from types import SimpleNamespace

    from tests.app.dapp.harness import make_store
    from warden.commands.wallet import _ens_names, print_history

    chain.forward("alice.eth", ALICE)
    chain.claim(ALICE, "alice.eth")
    chain.claim(MALLORY, "alice.eth")
    rows = [
        SimpleNamespace(
            direction="out",
            recipient=who,
            sender=NOBODY,
            account=NOBODY,
            token=None,
            amount=10**18,
            timestamp=datetime(2026, 1, 1, tzinfo=UTC),
            status="confirmed",
            tx_hash="0x" + "ab" * 32,
        )
        for who in (ALICE, MALLORY)
    ]
    names = _ens_names(chain.client, rows)
    store = make_store(tmp_path, anvil)
    try:
        with store.session() as s:
            print_history(s, rows, "ETH", chain.client.chain_id, names)
    finally:
        store.close()
    out = capsys.readouterr().out.splitlines()
    assert "-> alice.eth (0x7099…79C8)  1 ETH" in out[0]
    assert "-> 0x3C44…93BC  1 ETH" in out[1]
