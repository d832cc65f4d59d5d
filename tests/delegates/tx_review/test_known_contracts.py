"""The bundled list of verified contracts: well-formed, and looked up by chain."""

from __future__ import annotations

from eth_utils import is_checksum_address

from delegates.tx_review.known_contracts import all_entries, known_contract


def test_every_address_is_a_valid_checksummed_address() -> None:
    import json
    from importlib import resources

    raw = json.loads(
        resources.files("delegates.tx_review").joinpath("known_contracts.json").read_text()
    )
    addresses = [a for chain, entries in raw.items() if chain != "_note" for a in entries]
    assert len(addresses) >= 10
    assert all(is_checksum_address(a) for a in addresses), [
        a for a in addresses if not is_checksum_address(a)
    ]
    assert len(all_entries()["*"]) >= 5


def test_lookup_by_chain_and_everywhere() -> None:
    usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
    assert known_contract(1, usdc) == "USD Coin"
    assert known_contract(8453, usdc) is None  # mainnet USDC's address means nothing on Base
    assert known_contract(8453, "0x000000000022d473030f116ddee9f6b43ac78ba3") == "Uniswap Permit2"
    assert known_contract(1, "0x" + "12" * 20) is None
