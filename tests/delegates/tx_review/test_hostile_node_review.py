"""The transaction review against a lying node: what the node says can only raise a verdict.

The node is a real HTTP server on 127.0.0.1 (tests/support/hostile_rpc.py) in front of a real
anvil node; it lies about the methods a test names (the sender's balance, eth_simulateV1) and
passes everything else to anvil. The store is a real encrypted database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_abi import encode

from app.store import open_throwaway
from app.store.schema import Contact, Transfer
from app.wallet.chain import ChainClient
from delegates.tx_review import make_reviewer
from delegates.tx_review.facts import NATIVE
from tests.support.anvil import Anvil, start_anvil, stop_anvil
from tests.support.hostile_rpc import HostileNode, drip, hostile_node, patch, result

pytestmark = pytest.mark.anvil

CHAIN = 31337
ETH = 10**18
HUGE_HEX = "0x" + "f" * 100_000


@pytest.fixture(scope="module")
def real() -> Iterator[Anvil]:
    node = start_anvil()
    try:
        yield node
    finally:
        stop_anvil(node)


@pytest.fixture(scope="module")
def token(real: Anvil) -> str:
    from web3 import HTTPProvider, Web3

    from tests.support.erc20 import deploy_token

    w3 = Web3(HTTPProvider(real.url))
    return deploy_token(w3, w3.eth.accounts[0], "Demo Token", "DEMO", 18, 1_000_000 * ETH)


@pytest.fixture
def world(real: Anvil, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """anvil's account 0 is the user; account 1 is a saved contact it has paid before."""
    user = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    friend = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    db = open_throwaway(tmp_path)
    with db.session() as s:
        s.add(Contact(address=friend, name="Friend"))
        s.add(
            Transfer(
                chain_id=CHAIN,
                account=user,
                tx_hash="0x01",
                direction="out",
                sender=user,
                recipient=friend,
                token=None,
                amount="1",
            )
        )
    with hostile_node(real.url) as node:
        client = ChainClient.connect(node.url, CHAIN, name="Hostile", timeout=5)
        yield {
            "node": node,
            "user": user,
            "friend": friend,
            "db": db,
            "reviewer": make_reviewer(client, db, chain_id=CHAIN),
            "client": client,
        }


def _send(world: dict[str, Any], to: str, value: int = 0, data: str = "0x") -> dict[str, Any]:
    return {
        "method": "eth_sendTransaction",
        "chain_id": CHAIN,
        "origin": None,
        "from": world["user"],
        "params": {"to": to, "value": hex(value), "data": data},
    }


def _transfer_data(to: str, units: int) -> str:
    return "0xa9059cbb" + encode(["address", "uint256"], [to, units]).hex()


# --- the balance ---------------------------------------------------------------------------


def test_a_huge_reported_balance_does_not_make_a_9000_eth_send_safe(world) -> None:
    node: HostileNode = world["node"]
    node.answer("eth_getBalance", result(hex(10**27)))
    request = _send(world, world["friend"], 9_000 * ETH)
    assert world["reviewer"].gather_facts(request).balance(NATIVE) == 10**27  # the lie is read
    out = world["reviewer"].review(request)
    assert out.verdict == "caution", out.to_json()
    detail = next(f.detail for f in out.findings if f.code == "large_transfer")
    assert "9,000 ETH" in detail and "at least 10 ETH" in detail


@pytest.mark.parametrize("value", [HUGE_HEX, {"wei": 1}, None, "-0x5", 1.5], ids=repr)
def test_a_balance_that_is_no_number_stays_unknown(world, value: Any) -> None:
    world["node"].answer("eth_getBalance", result(value))
    request = _send(world, world["friend"], 9_000 * ETH)
    assert world["reviewer"].gather_facts(request).balance(NATIVE) is None
    out = world["reviewer"].review(request)
    assert "large_transfer" in out.codes and out.verdict == "caution"


