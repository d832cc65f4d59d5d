"""Decoders read real ABI-encoded calldata (encoded here with eth_abi) and typed data."""

from __future__ import annotations

import json

import pytest
from eth_abi import encode
from eth_utils import keccak

from delegates.tx_review.decode import decode_request
from delegates.tx_review.decode.calldata import KNOWN
from delegates.tx_review.decode.selectors import lookup, table
from delegates.tx_review.facts import Facts
from tests.delegates.tx_review.conftest import SHARED_CASES

USER = "0x" + "11" * 20
TOKEN = "0x" + "aa" * 20
SPENDER = "0x" + "bb" * 20


def _tx(data: str, to: str = TOKEN, value: int = 0) -> dict:
    return {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": USER,
        "params": {"to": to, "value": hex(value), "data": data},
    }


def _data(selector: str, types: list[str], args: list) -> str:
    return "0x" + selector + encode(types, args).hex()


@pytest.mark.parametrize("selector", sorted(KNOWN))
def test_known_selectors_match_their_signatures(selector: str) -> None:
    assert keccak(text=KNOWN[selector][0])[:4].hex() == selector


def test_bundled_table_is_consistent() -> None:
    t = table()
    assert len(t) > 100
    for selector, signature in t.items():
        assert keccak(text=signature)[:4].hex() == selector, signature
    assert (
        lookup("0x38ed1739")
        == "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)"
    )
    assert lookup("656afdee") is None


def test_erc20_approve_and_transfer() -> None:
    dec = decode_request(_tx(_data("095ea7b3", ["address", "uint256"], [SPENDER, 5])), Facts())
    a = dec.approvals[0]
    assert (a.token, a.spender, a.amount, a.kind, a.signature) == (
        TOKEN,
        SPENDER,
        5,
        "erc20",
        False,
    )
    dec = decode_request(_tx(_data("a9059cbb", ["address", "uint256"], [SPENDER, 7])), Facts())
    t = dec.transfers[0]
    assert (t.asset, t.recipient, t.amount) == (TOKEN, SPENDER, 7)


def test_erc721_transfer_from_uses_token_id() -> None:
    facts = Facts.from_dict({"tokens": {TOKEN: {"standard": "erc721"}}})
    data = _data("23b872dd", ["address", "address", "uint256"], [USER, SPENDER, 42])
    t = decode_request(_tx(data), facts).transfers[0]
    assert (t.amount, t.token_id, t.standard) == (1, 42, "erc721")
    approve = decode_request(_tx(_data("095ea7b3", ["address", "uint256"], [SPENDER, 42])), facts)
    assert approve.approvals[0].kind == "erc721" and approve.approvals[0].token_id == 42


def test_erc1155_batch() -> None:
    data = _data(
        "2eb2c2d6",
        ["address", "address", "uint256[]", "uint256[]", "bytes"],
        [USER, SPENDER, [1, 2], [3, 4], b""],
    )
    ts = decode_request(_tx(data), Facts()).transfers
    assert [(t.token_id, t.amount) for t in ts] == [(1, 3), (2, 4)]


def test_weth_and_permit_onchain() -> None:
    dec = decode_request(_tx("0xd0e30db0", value=10**18), Facts())
    assert dec.calls[0].decoded and dec.transfers[0].amount == 10**18
    data = _data(
        "d505accf",
        ["address", "address", "uint256", "uint256", "uint8", "bytes32", "bytes32"],
        [USER, SPENDER, 9, 100, 27, b"\x01" * 32, b"\x02" * 32],
    )
    a = decode_request(_tx(data), Facts()).approvals[0]
    assert (a.kind, a.amount, a.deadlines) == ("permit", 9, (100,))


def test_permit2_onchain_approve_and_revocation() -> None:
    data = _data(
        "87517c45", ["address", "address", "uint160", "uint48"], [TOKEN, SPENDER, 2**160 - 1, 0]
    )
    a = decode_request(
        _tx(data, to="0x000000000022d473030f116ddee9f6b43ac78ba3"), Facts()
    ).approvals[0]
    assert (a.token, a.spender, a.kind) == (TOKEN, SPENDER, "permit2")
    data = _data("87517c45", ["address", "address", "uint160", "uint48"], [TOKEN, SPENDER, 0, 0])
    dec = decode_request(_tx(data), Facts())
    assert not dec.approvals and dec.revocations


