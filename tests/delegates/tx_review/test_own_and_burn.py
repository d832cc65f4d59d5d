"""Rules for the user's own accounts and for burn addresses, from the facts alone (offline).
The same paths through a real node and store are in test_forged_counterparty.py."""

from __future__ import annotations

import copy

import pytest
from eth_abi import encode

from delegates.tx_review import review_case, review_request
from delegates.tx_review.rules import BURN_ADDRESSES
from tests.delegates.tx_review.conftest import OWN_CASES, SHARED_CASES, load_cases

USER = "0x1111111111111111111111111111111111111111"
COLD = "0x2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"  # the user's second account
# same first four and last four characters as COLD: a poisoner's vanity address
COLD_LOOKALIKE = "0x2a1b999999999999999999999999999999993c4d"
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
NFT = "0x60e4d786628fea6478f785a6d7e704777c86a7c6"
CASES = load_cases(SHARED_CASES) + load_cases(OWN_CASES)


def _send(to: str, value: int = 10**17, data: str = "0x", method: str = "eth_sendTransaction"):
    return {
        "method": method,
        "chain_id": 1,
        "origin": None,
        "from": USER,
        "params": {"to": to, "value": hex(value), "data": data},
    }


def _token_transfer(to: str, amount: int) -> dict:
    return _send(USDC, 0, "0xa9059cbb" + encode(["address", "uint256"], [to, amount]).hex())


FACTS = {
    "own_accounts": [COLD, USER],
    "tokens": {USDC: {"standard": "erc20", "symbol": "USDC", "decimals": 6}},
    "accounts": {USDC: {"is_contract": True, "age_days": 900, "verified_source": True}},
    "past_counterparties": [USDC],
    "balances": {"native": hex(10**19), USDC: hex(10**12)},
}


def test_a_send_to_an_own_account_is_info_not_first_interaction() -> None:
    for request in (_send(COLD), _send(COLD.upper().replace("0X", "0x")), _token_transfer(COLD, 5)):
        out = review_request(request, FACTS)
        assert out.codes == ("own_account",), out.codes
        assert out.findings[0].severity == "info"
        assert out.verdict == "safe"
    # without the fact, the same address is a stranger
    bare = {k: v for k, v in FACTS.items() if k != "own_accounts"}
    assert "first_interaction" in review_request(_send(COLD), bare).codes


def test_a_lookalike_of_an_own_account_is_poisoning() -> None:
    out = review_request(_send(COLD_LOOKALIKE), FACTS)
    assert {"address_poisoning", "first_interaction"} <= set(out.codes)
    assert out.verdict == "danger"
    assert (
        "your own account" in next(f for f in out.findings if f.code == "address_poisoning").detail
    )
    # once only, when it also imitates a past counterparty
    facts = {**FACTS, "past_counterparties": [USDC, COLD]}
    out = review_request(_send(COLD_LOOKALIKE), facts)
    assert out.codes.count("address_poisoning") == 1


def test_own_accounts_change_nothing_for_signatures() -> None:
    request = {
        "method": "personal_sign",
        "chain_id": 1,
        "origin": "https://app.uniswap.org",
        "from": USER,
        "params": {"message": "hello " + COLD},
    }
    assert "own_account" not in review_request(request, FACTS).codes


@pytest.mark.parametrize("burn", sorted(BURN_ADDRESSES))
def test_value_sent_to_a_burn_address_is_danger(burn: str) -> None:
    for request in (_send(burn, 1), _token_transfer(burn, 1)):
        out = review_request(request, FACTS)
        found = [f for f in out.findings if f.code == "burn_address"]
        assert len(found) == 1 and found[0].severity == "danger"
        assert out.verdict == "danger"
        assert "no one can ever take anything out" in found[0].detail


def test_burn_address_needs_value_and_a_transaction() -> None:
    zero = "0x0000000000000000000000000000000000000000"
    # nothing of value moves: no burn finding (other findings may still apply)
    assert "burn_address" not in review_request(_send(zero, 0), FACTS).codes
    assert "burn_address" not in review_request(_token_transfer(zero, 0), FACTS).codes
    # an NFT sent to 0x…dEaD is burnt too
    dead = "0x000000000000000000000000000000000000dEaD"
    data = "0x42842e0e" + encode(["address", "address", "uint256"], [USER, dead, 7]).hex()
    facts = copy.deepcopy(FACTS)
    facts["tokens"][NFT] = {"standard": "erc721", "symbol": "MAYC", "decimals": 0}
    out = review_request(_send(NFT, 0, data), facts)
    assert "burn_address" in out.codes and out.verdict == "danger"


def test_burn_address_in_a_case_file_cannot_be_lowered_by_the_facts() -> None:
    """Listing a burn address as a contact, a past counterparty and an own account does not
    lift the danger: it comes from the address itself."""
    dead = "0x000000000000000000000000000000000000dead"
    facts = {**FACTS, "address_book": [dead], "past_counterparties": [dead, USDC]}
    facts["own_accounts"] = [dead]
    out = review_request(_send(dead, 10**18), facts)
    assert "burn_address" in out.codes and out.verdict == "danger"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_cases_without_own_accounts_raise_no_own_account(case: dict) -> None:
    assert "own_account" not in review_case(case).codes
