"""Facts an attacker cannot write, on a real anvil node with a real encrypted store.

Anyone can deploy a contract that emits ``Transfer(victim, X, 0)``, or call a real token's
``transferFrom(victim, X, 0)`` (no allowance is needed for zero). The wallet's history scan
stores such a log as an outgoing row, and X used to count as a past counterparty, so a send
to X went from caution to safe. Here the attacker does both, the wallet scans, and a send to
X must still be a first interaction, for the node-backed reviewer and the fallback
``StoreReviewer`` alike (their stored facts must be equal).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from eth_utils import to_checksum_address
from sqlalchemy import select

from app.review_types import ReviewOutcome
from app.store import Store
from app.store.schema import Transfer
from app.wallet import accounts, history, requests
from app.wallet.chain import ChainClient
from app.wallet.demo import deploy_demo_token, token_artifact
from app.wallet.erc20 import TRANSFER_TOPIC
from app.wallet.tokens import TokenInfo
from app.wallet.transactions import build_transfer
from delegates.tx_review import make_reviewer
from delegates.tx_review.facts import norm
from delegates.tx_review.store_reviewer import StoreReviewer
from tests.support.anvil import ANVIL_PHRASE, Anvil

pytestmark = pytest.mark.anvil

CHAIN = 31337
# the poisoner's address, written into the victim's history with a forged log of 0
PLANTED = to_checksum_address("0x" + "ab" * 20)
# the same, with a forged amount of 1 ETH in the log
PLANTED_BIG = to_checksum_address("0x" + "cd" * 20)
# zero-value transferFrom(victim, DUSTED, 0) on a real token: no allowance needed
DUSTED = to_checksum_address("0x" + "ef" * 20)
FRIEND = to_checksum_address("0x" + "12" * 20)  # the wallet sent coins here
FRIEND_TOKEN = to_checksum_address("0x" + "34" * 20)  # the wallet sent tokens here
ELSEWHERE = to_checksum_address("0x" + "56" * 20)  # the user's key sent coins here, elsewhere
ZERO_SENT = to_checksum_address("0x" + "78" * 20)  # the wallet sent 0 coins here
# the user's key called the token's transfer() here, from another wallet
TOKEN_ELSEWHERE = to_checksum_address("0x" + "9a" * 20)
# the user clicked "claim" on a contract that then logged Transfer(user, CLAIMED, 1 ETH)
CLAIMED = to_checksum_address("0x" + "bc" * 20)


def forged_transfer_init(victim: str, to: str, amount: int) -> str:
    """Init code that emits ``Transfer(victim, to, amount)`` from the new contract's address
    and deploys nothing: MSTORE(0, amount); LOG3(0, 32, topic, victim, to); STOP."""
    store_amount = "7f" + amount.to_bytes(32, "big").hex() + "6000" + "52"
    topics = "73" + to[2:].lower() + "73" + victim[2:].lower() + "7f" + TRANSFER_TOPIC[2:]
    return "0x" + store_amount + topics + "6020" + "6000" + "a3" + "00"


def forged_transfer_contract(victim: str, to: str, amount: int) -> str:
    """Init code that deploys ``forged_transfer_init``'s code as the contract's runtime, so
    every call to it emits the forged log: CODECOPY(0, 11, len); RETURN(0, len)."""
    runtime = forged_transfer_init(victim, to, amount)[2:]
    size = len(runtime) // 2
    return "0x60" + f"{size:02x}" + "80" + "600b" + "6000" + "39" + "6000" + "f3" + runtime


@dataclass
class World:
    w3: Any
    client: ChainClient
    store: Store
    user: str
    spare: str  # the user's second account
    attacker: str
    stranger: str
    token: str

    def node_reviewer(self) -> Any:
        return make_reviewer(self.client, self.store, chain_id=CHAIN)

    def send_request(self, to: str, amount: str = "0.1", token: str | None = None) -> dict:
        info = TokenInfo(CHAIN, self.token, "DEMO", 18) if token else None
        return build_transfer(self.client, self.user, to, amount, token=info).request()

    def wallet_send(self, to: str, amount: str, token: bool = False) -> None:
        """A real send through the wallet: built, reviewed, signed by the stored key."""
        info = TokenInfo(CHAIN, self.token, "DEMO", 18) if token else None
        built = build_transfer(self.client, self.user, to, amount, token=info)
        outcome: ReviewOutcome = self.node_reviewer().review(built.request())
        result = requests.send_reviewed(
            self.store, self.client, built, outcome, wait_s=20, poll_s=0.1
        )
        assert result.status == "confirmed"

    def transact(self, tx: dict) -> None:
        self.w3.eth.wait_for_transaction_receipt(self.w3.eth.send_transaction(tx), timeout=30)


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path) -> Iterator[World]:
    from web3 import HTTPProvider, Web3

    w3 = Web3(HTTPProvider(anvil.url))
    client = ChainClient.from_web3(w3, CHAIN, name="anvil")
    store = Store.throwaway(tmp_path / "store", password="correct horse battery")
    with store.session() as s:
        _, main = accounts.create_hd_wallet(s, ANVIL_PHRASE, name="Main")
        spare = accounts.derive_next(s, name="Spare")
    attacker, stranger = w3.eth.accounts[2], w3.eth.accounts[3]
    assert main.address == w3.eth.accounts[0]  # anvil's account 0: funded and unlocked
    token = deploy_demo_token(w3, attacker, "Demo Token", "DEMO", 18, 10**24)
    contract = w3.eth.contract(address=token, abi=token_artifact()["abi"])
    w3.eth.wait_for_transaction_receipt(
        contract.functions.transfer(main.address, 10**21).transact({"from": attacker})
    )
    yield World(w3, client, store, main.address, spare.address, attacker, stranger, token)
    store.close()


def _poison(world: World) -> None:
    """What an address poisoner can do without the victim's key."""
    w3 = world.w3
    for to, amount in ((PLANTED, 0), (PLANTED_BIG, 10**18)):
        world.transact(
            {"from": world.attacker, "data": forged_transfer_init(world.user, to, amount)}
        )
    contract = w3.eth.contract(address=world.token, abi=token_artifact()["abi"])
    w3.eth.wait_for_transaction_receipt(
        contract.functions.transferFrom(world.user, DUSTED, 0).transact({"from": world.attacker})
    )
    world.transact({"from": world.stranger, "to": world.user, "value": 1})  # dust, incoming


