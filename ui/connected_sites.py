"""Settings -> "Connected sites": the sites connected through the dapp provider, each with
the accounts it sees; disconnect one, or limit it to chosen accounts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.dapp.permissions import Connection
from app.errors import WardenError
from ui.ops import dapp as dapp_ops
from ui.services import AppServices
from ui.widgets import error_label, muted, show_message


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}" if len(address) > 12 else address


class LimitDialog(QDialog):
    """Tick the accounts a site may see (at least one)."""

    def __init__(
        self, origin: str, own: list[str], current: tuple[str, ...], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Limit a site's accounts")
        lay = QVBoxLayout(self)
        title = muted(f"Accounts {origin} may see:")
        title.setTextFormat(Qt.TextFormat.PlainText)  # an origin is data, never markup
        lay.addWidget(title)
        now = {a.lower() for a in current}
        self.boxes: list[QCheckBox] = []
        for address in own:
            box = QCheckBox(address)
            box.setChecked(address.lower() in now)
            box.toggled.connect(self._update)
            self.boxes.append(box)
            lay.addWidget(box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._update()

    def chosen(self) -> list[str]:
        return [b.text() for b in self.boxes if b.isChecked()]

    def _update(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.chosen()))


class ConnectedSites(QWidget):
    """The table of connected sites with Disconnect and Limit accounts."""

    def __init__(self, services: Callable[[], AppServices], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.sites: list[Connection] = []
        self.own: list[str] = []
        self.limit_dialog: LimitDialog | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Site", "Accounts it sees", "Connected"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setShowGrid(False)
        self.table.itemSelectionChanged.connect(self._selection)
        lay.addWidget(self.table)
        self.empty = muted("No site is connected. A site asks to connect from your browser.")
        lay.addWidget(self.empty)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.limit_button = QPushButton("Limit accounts…")
        self.limit_button.clicked.connect(self.limit_selected)
        self.revoke_button = QPushButton("Disconnect")
        self.revoke_button.clicked.connect(self.revoke_selected)
        row.addWidget(self.limit_button)
        row.addWidget(self.revoke_button)
        lay.addLayout(row)
        self._selection()

    def refresh(self) -> None:
        dapp_ops.load_sites(self._services()).success(self._loaded).failure(self._failed).run()

    def _loaded(self, page: dapp_ops.SitesPage) -> None:
        self.sites, self.own = page
        self.table.setRowCount(len(self.sites))
        for i, c in enumerate(self.sites):
            cells = (c.origin, ", ".join(short(a) for a in c.accounts), c.connected_at[:10])
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setToolTip("\n".join(c.accounts))
                self.table.setItem(i, j, item)
        self.table.setVisible(bool(self.sites))
        self.empty.setVisible(not self.sites)
        show_message(self.error, "")
        self._selection()

    def _failed(self, exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Something failed: {exc}"
        show_message(self.error, msg)

    def selected(self) -> Connection | None:
        rows = self.table.selectionModel().selectedRows()
        return self.sites[rows[0].row()] if rows and rows[0].row() < len(self.sites) else None

    def _selection(self) -> None:
        on = self.selected() is not None
        self.limit_button.setEnabled(on)
        self.revoke_button.setEnabled(on)

    def revoke_selected(self) -> None:
        site = self.selected()
        if site is not None:
            dapp_ops.revoke(self._services(), site.origin).success(
                lambda _r: self.refresh()
            ).failure(self._failed).run()

    def limit_selected(self) -> None:
        site = self.selected()
        if site is None:
            return
        dialog = self.limit_dialog = LimitDialog(site.origin, self.own, site.accounts, self)

        def done(code: int) -> None:
            self.limit_dialog = None
            if code == QDialog.DialogCode.Accepted and dialog.chosen():
                dapp_ops.limit(self._services(), site.origin, dialog.chosen()).success(
                    lambda _r: self.refresh()
                ).failure(self._failed).run()
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()
