"""The review's stored facts from a real encrypted store: which history rows make an address
a past counterparty. Rows are written the way ``sender._record`` (a nonce, log_index -1) and
``history.scan`` (a block transaction: log_index -1, no token; a Transfer log: log_index >= 0)
write them; the last test scans the in-process EVM, and tests/delegates/tx_review covers the
whole path (forged logs, real sends, both reviewers) on anvil."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from web3 import Web3

from app.store import Store
from app.store.schema import BlocklistEntry, Contact, Transfer, TrustedOrigin
from app.wallet import accounts, history
from app.wallet.demo import deploy_demo_token, token_artifact
from app.wallet.stored_facts import StoredFacts, past_counterparties, stored_facts
from tests.app.wallet.conftest import ADDR0, ADDR1, PHRASE, Evm, fund, token_transfer

CHAIN = 31337
TOKEN = "0x" + "70" * 20


def _addr(n: int) -> str:
    return "0x" + f"{n:040x}"


def _row(n: int, **kw: Any) -> Transfer:
    fields: dict[str, Any] = dict(
        chain_id=CHAIN,
        account=ADDR0,
        tx_hash=f"0x{n:064x}",
        log_index=-1,
        direction="out",
        sender=ADDR0,
        recipient=_addr(n),
        token=None,
        amount="5",
        nonce=None,
        status="confirmed",
    )
    fields.update(kw)
    return Transfer(**fields)


def test_only_what_the_users_key_sent_counts(store: Store) -> None:
    rows = {
        # counted: the wallet signed it (nonce), pending or mined, even reverted
        1: dict(nonce=0, status="pending"),
        2: dict(nonce=1),
        3: dict(nonce=2, status="reverted"),
        # counted: a token send the wallet signed, after the scan gave it its log index
        4: dict(nonce=3, token=TOKEN, log_index=7),
        # counted: a block transaction whose ``from`` is the user (sent by another wallet)
        5: dict(),
        # not counted: a Transfer log any contract can emit, whatever its amount
        10: dict(token=TOKEN, log_index=0, amount="0"),
        11: dict(token=TOKEN, log_index=3, amount=str(10**18)),
        # not counted: never on chain
        12: dict(nonce=4, status="failed"),
        13: dict(nonce=5, status="dropped"),
        14: dict(nonce=6, status="replaced"),
        # not counted: moved nothing, or an unreadable amount
        15: dict(nonce=7, amount="0"),
        16: dict(amount="0"),
        17: dict(nonce=8, amount="lots"),
        # not counted: incoming (its sender is someone else), hidden, another chain or sender
        18: dict(direction="in", sender=_addr(99), recipient=ADDR0, account=ADDR0),
        19: dict(nonce=9, hidden=True),
        20: dict(nonce=10, chain_id=1),
        21: dict(nonce=0, account=ADDR1, sender=ADDR1),
    }
    with store.session() as s:
        for n, kw in rows.items():
            s.add(_row(n, **kw))
    with store.session() as s:
        past = past_counterparties(s, ADDR0, CHAIN)
    expected = {_addr(n) for n in (1, 2, 3, 4, 5)} | {TOKEN}
    assert past == expected
    # the sender of an incoming transfer is never a counterparty
    assert _addr(99) not in past


def test_unknown_sender_or_chain_has_no_history(store: Store) -> None:
    with store.session() as s:
        s.add(_row(1, nonce=0))
    with store.session() as s:
        assert past_counterparties(s, ADDR0, CHAIN) == {_addr(1)}
        assert past_counterparties(s, ADDR0, None) == frozenset()
        assert past_counterparties(s, "", CHAIN) == frozenset()
        assert past_counterparties(s, "not an address", CHAIN) == frozenset()


def test_lists_and_own_accounts(store: Store) -> None:
    watched = "0x" + "33" * 20
    with store.session() as s:
        accounts.create_hd_wallet(s, PHRASE, name="Main")
        accounts.derive_next(s, name="Spare")
        accounts.add_watch(s, watched, name="Someone I watch")
        s.add(Contact(address="0x52908400098527886E0F7030069857D2E4169EE7", name="Alice"))
        s.add(BlocklistEntry(address="0x000000000000000000000000000000000000dEaD"))
        s.add(TrustedOrigin(origin="https://app.uniswap.org"))
    found = stored_facts(store, user=ADDR0, chain_id=CHAIN)
    assert found == StoredFacts(
        address_book=frozenset({"0x52908400098527886e0f7030069857d2e4169ee7"}),
        blocklist=frozenset({"0x000000000000000000000000000000000000dead"}),
        trusted_origins=("https://app.uniswap.org",),
        past_counterparties=frozenset(),
        # a watch-only address has no key here: Warden cannot know it is the user's
        own_accounts=frozenset({ADDR0.lower(), ADDR1.lower()}),
    )
    as_dict = found.as_dict()
    assert as_dict["own_accounts"] == sorted([ADDR0.lower(), ADDR1.lower()])


def test_the_scan_marks_only_the_users_own_transfers(store: Store, evm: Evm) -> None:
    """On the in-process EVM: the bank's own token send is marked as signed (its nonce); a
    zero-value transferFrom in the bank's name, sent by someone else, is stored but not."""
    user, other = evm.bank, evm.other
    token = deploy_demo_token(evm.w3, user, "Test Dollar", "tUSD", 6, 10**12)
    friend, dusted = _addr(0xF1), _addr(0xD5)
    token_transfer(evm.w3, token, user, Web3.to_checksum_address(friend), 7)
    fund(evm, Web3.to_checksum_address(_addr(0xE7)), 1)  # a native send by the user
    contract = evm.w3.eth.contract(address=token, abi=token_artifact()["abi"])
    evm.w3.eth.wait_for_transaction_receipt(
        contract.functions.transferFrom(user, Web3.to_checksum_address(dusted), 0).transact(
            {"from": other}
        )
    )
    history.scan(store, evm.client, [user])
    with store.session() as s:
        rows = {r.recipient.lower(): r for r in s.scalars(select(Transfer)) if r.recipient}
        assert rows[friend].nonce is not None and rows[friend].log_index >= 0
        assert rows[_addr(0xE7)].nonce is not None
        assert rows[dusted].direction == "out" and rows[dusted].nonce is None
        past = past_counterparties(s, user, evm.client.chain_id)
    assert past == {friend, _addr(0xE7), token.lower()}