def test_forged_and_zero_value_transfers_are_not_counterparties(world: World) -> None:
    _poison(world)
    history.scan(world.store, world.client, [world.user])
    with world.store.session() as s:
        rows = s.scalars(select(Transfer).where(Transfer.account == world.user)).all()
        outgoing = {norm(r.recipient) for r in rows if r.direction == "out"}
    # The scan did store the forged logs as sends "from" the victim: the review must not
    # believe them (this is what used to make PLANTED a known address).
    assert {norm(PLANTED), norm(PLANTED_BIG), norm(DUSTED)} <= outgoing

    node, fallback = world.node_reviewer(), StoreReviewer(world.store)
    for to in (PLANTED, PLANTED_BIG, DUSTED, world.stranger):
        request = world.send_request(to)
        for reviewer in (node, fallback):
            out = reviewer.review(request)
            assert "first_interaction" in out.codes, (to, type(reviewer).__name__)
            assert out.verdict != "safe"
    facts = node.gather_facts(world.send_request(PLANTED))
    assert facts.past_counterparties == frozenset()


def test_what_the_users_key_sent_counts_for_both_reviewers(world: World) -> None:
    _poison(world)
    # the user's key, used from another wallet (anvil's account 0 is unlocked)
    world.transact({"from": world.user, "to": ELSEWHERE, "value": 10**15})
    token = world.w3.eth.contract(address=world.token, abi=token_artifact()["abi"])
    world.w3.eth.wait_for_transaction_receipt(
        token.functions.transfer(TOKEN_ELSEWHERE, 5).transact({"from": world.user})
    )
    # a transaction the user did sign, to a contract whose log names someone else
    claim = world.w3.eth.send_transaction(
        {"from": world.attacker, "data": forged_transfer_contract(world.user, CLAIMED, 10**18)}
    )
    claim_contract = world.w3.eth.wait_for_transaction_receipt(claim)["contractAddress"]
    world.transact({"from": world.user, "to": claim_contract, "data": "0x4e71d92d"})  # claim()
    world.wallet_send(FRIEND, "0.01")
    world.wallet_send(FRIEND_TOKEN, "5", token=True)
    world.wallet_send(ZERO_SENT, "0")
    history.scan(world.store, world.client, [world.user, world.spare])

    with world.store.session() as s:
        logged = s.scalars(select(Transfer.recipient).where(Transfer.direction == "out")).all()
    assert CLAIMED in logged  # stored as a send from the user, yet not a counterparty

    node, fallback = world.node_reviewer(), StoreReviewer(world.store)
    known = {norm(a) for a in (FRIEND, FRIEND_TOKEN, ELSEWHERE, TOKEN_ELSEWHERE, world.token)}
    request = world.send_request(FRIEND)
    stored = node.store_facts(norm(request["from"]))
    assert set(stored["past_counterparties"]) == known
    # the fallback reviewer's facts are the node-backed reviewer's, for the same store
    assert {k: v for k, v in fallback.facts(request).items() if k != "native_symbol"} == stored
    assert node.gather_facts(request).past_counterparties == frozenset(known)

    for to, first in (
        (FRIEND, False),
        (ELSEWHERE, False),
        (TOKEN_ELSEWHERE, False),
        (CLAIMED, True),  # the user's transaction, but the log is the contract's word
        (claim_contract, True),  # called with no value: a zero-value transaction
        (ZERO_SENT, True),  # a zero-value send never counts
        (PLANTED, True),
        (DUSTED, True),
    ):
        for reviewer in (node, fallback):
            codes = reviewer.review(world.send_request(to)).codes
            assert ("first_interaction" in codes) is first, (to, type(reviewer).__name__)
    token_send = world.send_request(FRIEND_TOKEN, "1", token=world.token)
    for reviewer in (node, fallback):
        assert "first_interaction" not in reviewer.review(token_send).codes


def test_a_send_to_an_own_account_is_recognised(world: World) -> None:
    request = world.send_request(world.spare)
    for reviewer in (world.node_reviewer(), StoreReviewer(world.store)):
        out = reviewer.review(request)
        assert "first_interaction" not in out.codes
        own = [f for f in out.findings if f.code == "own_account"]
        assert len(own) == 1 and own[0].severity == "info"
        assert "your own accounts" in own[0].detail
        assert out.verdict == "safe", out.codes


@pytest.mark.parametrize(
    "burn",
    ["0x0000000000000000000000000000000000000000", "0x000000000000000000000000000000000000dEaD"],
)
def test_a_send_to_a_burn_address_is_danger(world: World, burn: str) -> None:
    for request in (world.send_request(burn, "0.5"), world.send_request(burn, "1", world.token)):
        for reviewer in (world.node_reviewer(), StoreReviewer(world.store)):
            out = reviewer.review(request)
            assert "burn_address" in out.codes and out.verdict == "danger"
