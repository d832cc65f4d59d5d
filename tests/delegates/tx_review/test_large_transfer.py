"""large_transfer: more than half the balance (the spec), or at least an absolute amount of the
native coin, so that a balance reported by the node can only add the finding. And the pure
check of a simulation against the transaction it simulates."""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi import encode

from delegates.tx_review import review_case
from delegates.tx_review.facts import NATIVE, Facts
from delegates.tx_review.review import review_request
from delegates.tx_review.simulate import contradictions, describe_changes
from tests.delegates.tx_review.conftest import SHARED_CASES, load_cases

ETH = 10**18
USER = "0x2529e0b73280472f592f6f936c8850a52d86eca4"
MOM = "0x2a1e35b3fcd007494427b1c3e69f07dada527923"
TOKEN = "0x" + "70" * 20


def _case(value: int, balance: Any, **facts: Any) -> dict[str, Any]:
    base = next(c for c in load_cases(SHARED_CASES) if c["id"] == "large-pol-to-contact-01")
    params = dict(base["request"]["params"], value=hex(value))
    return {
        "id": "large",
        "request": dict(base["request"], params=params),
        "facts": dict(base["facts"], balances={"native": balance}, **facts),
    }


def _codes(case: dict[str, Any]) -> set[str]:
    return set(review_case(case).codes)


def test_the_spec_case_keeps_its_share_of_balance_reason() -> None:
    case = next(c for c in load_cases(SHARED_CASES) if c["id"] == "large-pol-to-contact-01")
    out = review_case(case)
    assert out.verdict == "caution"
    detail = next(f.detail for f in out.findings if f.code == "large_transfer")
    assert "75% of your balance" in detail


@pytest.mark.parametrize("balance", [hex(10**27), hex(2**255), None, "nonsense"], ids=repr)
def test_9000_eth_is_large_whatever_the_balance(balance: Any) -> None:
    out = review_case(_case(9_000 * ETH, balance))
    assert out.verdict == "caution", out.to_json()
    detail = next(f.detail for f in out.findings if f.code == "large_transfer")
    assert "at least 10 ETH" in detail


def test_below_the_threshold_a_huge_balance_leaves_a_send_to_mom_safe() -> None:
    out = review_case(_case(ETH // 2, hex(10**27)))
    assert out.verdict == "safe", out.to_json()


def test_the_threshold_is_inclusive() -> None:
    assert "large_transfer" in _codes(_case(10 * ETH, hex(10**27)))
    assert "large_transfer" not in _codes(_case(10 * ETH - 1, hex(10**27)))


def test_the_threshold_is_configurable_in_base_units() -> None:
    case = _case(2 * ETH, hex(10**27), large_native=hex(ETH))
    detail = next(f.detail for f in review_case(case).findings if f.code == "large_transfer")
    assert "at least 1 ETH" in detail
    assert "large_transfer" not in _codes(_case(2 * ETH, hex(10**27), large_native=hex(5 * ETH)))


def test_the_default_follows_the_native_coin() -> None:
    pol = {"native_symbol": "POL"}
    assert "large_transfer" not in _codes(_case(1_500 * ETH, hex(10**27), **pol))
    assert "large_transfer" in _codes(_case(100_000 * ETH, hex(10**27), **pol))
    # a coin Warden does not know is judged like ETH: at worst one caution too many
    assert "large_transfer" in _codes(_case(10 * ETH, hex(10**27), native_symbol="XYZ"))


def test_both_reasons_in_one_finding() -> None:
    out = review_case(_case(20 * ETH, hex(30 * ETH)))
    found = [f for f in out.findings if f.code == "large_transfer"]
    assert len(found) == 1
    assert "67% of your balance" in found[0].detail and "at least 10 ETH" in found[0].detail


def test_the_node_reviewer_turns_whole_coins_into_base_units() -> None:
    from delegates.tx_review.node_facts import NodeReviewer

    assert NodeReviewer(None, large_native="2.5").large_native == 25 * 10**17
    assert NodeReviewer(None, large_native="nan").large_native is None
    assert NodeReviewer(None, large_native=-1).large_native is None


# --- a simulation against its transaction ----------------------------------------------------


def _tx(value: int = 0, to: str = MOM, data: str = "0x") -> dict[str, Any]:
    return {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": USER,
        "params": {"to": to, "value": hex(value), "data": data},
    }


def _sim(*out: dict[str, Any], ok: bool = True) -> dict[str, Any]:
    return {"method": "eth_simulateV1", "ok": ok, "assets_out": list(out), "assets_in": []}


def _transfer(to: str, units: int) -> str:
    return "0xa9059cbb" + encode(["address", "uint256"], [to, units]).hex()


def _transfer_from(src: str, to: str, units: int) -> str:
    return "0x23b872dd" + encode(["address", "address", "uint256"], [src, to, units]).hex()


def test_a_matching_simulation_has_no_contradiction() -> None:
    assert contradictions(_sim({"asset": NATIVE, "amount": ETH}), _tx(ETH)) == []
    sim = _sim({"asset": TOKEN, "amount": 5})
    assert contradictions(sim, _tx(to=TOKEN, data=_transfer(MOM, 5))) == []
    nft = _sim({"asset": TOKEN, "amount": 1, "token_id": 77})
    assert contradictions(nft, _tx(to=TOKEN, data=_transfer_from(USER, MOM, 77))) == []


def test_contradictions_name_the_asset_and_both_amounts() -> None:
    assert contradictions(_sim(), _tx(ETH)) == [(NATIVE, ETH, 0)]
    assert contradictions(_sim({"asset": NATIVE, "amount": 5}), _tx()) == [(NATIVE, 0, 5)]
    sim = _sim({"asset": TOKEN, "amount": 1})
    assert contradictions(sim, _tx(to=TOKEN, data=_transfer(MOM, 5))) == [(TOKEN, 5, 1)]
    assert contradictions(_sim(), _tx(to=TOKEN, data=_transfer_from(USER, MOM, 9))) == [
        (TOKEN, 9, 0)
    ]


def test_what_does_not_leave_the_user_is_not_expected_to() -> None:
    assert contradictions(_sim(), _tx(ETH, to=USER)) == []  # to oneself
    other = "0x" + "99" * 20
    assert contradictions(_sim(), _tx(to=TOKEN, data=_transfer_from(other, MOM, 9))) == []
    assert contradictions(_sim(ok=False), _tx(ETH)) == []  # a revert moves nothing


def test_a_contradicted_simulation_is_a_caution_and_not_summarised() -> None:
    known = {"address_book": [MOM], "past_counterparties": [MOM]}
    honest = review_request(_tx(ETH), known, simulation=_sim({"asset": NATIVE, "amount": ETH}))
    assert honest.verdict == "safe", honest.to_json()
    # the finding is computed from the request, whether or not simulate() marked the result
    for sim in (_sim(), dict(_sim(), mismatch=[[NATIVE, ETH, 0]])):
        out = review_request(_tx(ETH), known, simulation=sim)
        assert out.verdict == "caution"
        assert [f.severity for f in out.findings if f.code == "simulation_mismatch"] == ["caution"]
    assert "you send nothing" not in out.summary
    assert describe_changes(sim, Facts()).startswith("The node's simulation does not match")