def test_nested_multicall_is_followed() -> None:
    inner = bytes.fromhex(_data("095ea7b3", ["address", "uint256"], [SPENDER, 1])[2:])
    outer = bytes.fromhex(_data("ac9650d8", ["bytes[]"], [[inner]])[2:])
    data = _data("5ae401dc", ["uint256", "bytes[]"], [0, [outer]])
    assert decode_request(_tx(data), Facts()).approvals[0].spender == SPENDER


def test_universal_router_finds_recipient_and_payment() -> None:
    case = json.loads((SHARED_CASES / "ur-v2-swap-polygon-01.json").read_text())
    req = case["request"]
    dec = decode_request(req, Facts.from_dict(case["facts"]))
    pay = [t for t in dec.transfers if t.from_user]
    assert (
        pay[0].asset == "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359" and pay[0].amount == 50 * 10**6
    )
    assert not [t for t in dec.transfers if not t.from_user]  # output goes to the user


def test_typed_data_kinds() -> None:
    case = json.loads((SHARED_CASES / "permit2-batch-drainer-lookalike-01.json").read_text())
    dec = decode_request(case["request"], Facts())
    assert dec.permit2_signature and len(dec.approvals) == 4
    assert all(a.kind == "permit2" and a.signature for a in dec.approvals)
    case = json.loads((SHARED_CASES / "seaport-fair-listing-bayc-01.json").read_text())
    dec = decode_request(case["request"], Facts())
    assert len(dec.orders) == 1 and len(dec.orders[0].consideration) == 2


def test_seaport_bulk_order_tree() -> None:
    case = json.loads((SHARED_CASES / "seaport-fair-listing-bayc-01.json").read_text())
    order = case["request"]["params"]["message"]
    req = dict(case["request"])
    req["params"] = {
        "primaryType": "BulkOrder",
        "domain": {"name": "Seaport", "chainId": 1},
        "types": {},
        "message": {"tree": [[order, order], [order, order]]},
    }
    assert len(decode_request(req, Facts()).orders) == 4


def test_personal_sign_kinds() -> None:
    def dec(msg: str):
        return decode_request({"method": "personal_sign", "params": {"message": msg}}, Facts())

    assert dec("0x" + "ab" * 32).blind
    assert dec("0x" + "ff" * 40).blind  # binary, not text
    assert not dec("Hello").blind and dec("Hello").message_text == "Hello"
    assert dec("0x" + b"Hello".hex()).message_text == "Hello"
    siwe = dec(
        "example.com wants you to sign in with your Ethereum account:\n"
        + USER
        + "\n\nURI: https://example.com\nVersion: 1\nChain ID: 5\nNonce: 1"
    )
    assert siwe.siwe_domain == "example.com" and siwe.signed_chain_ids == [5]


@pytest.mark.parametrize(
    "request_",
    [
        {"method": "eth_sendTransaction", "params": {"to": "0x12", "data": "0x"}},
        {"method": "eth_sendTransaction", "params": {"to": TOKEN, "data": "0xzz"}},
        {"method": "eth_sendTransaction", "params": "nonsense"},
        {"method": "eth_signTypedData_v4", "params": {"primaryType": "Permit"}},
        {
            "method": "eth_signTypedData_v4",
            "params": {"primaryType": "Permit", "message": {"spender": 5}},
        },
        {"method": "personal_sign", "params": {"message": 12}},
        {"method": "wallet_sendCalls", "params": {}},
    ],
)
def test_malformed_requests_are_recorded_not_raised(request_: dict) -> None:
    assert decode_request(request_, Facts()).undecoded


def test_typed_data_in_raw_eip1193_order_and_nft_permit() -> None:
    case = json.loads((SHARED_CASES / "chain-mismatch-permit-01.json").read_text())
    req = dict(case["request"])
    req["params"] = [req["from"], json.dumps(req["params"])]
    dec = decode_request(req, Facts())
    assert dec.permit_signature and dec.approvals[0].amount == 3000 * 10**6
    msg = {"spender": SPENDER, "tokenId": "7", "nonce": 0, "deadline": 1}
    req = {
        "method": "eth_signTypedData_v4",
        "chain_id": 1,
        "from": USER,
        "params": {
            "primaryType": "Permit",
            "domain": {"verifyingContract": TOKEN},
            "message": msg,
            "types": {},
        },
    }
    a = decode_request(req, Facts()).approvals[0]
    assert (a.kind, a.token_id, a.signature) == ("erc721", 7, True)
