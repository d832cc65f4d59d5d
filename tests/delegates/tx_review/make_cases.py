"""Builds the extra review cases in ./cases (variants the shared examples do not cover).

Run once to (re)write the JSON files: ``.venv/bin/python tests/delegates/tx_review/make_cases.py``.
Calldata is encoded with eth_abi so that each case is a real request.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from eth_abi import encode

HERE = Path(__file__).resolve().parent / "cases"
USER = "0x1111111111111111111111111111111111111111"
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
DAI = "0x6b175474e89094c44da98b954eedeac495271d0f"
ROUTER = "0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad"
PERMIT2 = "0x000000000022d473030f116ddee9f6b43ac78ba3"
NFT = "0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d"
GAME = "0x76be3b62873462d2142405439777e971754e8e77"
EOA = "0x2222222222222222222222222222222222222222"
NEWBIE = "0x9999999999999999999999999999999999999999"
CONDUIT = "0x1e0049783f008a0085193e00003d00cd54003c71"
TRUSTED = ["https://app.uniswap.org", "https://opensea.io", "https://app.aave.com"]
NOW = 1748736000  # 2025-06-01T00:00:00Z

FACTS = {
    "accounts": {
        USDC: {"is_contract": True, "age_days": 2490, "verified_source": True, "label": "USDC"},
        DAI: {"is_contract": True, "age_days": 2015, "verified_source": True, "label": "DAI"},
        ROUTER: {
            "is_contract": True,
            "age_days": 720,
            "verified_source": True,
            "label": "Uniswap: Universal Router",
        },
        PERMIT2: {
            "is_contract": True,
            "age_days": 900,
            "verified_source": True,
            "label": "Permit2",
        },
        NFT: {"is_contract": True, "age_days": 1500, "verified_source": True, "label": "BAYC"},
        GAME: {"is_contract": True, "age_days": 900, "verified_source": True, "label": "Game"},
        CONDUIT: {"is_contract": True, "age_days": 1090, "verified_source": True},
        EOA: {"is_contract": False, "age_days": 400, "tx_count": 50},
        NEWBIE: {"is_contract": False, "age_days": 1, "tx_count": 1},
    },
    "tokens": {
        USDC: {"standard": "erc20", "symbol": "USDC", "decimals": 6, "price_usd": 1.0},
        DAI: {"standard": "erc20", "symbol": "DAI", "decimals": 18, "price_usd": 1.0},
        NFT: {"standard": "erc721", "symbol": "BAYC", "decimals": 0, "price_usd": 31200.0},
        GAME: {"standard": "erc1155", "symbol": "GAME", "decimals": 0, "price_usd": 5.0},
    },
    "balances": {
        "native": hex(3 * 10**18),
        USDC: hex(2000 * 10**6),
        DAI: hex(500 * 10**18),
        NFT: "0x1",
        GAME: "0x4",
    },
    "address_book": [EOA],
    "past_counterparties": [USDC, DAI, ROUTER, PERMIT2, NFT, GAME, CONDUIT, EOA],
    "trusted_origins": TRUSTED,
    "native_price_usd": 2600.0,
    "now": "2025-06-01T00:00:00Z",
}


def call(sig_hex: str, types: list[str], args: list[object]) -> str:
    return "0x" + sig_hex + encode(types, args).hex()


def tx(to: str | None, data: str = "0x", value: int = 0, origin: str | None = None) -> dict:
    params: dict[str, object] = {"value": hex(value), "data": data}
    if to is not None:
        params["to"] = to
    return {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "origin": origin,
        "from": USER,
        "params": params,
    }


def typed(primary: str, types: dict, domain: dict, message: dict, origin: str | None) -> dict:
    return {
        "method": "eth_signTypedData_v4",
        "chain_id": 1,
        "origin": origin,
        "from": USER,
        "params": {"types": types, "primaryType": primary, "domain": domain, "message": message},
    }


def case(cid: str, request: dict, verdict: str, findings: list[str], why: str, **facts_patch):
    facts = copy.deepcopy(FACTS)
    facts.update(facts_patch)
    return {
        "id": cid,
        "request": request,
        "facts": facts,
        "expected": {"verdict": verdict, "findings": findings, "why": why},
    }


PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


def cases() -> list[dict]:
    out = []
    approve = "095ea7b3"
    out.append(
        case(
            "revoke-approve-zero-eoa",
            tx(USDC, call(approve, ["address", "uint256"], [NEWBIE, 0])),
            "safe",
            [],
            "approve(…, 0) is a revocation: it grants nothing, even to an EOA.",
        )
    )
    out.append(
        case(
            "revoke-set-approval-false",
            tx(NFT, call("a22cb465", ["address", "bool"], [NEWBIE, False])),
            "safe",
            [],
            "setApprovalForAll(…, false) revokes.",
        )
    )
    out.append(
        case(
            "exact-approve-known-router",
            tx(
                USDC,
                call(approve, ["address", "uint256"], [ROUTER, 100 * 10**6]),
                origin="https://app.uniswap.org",
            ),
            "safe",
            [],
            "An exact allowance within the balance to an old verified router in use.",
        )
    )
    out.append(
        case(
            "approve-unknown-spender",
            tx(USDC, call(approve, ["address", "uint256"], ["0x" + "ab" * 20, 10**6])),
            "danger",
            ["approval_to_new_contract"],
            "Nothing is known about the spender: unknown is not safe.",
        )
    )
    out.append(
        case(
            "truncated-approve-verified-token",
            tx(USDC, "0x095ea7b3" + "00" * 20),
            "caution",
            ["unknown_contract_call"],
            "A known selector whose arguments do not decode fails closed.",
        )
    )
    inner = call(approve, ["address", "uint256"], [NEWBIE, 2**256 - 1])
    out.append(
        case(
            "multicall-inner-unlimited-eoa",
            tx(ROUTER, call("ac9650d8", ["bytes[]"], [[bytes.fromhex(inner[2:])]])),
            "danger",
            ["unlimited_approval", "approval_to_eoa"],
            "Each inner call of a multicall is reviewed.",
        )
    )
    permit_single = ((USDC, 2**160 - 1, NOW + 30 * 86400, 0), ROUTER, NOW + 1800)
    inputs = [
        encode(
            ["((address,uint160,uint48,uint48),address,uint256)", "bytes"],
            [permit_single, b"\x00" * 65],
        ),
        encode(
            ["address", "uint256", "uint256", "bytes", "bool"],
            [
                "0x" + "0" * 39 + "1",
                10**8,
                1,
                bytes.fromhex(USDC[2:])
                + b"\x00\x01\xf4"
                + bytes.fromhex("c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
                True,
            ],
        ),
    ]
    out.append(
        case(
            "ur-permit2-permit-unlimited",
            tx(
                ROUTER,
                call(
                    "3593564c", ["bytes", "bytes[]", "uint256"], [b"\x0a\x00", inputs, NOW + 1800]
                ),
                origin="https://app.uniswap.org",
            ),
            "caution",
            ["unlimited_approval"],
            "A Permit2 permit carried inside a Universal Router plan is an allowance.",
        )
    )
    inputs = [
        encode(
            ["address", "uint256", "uint256", "address[]", "bool"],
            [NEWBIE, 10**8, 1, [USDC, DAI], True],
        )
    ]
    out.append(
        case(
            "ur-swap-output-to-stranger",
            tx(
                ROUTER,
                call("3593564c", ["bytes", "bytes[]", "uint256"], [b"\x08", inputs, NOW + 1800]),
                origin="https://app.uniswap.org",
            ),
            "caution",
            ["first_interaction"],
            "The swap's output goes to an address the user never sent to.",
        )
    )
    out.append(
        case(
            "erc1155-all-items-to-new",
            tx(
                GAME,
                call(
                    "f242432a",
                    ["address", "address", "uint256", "uint256", "bytes"],
                    [USER, NEWBIE, 7, 4, b""],
                ),
            ),
            "caution",
            ["large_transfer", "first_interaction"],
            "All four items leave the wallet for a new address.",
        )
    )
    out.append(
        case(
            "self-transfer-to-saved-contact",
            tx(EOA, value=10**18),
            "safe",
            [],
            "One of three ETH to a saved contact the user pays regularly.",
        )
    )
    permit = typed(
        "Permit",
        PERMIT_TYPES,
        {"name": "USD Coin", "version": "2", "chainId": 1, "verifyingContract": USDC},
        {
            "owner": USER,
            "spender": ROUTER,
            "value": str(50 * 10**6),
            "nonce": 0,
            "deadline": str(NOW + 1200),
        },
        "https://app.uniswap.org",
    )
    out.append(
        case(
            "permit-routine-info",
            permit,
            "safe",
            ["permit_signature"],
            "A small, short-lived permit to a verified router in use: info only.",
        )
    )
    far = copy.deepcopy(permit)
    far["params"]["message"]["deadline"] = str(NOW + 365 * 86400)
    out.append(
        case(
            "permit-long-deadline",
            far,
            "caution",
            ["permit_signature"],
            "The same permit valid for a year is no longer routine.",
        )
    )
    dai_types = {
        "Permit": [
            {"name": "holder", "type": "address"},
            {"name": "spender", "type": "address"},
            {"name": "nonce", "type": "uint256"},
            {"name": "expiry", "type": "uint256"},
            {"name": "allowed", "type": "bool"},
        ]
    }
    out.append(
        case(
            "dai-permit-allowed",
            typed(
                "Permit",
                dai_types,
                {"name": "Dai Stablecoin", "version": "1", "chainId": 1, "verifyingContract": DAI},
                {"holder": USER, "spender": ROUTER, "nonce": 0, "expiry": 0, "allowed": True},
                "https://app.uniswap.org",
            ),
            "caution",
            ["permit_signature", "unlimited_approval"],
            "DAI allowed=true is unlimited.",
        )
    )
    siwe = (
        "app.uniswap.org wants you to sign in with your Ethereum account:\n"
        + USER
        + "\n\nSign in to Uniswap.\n\nURI: https://app.uniswap.org\nVersion: 1\nChain ID: 1\n"
        "Nonce: 32891756\nIssued At: 2025-06-01T00:00:00Z"
    )
    msg = {
        "method": "personal_sign",
        "chain_id": 1,
        "origin": "https://app.uniswap.org",
        "from": USER,
        "params": {"message": siwe},
    }
    out.append(case("siwe-matching-origin", msg, "safe", [], "A sign-in for the site asking."))
    bad = copy.deepcopy(msg)
    bad["origin"] = "https://uniswap-rewards.net"
    out.append(
        case(
            "siwe-other-domain",
            bad,
            "danger",
            ["suspicious_origin"],
            "A sign-in message for another site: the asker would log in as the user.",
        )
    )
    out.append(
        case(
            "personal-sign-hex-hash",
            {
                "method": "personal_sign",
                "chain_id": 1,
                "origin": None,
                "from": USER,
                "params": {"message": "0x" + "ab" * 32},
            },
            "danger",
            ["blind_signature"],
            "A 32-byte hash is a blind signature.",
        )
    )
    sea_types = {"OrderComponents": [{"name": "offerer", "type": "address"}]}
    order = {
        "offerer": USER,
        "zone": "0x" + "0" * 40,
        "offer": [
            {
                "itemType": 2,
                "token": NFT,
                "identifierOrCriteria": "1",
                "startAmount": "1",
                "endAmount": "1",
            }
        ],
        "consideration": [
            {
                "itemType": 0,
                "token": "0x" + "0" * 40,
                "identifierOrCriteria": "0",
                "startAmount": str(10**17),
                "endAmount": str(10**17),
                "recipient": USER,
            }
        ],
        "orderType": 0,
        "startTime": str(NOW),
        "endTime": str(NOW + 86400),
        "zoneHash": "0x" + "0" * 64,
        "salt": "1",
        "conduitKey": "0x" + "0" * 64,
        "counter": "0",
    }
    out.append(
        case(
            "seaport-underpriced-listing",
            typed(
                "OrderComponents",
                sea_types,
                {
                    "name": "Seaport",
                    "version": "1.6",
                    "chainId": 1,
                    "verifyingContract": "0x0000000000000068f116a894984e2db1123eb395",
                },
                order,
                "https://opensea.io",
            ),
            "danger",
            ["marketplace_listing_signature"],
            "A $31,200 ape for 0.1 ETH ($260) is under a tenth of its value.",
        )
    )
    out.append(
        case(
            "benign-subdomain-origin",
            tx(
                USDC,
                call(approve, ["address", "uint256"], [ROUTER, 10**6]),
                origin="https://docs.uniswap.org",
            ),
            "safe",
            [],
            "docs.uniswap.org is not a look-alike of app.uniswap.org.",
        )
    )
    return out


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for c in cases():
        (HERE / f"{c['id']}.json").write_text(json.dumps(c, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
