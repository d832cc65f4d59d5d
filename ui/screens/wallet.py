"""Wallet: accounts, balances with their dollar value, history, address book."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
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
from app.wallet.amounts import format_amount as format_units
from app.wallet.sender import PENDING
from ui.ops import accounts as account_ops
from ui.ops import contacts as contact_ops
from ui.ops import history as history_ops
from ui.ops import send as send_ops
from ui.review_dialog import ReviewDialog
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


def _message(exc: BaseException) -> str:
    return exc.user_message() if isinstance(exc, WardenError) else str(exc)


def _gwei(wei: int) -> str:
    return format_units(wei, 9, places=4)


class WalletScreen(Screen):
    key = "wallet"
    title = "Wallet"
    #: (original hash, replacement hash or "" when none went out, the original's status)
    replacement_finished = Signal(str, str, str)
    #: a contact was saved or removed, or could not be: the message shown
    contact_done = Signal(str)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.accounts: list[AccountRow] = []
        self._want_account = ""  # an account just added: selected once the list reloads
        self.dialog: ReviewDialog | None = None
        self.replacing = False  # from a press of Speed up / Cancel until its outcome shows
        self.editing: str | None = None  # address of the contact selected for editing
        self._warned_for: tuple[str, str] | None = None  # look-alike already shown for
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
        prow = QHBoxLayout()
        self.pending_note = muted("")
        prow.addWidget(self.pending_note, 1)
        self.speedup_button = QPushButton("Speed up")
        self.speedup_button.setToolTip("Send it again with the same nonce and a higher fee")
        self.speedup_button.clicked.connect(lambda: self._replace(cancel=False))
        self.cancel_tx_button = QPushButton("Cancel transaction")
        self.cancel_tx_button.setToolTip(
            "Replace it with a 0-value send to yourself (same nonce, higher fee)"
        )
        self.cancel_tx_button.clicked.connect(lambda: self._replace(cancel=True))
        for b in (self.speedup_button, self.cancel_tx_button):
            b.hide()
            prow.addWidget(b)
        hl.addLayout(prow)
        self.history.selectionModel().selectionChanged.connect(self._history_selected)
        self.history_proxy.modelReset.connect(self._history_selected)
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
        self.contacts.selectionModel().selectionChanged.connect(self._contact_selected)
        self.contacts_model.modelReset.connect(self._contact_selected)
        form = QFormLayout()
        self.contact_name = QLineEdit()
        self.contact_address = QLineEdit()
        self.contact_address.setPlaceholderText("0x…")
        self.contact_note = QLineEdit()
        form.addRow("Name", self.contact_name)
        form.addRow("Address", self.contact_address)
        form.addRow("Note", self.contact_note)
        bl.addLayout(form)
        self.contact_address.textChanged.connect(self._forget_warning)
        self.contact_warning = error_label()
        bl.addWidget(self.contact_warning)
        self.contact_error = error_label()
        bl.addWidget(self.contact_error)
        crow = QHBoxLayout()
        crow.addStretch(1)
        self.remove_contact_button = QPushButton("Remove")
        self.remove_contact_button.clicked.connect(self._remove_contact)
        self.save_contact_button = QPushButton("Save changes")
        self.save_contact_button.clicked.connect(lambda: self._save_contact(self.editing))
        self.add_contact_button = QPushButton("Add contact")
        self.add_contact_button.clicked.connect(lambda: self._save_contact(None))
        for b in (self.remove_contact_button, self.save_contact_button, self.add_contact_button):
            crow.addWidget(b)
        self.remove_contact_button.setEnabled(False)
        self.save_contact_button.setEnabled(False)
        bl.addLayout(crow)
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
        wanted = self._want_account or (current.address if current is not None else "")
        if wanted:
            idx = self.account_box.findData(wanted)
            self.account_box.setCurrentIndex(max(idx, 0))
            if idx >= 0:
                self._want_account = ""
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
                history_ops.ens_names(self.services, rows).success(named).run()

        def named(names: dict[str, str]) -> None:
            if self._is_current(acc) and names:
                self.history_model.set_ens_names(names)

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
            self.add_account(name)

    def add_account(self, name: str) -> None:
        """Derive the next account; say so and select it once the list reloads."""

        def added(row: AccountRow) -> None:
            self._want_account = row.address
            self.ctx.status(f"Added account {row.name} ({row.address})")
            self.refresh()

        account_ops.add(self.services, name).success(added).failure(self._failed).run()

    # -- pending sends: speed up or cancel (issue 11) -------------------------------------
    def selected_history_row(self) -> HistoryRow | None:
        picked = self.history.selectionModel().selectedRows()
        if len(picked) != 1:
            return None
        src = self.history_proxy.mapToSource(picked[0])
        return self.history_model.row(src.row()) if src.isValid() else None

    def can_replace(self, row: HistoryRow | None) -> bool:
        """A send of this wallet, still pending, from an account that can sign."""
        acc = self.current_account()
        return (
            row is not None
            and acc is not None
            and acc.kind != "watch"
            and row.status == PENDING
            and row.direction in ("out", "self")
            and not row.hidden
            and (not row.account or row.account.lower() == acc.address.lower())
        )

    def _history_selected(self, *_a: object) -> None:
        row = self.selected_history_row()
        ok = self.can_replace(row) and not self.replacing
        for b in (self.speedup_button, self.cancel_tx_button):
            b.setVisible(ok)
            b.setEnabled(ok)
        self.pending_note.setText(
            "Still waiting to be mined: send it again with a higher fee, or cancel it."
            if ok
            else ""
        )

    def _replace(self, *, cancel: bool) -> None:
        row = self.selected_history_row()
        if row is None or not self.can_replace(row):
            return
        show_message(self.error, "")
        self.replacing = True
        self._history_selected()
        self.ctx.status("Checking the pending transaction and building its replacement…")
        history_ops.prepare_replacement(self.services, row.tx_hash, cancel).success(
            lambda prepared: self._show_replacement(row, prepared, cancel)
        ).failure(lambda exc: self._replacement_failed(row.tx_hash, exc, sent=False)).run()

    def _show_replacement(self, row: HistoryRow, prepared: Any, cancel: bool) -> None:
        built = prepared.built
        nonce = built.extra.get("nonce")
        who = row.counterparty_name or row.counterparty
        if cancel:
            action = (
                f"Cancel the pending send of {format_amount(row.amount)} {row.asset} to {who} "
                f"(nonce {nonce}): it is replaced by a send of 0 to yourself ({built.sender})."
            )
        else:
            action = (
                f"Speed up the pending send of {format_amount(row.amount)} {row.asset} to "
                f"{who} (nonce {nonce}): the same transaction with a higher fee."
            )
        action += (
            f"\nNew fees: max {_gwei(built.max_fee_per_gas)} gwei, priority "
            f"{_gwei(built.max_priority_fee_per_gas)} gwei"
        )
        if prepared.fee_text:
            action += f"\nMaximum network fee: {prepared.fee_text}"
        self.dialog = ReviewDialog(prepared.review, action=action, parent=self)
        self.dialog.accepted.connect(lambda: self._sign_replacement(row.tx_hash, prepared))
        self.dialog.rejected.connect(lambda: self._replacement_closed(prepared))
        self.dialog.open()

    def _replacement_closed(self, prepared: Any) -> None:
        send_ops.cancel(self.services, prepared).failure(self._failed).run()
        self.replacing = False
        self._history_selected()

    def _sign_replacement(self, old_hash: str, prepared: Any) -> None:
        assert self.dialog is not None
        confirmation = self.dialog.confirmation()
        self.ctx.status("Signing and sending the replacement…")
        send_ops.sign_and_send(
            self.services,
            prepared,
            confirmation,
            success=lambda new_hash: self._settle(old_hash, new_hash),
            failure=lambda exc: self._replacement_failed(old_hash, exc, sent=True),
        )

    def _settle(self, old_hash: str, new_hash: str, error: str = "") -> None:
        """The original may have been mined before its replacement: record what it became,
        as ``warden tx`` does."""

        def settled(status: str) -> None:
            if status in ("confirmed", "reverted"):
                msg = f"The original was mined first ({status}); the replacement was not needed."
                show_message(self.error, msg)
                self.ctx.status(msg)
            elif error:
                show_message(self.error, error)
            else:
                self.ctx.status(f"Replacement sent: {new_hash}")
            self.replacing = False
            self._history_selected()
            self.replacement_finished.emit(old_hash, new_hash, status)

        def unknown(exc: BaseException) -> None:
            show_message(self.error, error or _message(exc))
            self.replacing = False
            self._history_selected()
            self.replacement_finished.emit(old_hash, new_hash, "unknown")

        history_ops.settle_original(self.services, old_hash).success(settled).failure(unknown).run()

    def _replacement_failed(self, old_hash: str, exc: BaseException, *, sent: bool) -> None:
        if sent:  # it may have failed because the original was mined meanwhile
            self._settle(old_hash, "", _message(exc))
            return
        show_message(self.error, _message(exc))
        self.replacing = False
        self._history_selected()
        self.replacement_finished.emit(old_hash, "", "")

    # -- address book ---------------------------------------------------------------------
    def _contact_selected(self, *_a: object) -> None:
        picked = self.contacts.selectionModel().selectedRows()
        row = self.contacts_model.rows()[picked[0].row()] if len(picked) == 1 else None
        self.editing = row.address if row is not None else None
        self.save_contact_button.setEnabled(row is not None)
        self.remove_contact_button.setEnabled(row is not None)
        if row is not None:
            self.contact_name.setText(row.name)
            self.contact_address.setText(row.address)
            self.contact_note.setText(row.note)
            show_message(self.contact_error, "")

    def _forget_warning(self, *_a: object) -> None:
        self._warned_for = None
        show_message(self.contact_warning, "")

    def _save_contact(self, editing: str | None) -> None:
        """Add (``editing`` None) or change a contact; an address that looks like another
        contact's is shown first, and saved only when the user presses again."""
        name = self.contact_name.text()
        address = self.contact_address.text().strip()
        note = self.contact_note.text()
        key = (address.lower(), editing or "")
        if self._warned_for == key:
            self._write_contact(editing, name, address, note)
            return

        def checked(similar: ContactRow | None) -> None:
            if similar is None:
                self._write_contact(editing, name, address, note)
                return
            self._warned_for = key
            again = "Save changes" if editing else "Add contact"
            msg = (
                f"⚠ {address} looks like the address of {similar.name} ({similar.address}): "
                "the same first and last characters. Address poisoning works this way. Check "
                f"every character; press {again} again to save it anyway."
            )
            show_message(self.contact_warning, msg)
            self.contact_done.emit(msg)

        contact_ops.lookalike(self.services, address, editing or "").success(checked).failure(
            self._contact_failed
        ).run()

    def _add_contact(self) -> None:
        self._save_contact(None)

    def _write_contact(self, editing: str | None, name: str, address: str, note: str) -> None:
        def done(row: ContactRow) -> None:
            self.contacts.clearSelection()
            for w in (self.contact_name, self.contact_address, self.contact_note):
                w.clear()
            show_message(self.contact_error, "")
            self._forget_warning()
            msg = f"Saved contact {row.name}" if editing else f"Added contact {row.name}"
            self.ctx.status(msg)
            self._load_contacts()
            self.contact_done.emit(msg)

        if editing:
            op = contact_ops.update(self.services, editing, name, address, note)
        else:
            op = contact_ops.add(self.services, name, address, note)
        op.success(done).failure(self._contact_failed).run()

    def _remove_contact(self) -> None:
        address = self.editing
        if not address:
            return
        name = self.contact_name.text()

        def done(_r: None) -> None:
            self.contacts.clearSelection()
            for w in (self.contact_name, self.contact_address, self.contact_note):
                w.clear()
            msg = f"Removed contact {name}"
            self.ctx.status(msg)
            self._load_contacts()
            self.contact_done.emit(msg)

        contact_ops.remove(self.services, address).success(done).failure(self._contact_failed).run()

    def _contact_failed(self, exc: BaseException) -> None:
        msg = _message(exc)
        show_message(self.contact_error, msg)
        self.contact_done.emit(msg)
