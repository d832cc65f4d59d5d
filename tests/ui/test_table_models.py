"""The history and address-book table models, without any window (after Vorta's tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt

from ui.rows import ContactRow, HistoryRow
from ui.table_models import ContactsModel, HistoryFilter, HistoryModel

BOB = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
POISON = "0x2B5AD00000000000000000000000000000CcD6cF"


def _row(
    day: int,
    direction: str,
    amount: str,
    who: str = BOB,
    hidden: bool = False,
    asset: str = "ETH",
    name: str = "",
) -> HistoryRow:
    return HistoryRow(
        when=datetime(2026, 1, day, tzinfo=UTC),
        direction=direction,
        counterparty=who,
        counterparty_name=name,
        asset=asset,
        amount=Decimal(amount),
        status="confirmed",
        tx_hash=f"0x{day:064x}",
        hidden=hidden,
    )


ROWS = [
    _row(1, "in", "2", name="Bob"),
    _row(2, "out", "0.5", name="Bob"),
    _row(3, "in", "250", asset="USDC"),
    _row(4, "in", "0", who=POISON, hidden=True, asset="USDC"),
]


def _proxy(qapp) -> tuple[HistoryModel, HistoryFilter]:
    model = HistoryModel()
    model.set_rows(ROWS)
    proxy = HistoryFilter()
    proxy.setSourceModel(model)
    return model, proxy


def _column(proxy: HistoryFilter, col: int) -> list[str]:
    return [proxy.index(r, col).data() for r in range(proxy.rowCount())]


def test_poisoning_is_hidden_by_default_and_shown_on_request(qapp) -> None:
    model, proxy = _proxy(qapp)
    assert model.rowCount() == 4
    assert proxy.rowCount() == 3
    assert all("poisoning" not in s for s in _column(proxy, HistoryModel.STATUS))
    proxy.set_show_hidden(True)
    assert proxy.rowCount() == 4
    assert "suspected poisoning" in _column(proxy, HistoryModel.STATUS)


def test_filter_matches_name_asset_and_hash(qapp) -> None:
    _model, proxy = _proxy(qapp)
    proxy.set_text("bob")
    assert proxy.rowCount() == 2
    proxy.set_text("usdc")
    assert proxy.rowCount() == 1  # the poisoning transfer stays hidden
    proxy.set_text(f"{3:064x}")
    assert proxy.rowCount() == 1
    proxy.set_text("")
    assert proxy.rowCount() == 3


def test_sort_by_amount_is_numeric_and_by_date_is_chronological(qapp) -> None:
    _model, proxy = _proxy(qapp)
    proxy.sort(HistoryModel.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert _column(proxy, HistoryModel.AMOUNT) == ["+250", "+2", "-0.5"]
    proxy.sort(HistoryModel.DATE, Qt.SortOrder.AscendingOrder)
    assert _column(proxy, HistoryModel.DATE)[0].startswith("2026-01-01")


def test_signs_names_and_tooltips(qapp) -> None:
    model, _proxy_ = _proxy(qapp)
    assert model.index(1, HistoryModel.AMOUNT).data() == "-0.5"
    assert model.index(0, HistoryModel.COUNTERPARTY).data() == "Bob"
    assert model.index(2, HistoryModel.COUNTERPARTY).data() == "0x2B5A…D6cF"
    tip = model.index(3, HistoryModel.COUNTERPARTY).data(Qt.ItemDataRole.ToolTipRole)
    assert "poisoning" in tip and POISON in tip


def test_contacts_model(qapp) -> None:
    m = ContactsModel()
    m.set_rows([ContactRow("Bob", BOB, "rent")])
    assert (m.rowCount(), m.columnCount()) == (1, 3)
    assert m.index(0, 1).data() == BOB
    assert m.headerData(0, Qt.Orientation.Horizontal) == "Name"
