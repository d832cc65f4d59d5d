"""The history table shows a counterparty's primary ENS name beside its address, only when
the name resolves back to it; a contact's name and a suspected poisoning row keep theirs.
Real parts: anvil with the ENS contracts of tests/app/wallet/test_ens_names.py, the real
ReverseNames and the real HistoryModel (no window)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.rows import HistoryRow
from app.wallet.ens_names import ReverseNames
from tests.app.wallet.test_ens_names import ALICE, MALLORY, NOBODY, Ens
from tests.support.anvil import Anvil
from ui.table_models import HistoryFilter, HistoryModel

pytestmark = pytest.mark.anvil


def _row(who: str, *, name: str = "", hidden: bool = False) -> HistoryRow:
    return HistoryRow(
        when=datetime(2026, 1, 1, tzinfo=UTC),
        direction="out",
        counterparty=who,
        counterparty_name=name,
        asset="ETH",
        amount=Decimal(1),
        status="confirmed",
        tx_hash="0x" + "ab" * 32,
        hidden=hidden,
    )


def test_the_counterparty_column_shows_verified_names(qapp, anvil: Anvil) -> None:  # type: ignore[no-untyped-def]
    chain = Ens(anvil)
    chain.forward("alice.eth", ALICE)
    chain.claim(ALICE, "alice.eth")
    chain.claim(MALLORY, "alice.eth")  # a claim whose forward name points to Alice
    chain.claim(NOBODY, "alice.eth")
    rows = [
        _row(ALICE),
        _row(MALLORY),
        _row(ALICE, name="Alice (contact)"),
        _row(ALICE, hidden=True),
    ]
    model = HistoryModel()
    model.set_rows(rows)
    model.set_ens_names(ReverseNames().names(chain.client, [r.counterparty for r in rows]))

    def shown(i: int) -> str:
        return str(
            model.data(model.index(i, HistoryModel.COUNTERPARTY), Qt.ItemDataRole.DisplayRole)
        )

    assert shown(0) == "alice.eth (0x7099…79C8)"
    assert shown(1) == "0x3C44…93BC"
    assert shown(2) == "Alice (contact)"
    assert shown(3) == "⚠ 0x7099…79C8"  # a poisoning row is never dressed up with a name
    proxy = HistoryFilter()
    proxy.setSourceModel(model)
    proxy.set_text("alice.eth")
    assert proxy.rowCount() == 2  # the named row and the contact's row (the same address)
