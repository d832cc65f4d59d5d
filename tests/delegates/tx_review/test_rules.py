"""Rule-level checks of the spec's severity rows and precise meanings."""

from __future__ import annotations

import copy
import json

import pytest
from eth_abi import encode

from delegates.tx_review import review_case, review_request
from delegates.tx_review.decode import decode_request
from delegates.tx_review.facts import Facts
from tests.delegates.tx_review.conftest import OWN_CASES, SHARED_CASES, load_cases

CASES = load_cases(SHARED_CASES) + load_cases(OWN_CASES)
BY_ID = {c["id"]: c for c in CASES}
USER = "0x1111111111111111111111111111111111111111"
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
ROUTER = "0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad"
NOW = 1748736000


def _named(case: dict) -> list[str]:
    dec = decode_request(case["request"], Facts.from_dict(case["facts"]))
    return [a for a, _ in dec.mentioned]


NAMING = [c for c in CASES if _named(c)]


@pytest.mark.parametrize("case", NAMING, ids=[c["id"] for c in NAMING])
def test_blocklisting_every_named_address_makes_it_danger(case: dict) -> None:
    """Monotonic: adding what the request names to the blocklist never lowers the verdict."""
    named = _named(case)
    worse = copy.deepcopy(case)
    worse["facts"]["blocklist"] = named
    out = review_case(worse)
    assert out.verdict == "danger" and "blocklisted_address" in out.codes


def _approve(amount: int, spender_facts: dict, balance: int = 2000 * 10**6) -> tuple[str, str]:
    spender = "0x" + "5a" * 20
    data = "0x095ea7b3" + encode(["address", "uint256"], [spender, amount]).hex()
    req = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "origin": None,
        "from": USER,
        "params": {"to": USDC, "value": "0x0", "data": data},
    }
    facts = {
        "accounts": {
            spender: spender_facts,
            USDC: {"is_contract": True, "age_days": 900, "verified_source": True},
        },
        "tokens": {USDC: {"standard": "erc20", "symbol": "USDC", "decimals": 6}},
        "balances": {USDC: hex(balance)},
        "past_counterparties": [USDC],
    }
    out = review_request(req, facts)
    sev = {f.code: f.severity for f in out.findings}
    return out.verdict, sev.get("approval_to_new_contract", "")


@pytest.mark.parametrize(
    ("amount", "spender", "expected"),
    [
        (10**6, {"is_contract": True, "age_days": 3, "verified_source": True}, "caution"),
        (10**6, {"is_contract": True, "age_days": 3, "verified_source": False}, "danger"),
        (10**6, {"is_contract": True, "age_days": 300, "verified_source": False}, "danger"),
        (10**6, {"is_contract": True, "age_days": 3}, "danger"),  # verification unknown
        (3000 * 10**6, {"is_contract": True, "age_days": 3, "verified_source": True}, "danger"),
        (2**256 - 1, {"is_contract": True, "age_days": 3, "verified_source": True}, "danger"),
        (10**6, {"is_contract": True, "age_days": 300, "verified_source": True}, ""),
    ],
)
def test_new_contract_severity_row(amount: int, spender: dict, expected: str) -> None:
    verdict, severity = _approve(amount, spender)
    assert severity == expected
    if expected:
        assert verdict == "danger" if expected == "danger" else verdict in ("caution", "danger")


def _permit(**changes) -> dict:
    case = copy.deepcopy(BY_ID["permit-routine-info"])
    for key, value in changes.items():
        if key == "origin":
            case["request"]["origin"] = value
        elif key in ("deadline", "value", "spender"):
            case["request"]["params"]["message"][key] = value
        else:
            case["facts"][key] = value
    return case


