"""History as the windows show it comes from ``history.list_history`` (one query, with the
chain filter and the limit), on a real encrypted store."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.store import Store
from app.store.schema import Contact, Network, Token, Transfer
from app.wallet.history_view import history_rows

ME = "0x" + "11" * 20
FRIEND = "0x" + "22" * 20
TOKEN = "0x" + "33" * 20


def _store(tmp_path: Path) -> Store:
    store = Store.throwaway(tmp_path / "store")
    with store.session() as s:
        s.add(Network(name="One", chain_id=1, rpc_url="http://127.0.0.1:1", native_symbol="ETH"))
        s.add(Network(name="Poly", chain_id=137, rpc_url="http://127.0.0.1:2", native_symbol="POL"))
        s.add(Token(chain_id=1, address=TOKEN, symbol="dUSD", decimals=6))
        s.add(Contact(address=FRIEND, name="Friend", note=""))
        for i, (chain, token, amount, hidden) in enumerate(
            [
                (1, None, 10**18, False),
                (1, TOKEN, 2_500_000, False),
                (137, None, 3 * 10**18, False),
                (1, None, 1, True),
            ]
        ):
            s.add(
                Transfer(
                    chain_id=chain,
                    account=ME,
                    tx_hash=f"0x{i:064x}",
                    block_number=i + 1,
                    direction="in",
                    sender=FRIEND,
                    recipient=ME,
                    token=token,
                    amount=str(amount),
                    hidden=hidden,
                    note="poisoning" if hidden else "",
                )
            )
    return store


def test_only_the_connected_chain_newest_first_with_names_and_units(tmp_path: Path) -> None:
    store = _store(tmp_path)
    try:
        rows = history_rows(store, chain_id=1, account=ME)
        assert [(r.asset, r.amount) for r in rows] == [
            ("ETH", Decimal("1E-18")),
            ("dUSD", Decimal("2.5")),
            ("ETH", Decimal(1)),
        ]
        assert {r.counterparty_name for r in rows} == {"Friend"}
        assert [r.hidden for r in rows] == [True, False, False]  # shown, and marked
        assert rows[0].note == "poisoning"
        other = history_rows(store, chain_id=137)
        assert [(r.asset, r.amount) for r in other] == [("POL", Decimal(3))]
        assert len(history_rows(store, chain_id=1, limit=2)) == 2
    finally:
        store.close()
