"""Fixtures for the wallet tests: a real encrypted store, a real in-process EVM."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider

from app.review_types import Finding, ReviewOutcome, request_digest
from app.store import Store
from app.wallet import accounts
from app.wallet.chain import ChainClient
from app.wallet.demo import deploy_demo_token

PASSWORD = "correct horse battery"  # noqa: S105
# anvil's public development phrase: index 0 is 0xf39F…2266, index 1 is 0x7099…79C8.
PHRASE = "test test test test test test test test test test test junk"
ADDR0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
ADDR1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


class FixedReviewer:
    """A stand-in for delegates.tx_review: it returns a fixed verdict, bound to the request it
    is shown. The wallet's own tests check the signing gate, not the review's judgement."""

    def __init__(self, verdict: str = "safe") -> None:
        self.verdict = verdict
        self.seen: list[dict[str, Any]] = []

    def review(self, request: dict[str, Any]) -> ReviewOutcome:
        self.seen.append(request)
        findings = (Finding("test", "danger", "fixed"),) if self.verdict == "danger" else ()
        return ReviewOutcome(self.verdict, findings, "fixed outcome", request_digest(request))  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.throwaway(tmp_path / "store", password=PASSWORD)
    yield s
    s.close()


@dataclass
class Evm:
    w3: Web3
    client: ChainClient
    bank: str
    other: str


@pytest.fixture
def evm() -> Evm:
    w3 = Web3(EthereumTesterProvider())
    client = ChainClient.from_web3(w3, int(w3.eth.chain_id), name="Tester")
    return Evm(w3, client, str(w3.eth.accounts[0]), str(w3.eth.accounts[1]))


def fund(evm: Evm, to: str, wei: int) -> None:
    evm.w3.eth.wait_for_transaction_receipt(
        evm.w3.eth.send_transaction({"from": evm.bank, "to": to, "value": wei})  # type: ignore[typeddict-item]
    )


def token_transfer(w3: Web3, token: str, sender: str, to: str, amount: int) -> None:
    from app.wallet.demo import token_artifact

    c = w3.eth.contract(address=Web3.to_checksum_address(token), abi=token_artifact()["abi"])
    w3.eth.wait_for_transaction_receipt(c.functions.transfer(to, amount).transact({"from": sender}))


@pytest.fixture
def wallet(store: Store, evm: Evm) -> str:
    """The store holds the test phrase; account 0 is funded with 5 ETH on the EVM."""
    with store.session() as s:
        _, info = accounts.create_hd_wallet(s, PHRASE, name="Main")
    fund(evm, info.address, 5 * 10**18)
    return info.address


@pytest.fixture
def token(evm: Evm, wallet: str) -> str:
    """A demo ERC-20 (6 decimals) with 1,000 units held by the wallet."""
    address = deploy_demo_token(evm.w3, evm.bank, "Test Dollar", "tUSD", 6, 10**6 * 10**6)
    token_transfer(evm.w3, address, evm.bank, wallet, 1_000 * 10**6)
    return address
