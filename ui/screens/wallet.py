"""Wallet: accounts, balances with their dollar value, history, address book."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import WardenError
from ui.ops import accounts as account_ops
from ui.ops import contacts as contact_ops
from ui.ops import history as history_ops
from ui.ops import send as send_ops
from ui.rows import AccountRow, BalanceRow, ContactRow, HistoryRow
from ui.screens.base import Screen, ScreenContext
from ui.table_models import (
    ContactsModel,
    HistoryFilter,
    HistoryModel,
    format_amount,
    format_fiat,
)
from ui.widgets import Card, error_label, label, muted, show_message


def _table(view: QTableView) -> QTableView:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


class WalletScreen(Screen):
    key = "wallet"
    title = "Wallet"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.accounts: list[AccountRow] = []
        # Account bar
        bar = QHBoxLayout()
        who = QVBoxLayout()
        who.setSpacing(4)
        self.account_box = QComboBox()
        self.account_box.setAccessibleName("Account")
        self.account_box.setMinimumWidth(260)
        self.account_box.currentIndexChanged.connect(self._account_changed)
        who.addWidget(self.account_box)
        self.address = label("", name="Address", select=True)
        who.addWidget(self.address)
        bar.addLayout(who)
        self.copy_button = QPushButton("Copy address")
        self.copy_button.clicked.connect(self._copy)
        bar.addWidget(self.copy_button)
        bar.addStretch(1)
        self.rename_button = QPushButton("Rename…")
        self.rename_button.clicked.connect(self._rename)
        self.add_button = QPushButton("Add account")
        self.add_button.clicked.connect(self._add_account)
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("Primary")
        self.send_button.clicked.connect(lambda: ctx.navigate("send"))
        for b in (self.rename_button, self.add_button, self.send_button):
            bar.addWidget(b)
        self.outer.addLayout(bar)
        self.error = error_label()
        self.outer.addWidget(self.error)
        # Balances
        top = QHBoxLayout()
        total = Card("Total value")
        self.total = label("—", name="BigNumber")
        total.body.addWidget(self.total)
        self.kind_label = muted("")
        total.body.addWidget(self.kind_label)
        total.body.addWidget(
            muted(
                "Dollar values use a price at most 3 days old. Tokens without one, and "
                "recorded prices older than that, are not counted."
            )
        )
        total.body.addStretch(1)
        total.setFixedWidth(260)
        top.addWidget(total)
        bal_card = Card("Balances")
        self.balances = QTableWidget(0, 3)
        self.balances.setHorizontalHeaderLabels(["Asset", "Amount", "Value"])
        _table(self.balances)
        self.balances.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.balances.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.balances.setMaximumHeight(170)
        bal_card.body.addWidget(self.balances)
        top.addWidget(bal_card, 1)
        self.outer.addLayout(top)
        # History and address book
        self.tabs = QTabWidget()
        hist = QWidget()
        hl = QVBoxLayout(hist)
        hl.setContentsMargins(0, 8, 0, 0)
        frow = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by address, name, asset or hash")
        self.filter.setClearButtonEnabled(True)
        frow.addWidget(self.filter, 1)
        self.show_hidden = QCheckBox("Show suspected address poisoning")
        frow.addWidget(self.show_hidden)
        hl.addLayout(frow)
        self.history_model = HistoryModel(self)
        self.history_proxy = HistoryFilter(self)
        self.history_proxy.setSourceModel(self.history_model)
        self.history = _table(QTableView())
        self.history.setModel(self.history_proxy)
        self.history.setSortingEnabled(True)
        self.history.sortByColumn(HistoryModel.DATE, Qt.SortOrder.DescendingOrder)
        hh = self.history.horizontalHeader()
        hh.setSectionResizeMode(HistoryModel.COUNTERPARTY, QHeaderView.ResizeMode.Stretch)
        hh.resizeSection(HistoryModel.DATE, 140)
        hh.resizeSection(HistoryModel.AMOUNT, 130)
        hl.addWidget(self.history, 1)
        self.hidden_note = muted("")
        hl.addWidget(self.hidden_note)
        self.filter.textChanged.connect(self.history_proxy.set_text)
        self.show_hidden.toggled.connect(self._toggle_hidden)
        self.tabs.addTab(hist, "History")
        book = QWidget()
        bl = QVBoxLayout(book)
        bl.setContentsMargins(0, 8, 0, 0)
        self.contacts_model = ContactsModel(self)
        self.contacts = _table(QTableView())
        self.contacts.setModel(self.contacts_model)
        self.contacts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        bl.addWidget(self.contacts, 1)
        form = QFormLayout()
        self.contact_name = QLineEdit()
        self.contact_address = QLineEdit()
        self.contact_address.setPlaceholderText("0x…")
        self.contact_note = QLineEdit()
        form.addRow("Name", self.contact_name)
        form.addRow("Address", self.contact_address)
        form.addRow("Note", self.contact_note)
        bl.addLayout(form)
        self.contact_error = error_label()
        bl.addWidget(self.contact_error)
        add = QPushButton("Add contact")
        add.clicked.connect(self._add_contact)
        bl.addWidget(add, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(book, "Address book")
        self.outer.addWidget(self.tabs, 1)
        ctx.bridge.transfer_did_arrive.connect(lambda _e: self.refresh())
        ctx.bridge.transaction_did_confirm.connect(lambda _e: self.refresh())
        bridge = ctx.bridge
        self.follow_changes(
            bridge.accounts_did_change,
            bridge.contacts_did_change,
            bridge.transfers_did_change,
            bridge.tokens_did_change,
            bridge.prices_did_change,
        )

    # -- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        account_ops.load(self.services).success(self._got_accounts).failure(self._failed).run()
        self._load_contacts()

    def reload_changed(self, kinds: frozenset[str]) -> None:
        if "accounts" in kinds:
            self.refresh()  # accounts, then the chosen account's balances and history
            return
        acc = self.current_account()
        if "contacts" in kinds:
            self._load_contacts()
        if acc is not None and kinds & {"transfers", "tokens", "prices"}:
            self._load_balances(acc)
        if acc is not None and kinds & {"contacts", "transfers", "tokens"}:
            self._load_history(acc)  # names and symbols in the history come from these

    def _load_contacts(self) -> None:
        contact_ops.load(self.services).success(self.contacts_model.set_rows).failure(
            self._failed
        ).run()

    def current_account(self) -> AccountRow | None:
        i = self.account_box.currentIndex()
        return self.accounts[i] if 0 <= i < len(self.accounts) else None

    def _got_accounts(self, rows: list[AccountRow]) -> None:
        current = self.current_account()
        self.accounts = rows
        self.account_box.blockSignals(True)
        self.account_box.clear()
        for a in rows:
            self.account_box.addItem(f"{a.name}", a.address)
        if current is not None:
            idx = self.account_box.findData(current.address)
            self.account_box.setCurrentIndex(max(idx, 0))
        self.account_box.blockSignals(False)
        self._account_changed()

    def _account_changed(self, *_a: object) -> None:
        acc = self.current_account()
        if acc is None:
            self.address.setText("No accounts yet")
            return
        self.address.setText(acc.address)
        self.kind_label.setText(
            {"watch": "Watch-only: this address cannot send from Warden."}.get(acc.kind, "")
        )
        self.send_button.setEnabled(acc.kind != "watch")
        show_message(self.error, "")
        self.total.setText("…")
        self._load_balances(acc)
        self._load_history(acc)

    def _is_current(self, acc: AccountRow) -> bool:
        """A reload for an account the user has since left is dropped, not drawn."""
        shown = self.current_account()
        return shown is not None and shown.address == acc.address

    def _load_balances(self, acc: AccountRow) -> None:
        def got(rows: list[BalanceRow]) -> None:
            if self._is_current(acc):
                self._got_balances(rows)

        send_ops.balances(self.services, acc.address).success(got).failure(
            self._balances_failed
        ).run()

    def _load_history(self, acc: AccountRow) -> None:
        def got(rows: list[HistoryRow]) -> None:
            if self._is_current(acc):
                self._got_history(rows)

        history_ops.load(self.services, acc.address).success(got).failure(self._failed).run()

    def _got_balances(self, rows: list[BalanceRow]) -> None:
        self.balances.setRowCount(len(rows))
        total = Decimal(0)
        known = False
        for i, r in enumerate(rows):
            self.balances.setItem(i, 0, QTableWidgetItem(r.symbol))
            amount = QTableWidgetItem(format_amount(r.amount))
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.balances.setItem(i, 1, amount)
            fiat = QTableWidgetItem(format_fiat(r.fiat))
            fiat.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.balances.setItem(i, 2, fiat)
            if r.fiat is not None:
                total += r.fiat
                known = True
        self.total.setText(format_fiat(total) if known else "—")

    def _balances_failed(self, exc: BaseException) -> None:
        self.total.setText("—")
        self.balances.setRowCount(0)
        self._failed(exc)

    def _got_history(self, rows: list[HistoryRow]) -> None:
        self.history_model.set_rows(rows)
        hidden = sum(1 for r in rows if r.hidden)
        self.hidden_note.setText(
            f"{hidden} suspected address-poisoning transfer(s) hidden. Never copy an address "
            "from your history; use the address book."
            if hidden and not self.history_proxy.show_hidden
            else ""
        )

    def _toggle_hidden(self, show: bool) -> None:
        self.history_proxy.set_show_hidden(show)
        self._got_history([self.history_model.row(i) for i in range(self.history_model.rowCount())])

    def _failed(self, exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Could not load: {exc}"
        show_message(self.error, msg)

    # -- actions --------------------------------------------------------------------------
    def _copy(self) -> None:
        acc = self.current_account()
        if acc is not None:
            QApplication.clipboard().setText(acc.address)
            self.ctx.status("Address copied")

    def _rename(self) -> None:
        acc = self.current_account()
        if acc is None:
            return
        name, ok = QInputDialog.getText(self, "Rename account", "New name:", text=acc.name)
        if ok:
            account_ops.rename(self.services, acc.address, name).success(
                lambda _r: self.refresh()
            ).failure(self._failed).run()

    def _add_account(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Add account", "Name:", text=f"Account {len(self.accounts) + 1}"
        )
        if ok:
            account_ops.add(self.services, name).success(lambda _r: self.refresh()).failure(
                self._failed
            ).run()

    def _add_contact(self) -> None:
        name = self.contact_name.text()
        address = self.contact_address.text()
        note = self.contact_note.text()

        def done(_row: ContactRow) -> None:
            for w in (self.contact_name, self.contact_address, self.contact_note):
                w.clear()
            show_message(self.contact_error, "")
            self.refresh()

        def failed(exc: BaseException) -> None:
            msg = exc.user_message() if isinstance(exc, WardenError) else str(exc)
            show_message(self.contact_error, msg)

        contact_ops.add(self.services, name, address, note).success(done).failure(failed).run()
