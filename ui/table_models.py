"""Table models for the wallet's history and address book; testable without a window."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.rows import ContactRow, HistoryRow
from ui import theme

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
RowT = TypeVar("RowT")


def short_address(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}" if len(address) > 14 else address


def format_amount(amount: Decimal, places: int = 6) -> str:
    q = amount.quantize(Decimal(1).scaleb(-places)) if amount == amount else amount
    text = f"{q:,.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def format_fiat(value: Decimal | None) -> str:
    return "—" if value is None else f"${value:,.2f}"


class _ListTableModel(QAbstractTableModel, Generic[RowT]):
    """A table over a list of row objects, one column per name in ``COLUMNS``."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    def set_rows(self, rows: list[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


class HistoryModel(_ListTableModel[HistoryRow]):
    COLUMNS = ("Date", "", "Counterparty", "Amount", "Asset", "Status")
    DATE, DIRECTION, COUNTERPARTY, AMOUNT, ASSET, STATUS = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ens: dict[str, str] = {}  # address (lower case) -> verified primary ENS name

    def set_ens_names(self, names: dict[str, str]) -> None:
        """Show ``vitalik.eth (0xd8dA…6045)`` for these addresses (names verified forward)."""
        self._ens = {a.lower(): n for a, n in names.items()}
        if self._rows:
            top, bottom = (
                self.index(0, self.COUNTERPARTY),
                self.index(len(self._rows) - 1, self.COUNTERPARTY),
            )
            self.dataChanged.emit(top, bottom)

    def ens_name(self, address: str) -> str:
        return self._ens.get(address.lower(), "")

    def row(self, i: int) -> HistoryRow:
        return self._rows[i]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.DATE:
                # a date or nothing: whether it is pending is the Status column's to say
                return r.when.strftime("%Y-%m-%d %H:%M") if r.when else "—"
            if col == self.DIRECTION:
                return {"in": "↓ In", "out": "↑ Out", "self": "↔ Self"}.get(r.direction, "")
            if col == self.COUNTERPARTY:
                label = r.counterparty_name or short_address(r.counterparty)
                ens_name = self._ens.get(r.counterparty.lower()) if not r.hidden else None
                if ens_name and not r.counterparty_name:
                    label = f"{ens_name} ({short_address(r.counterparty)})"
                return f"⚠ {label}" if r.hidden else label
            if col == self.AMOUNT:
                if not r.amount:  # an approval or a revoke moves no value: never "-0 ETH"
                    return "no value"
                sign = "-" if r.direction == "out" else "+" if r.direction == "in" else ""
                return f"{sign}{format_amount(r.amount)}"
            if col == self.ASSET and not r.amount:
                return ""
            if col == self.ASSET:
                return r.asset
            if col == self.STATUS:
                return "suspected poisoning" if r.hidden else r.status
        if role == SORT_ROLE:
            if col == self.DATE:
                return r.when.timestamp() if r.when else float("inf")
            if col == self.AMOUNT:
                return float(r.amount)
            return str(self.data(index, Qt.ItemDataRole.DisplayRole) or "").lower()
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{r.counterparty}\nTransaction {r.tx_hash}"
            if self.ens_name(r.counterparty) and not r.hidden:
                tip = f"{self.ens_name(r.counterparty)} (its ENS name resolves to it)\n" + tip
            if not r.amount:
                tip += "\nNo value moved: a contract call such as an approval or a revoke."
            if r.hidden:
                tip += (
                    "\nThis transfer looks like address poisoning: it comes from an address "
                    "made to look like one you use. Never copy addresses from your history."
                )
            return tip
        if role == Qt.ItemDataRole.ForegroundRole:
            c = theme.current()
            if r.hidden:
                return QColor(c.caution)
            if col == self.AMOUNT:
                return QColor(c.safe if r.direction == "in" else c.text)
            if col == self.STATUS and r.status not in ("confirmed", "success"):
                return QColor(c.caution if r.status == "pending" else c.danger)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Free-text filter over counterparty, name, asset and hash; poisoning hidden by default."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._show_hidden = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange()

    def set_show_hidden(self, show: bool) -> None:
        self.beginFilterChange()
        self._show_hidden = show
        self.endFilterChange()

    @property
    def show_hidden(self) -> bool:
        return self._show_hidden

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, HistoryModel):
            return True
        r = model.row(source_row)
        if r.hidden and not self._show_hidden:
            return False
        if not self._text:
            return True
        hay = " ".join(
            (
                r.counterparty,
                r.counterparty_name,
                model.ens_name(r.counterparty),
                r.asset,
                r.tx_hash,
                r.note,
                r.status,
            )
        ).lower()
        return self._text in hay


class ContactsModel(_ListTableModel[ContactRow]):
    COLUMNS = ("Name", "Address", "Note")

    def rows(self) -> list[ContactRow]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        r = self._rows[index.row()]
        return (r.name, r.address, r.note)[index.column()]