@pytest.mark.parametrize(
    "change",
    [
        {"deadline": str(NOW + 2 * 86400)},
        {"value": str(5000 * 10**6)},
        {"origin": "https://other.example"},
        {"past_counterparties": [USDC]},
        {"balances": {}},
    ],
    ids=["deadline", "over-balance", "untrusted-origin", "spender-unused", "balance-unknown"],
)
def test_permit_is_info_only_when_every_condition_holds(change: dict) -> None:
    routine = review_case(_permit())
    assert routine.verdict == "safe" and routine.findings[0].severity == "info"
    out = review_case(_permit(**change))
    assert out.verdict == "caution"
    assert {f.code: f.severity for f in out.findings}["permit_signature"] == "caution"


def test_permit_null_origin_is_allowed() -> None:
    assert review_case(_permit(origin=None)).verdict == "safe"


def _listing(consideration: list[dict], tokens: dict | None = None) -> dict:
    case = copy.deepcopy(BY_ID["seaport-underpriced-listing"])
    case["request"]["params"]["message"]["consideration"] = consideration
    if tokens:
        case["facts"]["tokens"].update(tokens)
    return case


def _pay(token: str, amount: int, recipient: str = USER, item_type: int = 1) -> dict:
    return {
        "itemType": item_type,
        "token": token,
        "identifierOrCriteria": "0",
        "startAmount": str(amount),
        "endAmount": str(amount),
        "recipient": recipient,
    }


def test_listing_paid_in_a_worthless_token() -> None:
    junk = "0x" + "77" * 20
    out = review_case(
        _listing(
            [_pay(junk, 10**24)],
            {junk: {"standard": "erc20", "symbol": "USDC", "decimals": 18, "price_usd": 0.0}},
        )
    )
    assert "marketplace_listing_signature" in out.codes and out.verdict == "danger"


def test_listing_with_unknown_price_is_caution() -> None:
    junk = "0x" + "78" * 20
    out = review_case(_listing([_pay(junk, 10**24)]))
    assert out.codes == ("unpriced_order",) and out.verdict == "caution"


def test_fair_listing_is_safe() -> None:
    out = review_case(_listing([_pay("0x" + "0" * 40, 12 * 10**18, item_type=0)]))
    assert out.verdict == "safe", out.to_json()


def test_siwe_chain_mismatch() -> None:
    case = copy.deepcopy(BY_ID["siwe-matching-origin"])
    msg = case["request"]["params"]["message"]
    case["request"]["params"]["message"] = msg.replace("Chain ID: 1", "Chain ID: 56")
    assert "chain_mismatch" in review_case(case).codes


def test_poisoning_of_the_users_own_address() -> None:
    fake = USER[:8] + "9" * 28 + USER[-6:]
    req = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": USER,
        "params": {"to": fake, "value": hex(10**15)},
    }
    assert "address_poisoning" in review_request(req, {}).codes


def test_large_swap_counts_as_large_transfer() -> None:
    case = json.loads((SHARED_CASES / "ur-v2-swap-polygon-01.json").read_text())
    case["facts"]["balances"]["0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359"] = hex(60 * 10**6)
    assert "large_transfer" in review_case(case).codes


def test_large_transfer_never_for_signatures() -> None:
    case = copy.deepcopy(BY_ID["permit-routine-info"])
    case["facts"]["balances"] = {"native": "0x0"}
    assert "large_transfer" not in review_case(case).codes


def test_unverified_unknown_selector_vs_verified() -> None:
    req = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": USER,
        "params": {"to": ROUTER, "data": "0xdeadbeef" + "00" * 32},
    }
    facts = {
        "accounts": {ROUTER: {"is_contract": True, "age_days": 900, "verified_source": True}},
        "past_counterparties": [ROUTER],
    }
    assert review_request(req, facts).verdict == "safe"
    facts["accounts"][ROUTER]["verified_source"] = False
    assert review_request(req, facts).codes == ("unknown_contract_call",)


def test_sending_to_oneself_is_not_a_large_transfer() -> None:
    req = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": USER,
        "params": {"to": USER, "value": hex(9 * 10**17)},
    }
    assert review_request(req, {"balances": {"native": hex(10**18)}}).verdict == "safe"
