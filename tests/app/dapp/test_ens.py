"""ENS on a real anvil node against a registry and a resolver deployed by the test (compiled
here from Vyper, as the demo token is): one at the canonical registry address (its runtime
code placed there with anvil_setCode) and one deployed anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from web3 import Web3

from app.errors import InvalidInput
from app.wallet import ens
from app.wallet.chain import ChainClient
from tests.support.anvil import Anvil

pytestmark = pytest.mark.anvil

REGISTRY = """
# pragma version ~=0.4
resolvers: HashMap[bytes32, address]

@external
def setResolver(node: bytes32, resolver: address):
    self.resolvers[node] = resolver

@view
@external
def resolver(node: bytes32) -> address:
    return self.resolvers[node]
"""

RESOLVER = """
# pragma version ~=0.4
addrs: HashMap[bytes32, address]

@external
def setAddr(node: bytes32, a: address):
    self.addrs[node] = a

@view
@external
def addr(node: bytes32) -> address:
    return self.addrs[node]
"""

OWNER = Web3.to_checksum_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")


def _compile(source: str) -> dict[str, Any]:
    vyper = pytest.importorskip("vyper")
    return vyper.compile_code(source, output_formats=["abi", "bytecode", "bytecode_runtime"])  # type: ignore[no-any-return]


def _deploy(w3: Web3, artifact: dict[str, Any]) -> Any:
    factory = w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    receipt = w3.eth.wait_for_transaction_receipt(
        factory.constructor().transact({"from": w3.eth.accounts[0]})
    )
    return w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])


def _wait(w3: Web3, call: Any) -> None:
    w3.eth.wait_for_transaction_receipt(call.transact({"from": w3.eth.accounts[0]}))


def test_a_name_resolves_through_the_registry_and_its_resolver(anvil: Anvil) -> None:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    registry_art, resolver_art = _compile(REGISTRY), _compile(RESOLVER)
    anvil.rpc("anvil_setCode", ens.ENS_REGISTRY, registry_art["bytecode_runtime"])
    registry = w3.eth.contract(
        address=Web3.to_checksum_address(ens.ENS_REGISTRY), abi=registry_art["abi"]
    )
    resolver = _deploy(w3, resolver_art)
    node = ens.namehash("alice.eth")
    _wait(w3, registry.functions.setResolver(node, resolver.address))
    _wait(w3, resolver.functions.setAddr(node, OWNER))
    _wait(w3, registry.functions.setResolver(ens.namehash("empty.eth"), resolver.address))

    client = ChainClient.connect(anvil.url, anvil.chain_id, name="anvil", timeout=5)
    assert ens.resolve(client, "alice.eth") == OWNER
    assert ens.resolve(client, "  Alice.ETH ") == OWNER  # normalised before hashing
    with pytest.raises(InvalidInput, match="not registered"):
        ens.resolve(client, "bob.eth")
    with pytest.raises(InvalidInput, match="points to no address"):
        ens.resolve(client, "empty.eth")
    with pytest.raises(InvalidInput, match="not a valid ENS name"):
        ens.resolve(client, "alice..eth")

    other = _deploy(w3, registry_art)  # a registry elsewhere (another network's)
    _wait(w3, other.functions.setResolver(node, resolver.address))
    assert ens.resolve(client, "alice.eth", registry=other.address) == OWNER


def test_namehash_matches_eip_137() -> None:
    assert ens.namehash("") == b"\x00" * 32
    assert ens.namehash("eth").hex() == (
        "93cdeb708b7545dc668eb9280176169d1c33cfd8ed6f04690a0bcc88a93fc4ae"
    )
    assert ens.namehash("foo.eth").hex() == (
        "de9b09fd7c5f901e23a3f19fecc54828e9c848539801e86591bd9801b019f84f"
    )
    assert ens.looks_like_name("vitalik.eth") and not ens.looks_like_name("0xabc.def")


def test_send_to_an_ens_name_resolves_it_on_the_chosen_network(
    anvil: Anvil, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``warden send alice.eth``: a real store under WARDEN_HOME, the real review."""
    import io
    import sys

    from tests.support.anvil import ANVIL_PHRASE
    from warden.cli import main

    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", "a long password")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(sys, "stdin", io.StringIO(ANVIL_PHRASE + "\n"))
    assert main(["init", "--import-phrase", "--name", "Main"]) == 0
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    registry_art, resolver_art = _compile(REGISTRY), _compile(RESOLVER)
    anvil.rpc("anvil_setCode", ens.ENS_REGISTRY, registry_art["bytecode_runtime"])
    registry = w3.eth.contract(
        address=Web3.to_checksum_address(ens.ENS_REGISTRY), abi=registry_art["abi"]
    )
    resolver = _deploy(w3, resolver_art)
    node = ens.namehash("alice.eth")
    _wait(w3, registry.functions.setResolver(node, resolver.address))
    _wait(w3, resolver.functions.setAddr(node, OWNER))
    capsys.readouterr()

    before = w3.eth.get_balance(OWNER)
    code = main(["send", "Alice.eth", "0.25", "--network", "Local", "--yes", "--wait", "10"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"alice.eth is {OWNER}" in out
    assert w3.eth.get_balance(OWNER) - before == 25 * 10**16
    assert main(["send", "nobody.eth", "0.25", "--network", "Local", "--yes"]) == 2
    assert "not registered" in capsys.readouterr().err
