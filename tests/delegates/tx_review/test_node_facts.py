"""Facts and simulation from a real anvil node and a real encrypted store."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_abi import encode

from app.store import open_throwaway
from app.store.schema import BlocklistEntry, Contact, ContractFacts, Transfer, TrustedOrigin
from delegates.tx_review import make_reviewer
from tests.support.anvil import anvil  # noqa: F401  (fixture)

pytestmark = pytest.mark.anvil

# init code that deploys a one-byte runtime (STOP): it accepts any call and any value
# and gives nothing back, like a fake swap.
SINK_INIT = "0x6001600c60003960016000f300"


def _web3(url: str):
    from web3 import HTTPProvider, Web3

    return Web3(HTTPProvider(url))


def _deploy_raw(w3, sender: str, code: str) -> str:
    tx = w3.eth.send_transaction({"from": sender, "data": code})
    return str(w3.eth.wait_for_transaction_receipt(tx)["contractAddress"])


@pytest.fixture
def world(anvil, tmp_path: Path):  # noqa: F811
    from tests.support.erc20 import deploy_token

    w3 = _web3(anvil.url)
    user, friend, stranger = w3.eth.accounts[:3]
    anvil.mine(5)  # so that the contracts are not created at block 0
    token = deploy_token(w3, user, "Demo Token", "DEMO", 18, 1_000_000 * 10**18)
    created = int(w3.eth.block_number)
    anvil.mine(3)
    sink = _deploy_raw(w3, user, SINK_INIT)
    db = open_throwaway(tmp_path)
    with db.session() as s:
        s.add(Contact(address=friend, name="Friend"))
        s.add(BlocklistEntry(address="0x000000000000000000000000000000000000dEaD", reason="test"))
        s.add(TrustedOrigin(origin="https://app.uniswap.org"))
        s.add(
            Transfer(
                chain_id=31337,
                account=user,
                tx_hash="0x01",
                direction="out",
                sender=user,
                recipient=friend,
                token=None,
                amount="1",
            )
        )
        s.add(
            Transfer(
                chain_id=31337,
                account=user,
                tx_hash="0x02",
                direction="in",
                sender=stranger,
                recipient=user,
                token=None,
                amount="0",
            )
        )
    reviewer = make_reviewer(w3, db, chain_id=31337)
    return {
        "w3": w3,
        "user": user,
        "friend": friend,
        "stranger": stranger,
        "token": token,
        "created": created,
        "sink": sink,
        "db": db,
        "reviewer": reviewer,
    }


def _tx(world, to: str, data: str = "0x", value: int = 0, origin=None) -> dict:
    return {
        "method": "eth_sendTransaction",
        "chain_id": 31337,
        "origin": origin,
        "from": world["user"],
        "params": {"to": to, "value": hex(value), "data": data},
    }


def test_facts_from_node_and_store(world) -> None:
    r = world["reviewer"]
    data = (
        "0xa9059cbb" + encode(["address", "uint256"], [world["stranger"], 600_000 * 10**18]).hex()
    )
    request = _tx(world, world["token"], data)
    facts = r.gather_facts(request)
    tok = facts.token(world["token"])
    assert (tok.standard, tok.symbol, tok.decimals) == ("erc20", "DEMO", 18)
    assert facts.account(world["token"]).is_contract is True
    assert facts.account(world["token"]).age_days is not None
    assert facts.account(world["stranger"]).is_contract is False
    assert facts.balance(world["token"]) == 1_000_000 * 10**18
    assert world["friend"].lower() in facts.past_counterparties
    # an incoming transfer (how poisoners seed a history) is not a past counterparty
    assert world["stranger"].lower() not in facts.past_counterparties
    assert world["friend"].lower() in facts.address_book
    with world["db"].session() as s:
        row = s.get(ContractFacts, (31337, world["token"]))
        assert row is not None and row.creation_block == world["created"]


def test_creation_block_binary_search(world) -> None:
    r = world["reviewer"]
    latest = int(world["w3"].eth.block_number)
    assert r.creation_block(world["token"], latest) == world["created"]
    assert r.creation_block(world["stranger"], latest) is None


def test_review_with_simulation(world) -> None:
    r = world["reviewer"]
    data = (
        "0xa9059cbb" + encode(["address", "uint256"], [world["stranger"], 600_000 * 10**18]).hex()
    )
    out = r.review(_tx(world, world["token"], data))
    assert {"large_transfer", "first_interaction"} <= set(out.codes)
    assert out.simulation and out.simulation["method"] == "eth_simulateV1"
    sent = out.simulation["assets_out"]
    assert sent and sent[0]["asset"] == world["token"].lower()
    assert sent[0]["amount"] == 600_000 * 10**18
    assert "600,000 DEMO" in out.summary and "Simulated" in out.summary


def test_approval_to_new_contract_and_eoa(world) -> None:
    r = world["reviewer"]
    data = "0x095ea7b3" + encode(["address", "uint256"], [world["stranger"], 10**18]).hex()
    assert "approval_to_eoa" in r.review(_tx(world, world["token"], data)).codes
    data = "0x095ea7b3" + encode(["address", "uint256"], [world["sink"], 10**18]).hex()
    out = r.review(_tx(world, world["token"], data))
    # the spender is a minutes-old contract whose source nobody verified
    assert "approval_to_new_contract" in out.codes and out.verdict == "danger"


def test_swap_that_returns_nothing(world) -> None:
    r = world["reviewer"]
    body = encode(
        ["uint256", "address[]", "address", "uint256"],
        [1, [world["token"], world["token"]], world["user"], 2**40],
    ).hex()
    out = r.review(_tx(world, world["sink"], "0x7ff36ab5" + body, value=10**18))
    assert "no_assets_returned" in out.codes and out.verdict == "danger"


def test_blocklist_from_store(world) -> None:
    out = world["reviewer"].review(
        _tx(world, "0x000000000000000000000000000000000000dEaD", value=1)
    )
    assert "blocklisted_address" in out.codes and out.verdict == "danger"


def test_fallback_to_trace_call_when_simulate_v1_is_missing(world) -> None:
    """The node's eth_simulateV1 is hidden by a wrapper to reach the debug_traceCall path."""
    from delegates.tx_review.simulate import simulate

    real = world["reviewer"].rpc

    def rpc(method, params):
        if method == "eth_simulateV1":
            raise RuntimeError("method not found")
        return real(method, params)

    sim = simulate(rpc, _tx(world, world["friend"], value=10**18))
    assert sim and sim["method"] == "debug_traceCall" and sim["ok"]
    assert sim["assets_out"][0]["amount"] == 10**18