def test_a_small_send_to_a_contact_stays_safe_whatever_the_balance(world) -> None:
    """The absolute threshold does not make every send large (the test above can fail)."""
    world["node"].answer("eth_getBalance", result(hex(10**27)))
    out = world["reviewer"].review(_send(world, world["friend"], ETH // 2))
    assert out.verdict == "safe", out.to_json()


# --- the simulation ------------------------------------------------------------------------


def test_an_honest_simulation_of_1_eth_matches(world) -> None:
    out = world["reviewer"].review(_send(world, world["friend"], ETH))
    assert out.simulation and out.simulation["method"] == "eth_simulateV1"
    assert out.simulation["mismatch"] == []
    assert out.verdict == "safe", out.to_json()
    assert "Simulated: you send 1 ETH" in out.summary


FAKE_NOTHING = [{"calls": [{"status": "0x1", "logs": [], "gasUsed": "0x5208", "returnData": "0x"}]}]


def test_a_faked_simulation_that_sends_nothing_is_a_caution(world) -> None:
    world["node"].answer("eth_simulateV1", result(FAKE_NOTHING))
    out = world["reviewer"].review(_send(world, world["friend"], ETH))
    assert out.verdict == "caution", out.to_json()
    finding = next(f for f in out.findings if f.code == "simulation_mismatch")
    assert finding.severity == "caution"
    assert "the transaction moves 1 ETH, the simulation nothing" in finding.detail
    assert "you send nothing" not in out.summary
    assert "simulation does not match the transaction" in out.summary


def _shrink_amounts(sim: Any) -> Any:
    """The real simulation with every transferred amount cut to 1 base unit."""
    for call in sim[0]["calls"]:
        for log in call.get("logs") or []:
            log["data"] = "0x" + "00" * 31 + "01"
    return sim


def test_a_simulation_that_shrinks_the_value_sent_is_a_caution(world) -> None:
    world["node"].answer("eth_simulateV1", patch(_shrink_amounts))
    out = world["reviewer"].review(_send(world, world["friend"], ETH))
    assert "simulation_mismatch" in out.codes and out.verdict == "caution"


def test_a_simulation_that_shrinks_a_token_transfer_is_a_caution(world, token: str) -> None:
    request = _send(world, token, data=_transfer_data(world["friend"], 100 * ETH))
    honest = world["reviewer"].review(request)
    assert "simulation_mismatch" not in honest.codes, honest.to_json()
    assert "100 DEMO" in honest.summary
    world["node"].answer("eth_simulateV1", patch(_shrink_amounts))
    out = world["reviewer"].review(request)
    detail = next(f.detail for f in out.findings if f.code == "simulation_mismatch")
    assert "moves 100 DEMO" in detail
    assert out.verdict != "safe"


@pytest.mark.parametrize(
    "answer",
    [
        "nonsense",
        [{"calls": "none"}],
        [{"calls": [{"status": "0x1", "logs": [{"topics": ["0x" + "f" * 100_000]}]}]}],
        [[[[[]]]]],
    ],
    ids=["text", "calls-text", "huge-topic", "nested"],
)
def test_a_malformed_simulation_leaves_a_review_that_is_not_safe(world, answer: Any) -> None:
    world["node"].answer("eth_simulateV1", result(answer))
    world["node"].answer("debug_traceCall", result(answer))
    out = world["reviewer"].review(_send(world, world["friend"], ETH))
    assert out.verdict != "safe" or out.simulation is None, out.to_json()
    assert "you send nothing" not in out.summary


# --- time ----------------------------------------------------------------------------------


@pytest.mark.timeout(180)  # without deadlines the drips below would hold the review for minutes
def test_a_dripping_node_cannot_hold_the_review(world, real: Anvil) -> None:
    node: HostileNode = world["node"]
    client = ChainClient.connect(node.url, CHAIN, name="Slow", timeout=1)
    reviewer = make_reviewer(client, world["db"], chain_id=CHAIN, facts_budget_s=2)
    for method in ("eth_getCode", "eth_call", "eth_getBalance", "eth_simulateV1"):
        node.answer(method, drip("0x", every_s=0.25))
    out = reviewer.review(_send(world, world["friend"], 9_000 * ETH))
    # nothing could be read: the balance is unknown and the absolute threshold still holds
    assert "large_transfer" in out.codes and out.verdict != "safe"
