"""Property-based tests and a mutation fuzzer: never raises, always a verdict, and input
that cannot be decoded is never ``safe``."""

from __future__ import annotations

import copy
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delegates.tx_review import review_case, review_request
from delegates.tx_review.decode import decode_request
from delegates.tx_review.facts import Facts
from tests.delegates.tx_review.conftest import OWN_CASES, SHARED_CASES, load_cases

CASES = load_cases(SHARED_CASES) + load_cases(OWN_CASES)
METHODS = ["eth_sendTransaction", "eth_signTypedData_v4", "personal_sign", "eth_sign", "x"]
VERDICTS = {"safe", "caution", "danger"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def _check(request: object, facts: object) -> None:
    outcome = review_request(request, facts)  # type: ignore[arg-type]
    assert outcome.verdict in VERDICTS
    assert isinstance(outcome.summary, str) and outcome.summary
    if isinstance(request, dict) and outcome.verdict == "safe":
        assert not decode_request(request, Facts.from_dict(facts)).undecoded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(METHODS),
    params=json_values,
    facts=json_values,
    origin=st.none() | st.text(max_size=40),
)
def test_random_requests_never_raise(method, params, facts, origin) -> None:
    _check(
        {
            "method": method,
            "chain_id": 1,
            "origin": origin,
            "from": "0x" + "11" * 20,
            "params": params,
        },
        facts,
    )


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300), value=st.integers(min_value=0, max_value=2**256))
def test_random_calldata_to_an_unknown_contract_is_never_safe(data: bytes, value: int) -> None:
    req = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "origin": None,
        "from": "0x" + "11" * 20,
        "params": {"to": "0x" + "cd" * 20, "value": hex(value), "data": "0x" + data.hex()},
    }
    out = review_request(req, {})
    assert out.verdict in VERDICTS
    if data or value:  # an unknown address is a first interaction at the least
        assert out.verdict != "safe"


@settings(max_examples=100, deadline=None)
@given(amount=st.integers(min_value=2**255, max_value=2**256 - 1))
def test_huge_allowances_are_always_unlimited(amount: int) -> None:
    from eth_abi import encode

    data = "0x095ea7b3" + encode(["address", "uint256"], ["0x" + "bb" * 20, amount]).hex()
    req = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": "0x" + "11" * 20,
        "params": {"to": "0x" + "aa" * 20, "data": data},
    }
    assert "unlimited_approval" in review_request(req, {}).codes


def _mutate(rng: random.Random, case: dict) -> dict:
    c = copy.deepcopy(case)
    req = c["request"]
    params = req.get("params")
    choice = rng.randrange(7)
    if choice == 0 and isinstance(params, dict) and isinstance(params.get("data"), str):
        raw = bytearray.fromhex(params["data"][2:]) if len(params["data"]) > 2 else bytearray()
        for _ in range(rng.randint(1, 8)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        params["data"] = "0x" + raw.hex()
    elif choice == 1 and isinstance(params, dict) and isinstance(params.get("data"), str):
        params["data"] = params["data"][: rng.randrange(len(params["data"]) + 1)]
    elif choice == 2 and isinstance(params, dict) and params:
        params.pop(rng.choice(sorted(params)))
    elif choice == 3 and isinstance(params, dict) and isinstance(params.get("message"), dict):
        msg = params["message"]
        if msg:
            msg[rng.choice(sorted(msg))] = rng.choice([None, -1, "x", [], {}, 2**300, "0x"])
    elif choice == 4:
        req[rng.choice(["method", "chain_id", "from", "origin", "params"])] = rng.choice(
            [None, 0, "", [], {}, "0xzz"]
        )
    elif choice == 5:
        c["facts"] = rng.choice([None, [], {"accounts": []}, {"balances": {"native": "zz"}}])
    else:
        c = rng.choice([c, None, [], "text", {"request": "x"}])
    return c


def test_mutation_fuzzer() -> None:
    rng = random.Random(1234)
    for i in range(600):
        case = _mutate(rng, CASES[i % len(CASES)])
        outcome = review_case(case) if isinstance(case, dict) else review_request(case, {})  # type: ignore[arg-type]
        assert outcome.verdict in VERDICTS
        if isinstance(case, dict) and isinstance(case.get("request"), dict):
            dec = decode_request(case["request"], Facts.from_dict(case.get("facts")))
            if dec.undecoded:
                assert outcome.verdict != "safe", case