def test_dead_node_leaves_facts_unknown(tmp_path: Path) -> None:
    from tests.support.anvil import free_port

    w3 = _web3(f"http://127.0.0.1:{free_port()}")
    out = make_reviewer(w3, None, chain_id=1).review(
        {
            "method": "eth_sendTransaction",
            "chain_id": 1,
            "from": "0x" + "11" * 20,
            "params": {
                "to": "0x" + "22" * 20,
                "data": "0x095ea7b3" + encode(["address", "uint256"], ["0x" + "33" * 20, 5]).hex(),
            },
        }
    )
    # nothing could be learned about the spender: unknown is not safe
    assert "approval_to_new_contract" in out.codes and out.verdict == "danger"


PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3"


def test_known_verified_contract_is_verified_only_where_it_has_code(world) -> None:
    """Permit2's address is on the bundled list: verified once it has code, unknown before."""
    w3, r = world["w3"], world["reviewer"]
    approve_permit2 = "0x095ea7b3" + encode(["address", "uint256"], [PERMIT2, 5]).hex()
    request = _tx(world, world["token"], approve_permit2)
    before = r.gather_facts(request).account(PERMIT2)
    assert before.is_contract is False and before.verified_source is None
    w3.provider.make_request("anvil_setCode", [PERMIT2, "0x00"])
    after = r.gather_facts(request).account(PERMIT2)
    assert after.is_contract is True
    assert after.verified_source is True
    assert after.label == "Uniswap Permit2"
    # a contract that is not on the list stays unverified-unknown
    assert r.gather_facts(request).account(world["token"]).verified_source is None
