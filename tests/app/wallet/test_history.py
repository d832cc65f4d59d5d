"""History scans: incoming native and ERC-20 transfers found once, announced once."""

from __future__ import annotations

from app.events import EventBus, transfer_did_arrive
from app.store import Store
from app.store.schema import ScanState
from app.wallet import contacts, history
from tests.app.wallet.conftest import Evm, fund, token_transfer


def test_scan_finds_transfers_once_and_announces_new_ones(
    store: Store, evm: Evm, wallet: str, token: str
) -> None:
    bus, arrived = EventBus(), []
    bus.subscribe(transfer_did_arrive, arrived.append)
    added = history.scan(store, evm.client, [wallet], bus=bus)
    assert added == 2  # the 5 ETH funding and the 1,000 tUSD
    kinds = sorted((e.token or "native", e.amount) for e in arrived)
    assert kinds == sorted([("native", 5 * 10**18), (token, 1_000 * 10**6)])
    assert all(e.account == wallet and e.sender == evm.bank for e in arrived)

    # Nothing new: a second scan adds nothing and announces nothing.
    assert history.scan(store, evm.client, [wallet], bus=bus) == 0
    assert len(arrived) == 2

    # New activity after the last scan is found from where the scan stopped.
    fund(evm, wallet, 7)
    token_transfer(evm.w3, token, evm.bank, evm.other, 3)  # not ours: ignored
    assert history.scan(store, evm.client, [wallet], bus=bus) == 1
    assert arrived[-1].amount == 7
    with store.session() as s:
        state = s.get(ScanState, (evm.client.chain_id, wallet))
        assert state is not None and state.last_block == evm.client.block_number()
    rows = history.list_history(store, account=wallet)
    assert [r.direction for r in rows] == ["in", "in", "in"]
    assert rows[0].amount == 7 and rows[0].timestamp is not None


def test_scan_reads_at_most_max_blocks_and_goes_on_later(
    store: Store, evm: Evm, wallet: str
) -> None:
    for _ in range(3):
        fund(evm, wallet, 1)
    head = evm.client.block_number()
    with store.session() as s:
        s.add(ScanState(chain_id=evm.client.chain_id, address=wallet, last_block=0))
    assert history.scan(store, evm.client, [wallet], max_blocks=2) == 2
    assert history.scan(store, evm.client, [wallet], max_blocks=100) == head - 2


def test_address_book(store: Store) -> None:
    a = "0x52908400098527886E0F7030069857D2E4169EE7"
    with store.session() as s:
        contacts.add_contact(s, a.lower(), "Alice", "met at the meetup")
        contacts.add_contact(s, a, "Alice B.", "renamed")
        assert contacts.resolve_recipient(s, "Alice B.") == a
        assert contacts.list_contacts(s) == [contacts.ContactInfo(a, "Alice B.", "renamed")]
        contacts.remove_contact(s, "Alice B.")
        assert contacts.list_contacts(s) == []
