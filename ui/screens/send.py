"""Send: recipient (address-book completion, look-alike warning), asset, amount (max, dollar
value), fee; then the review dialog, and only after it the signing step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.errors import InvalidInput, WardenError
from app.lookalike import lookalike_of
from app.wallet import amounts
from app.wallet.addresses import validate_address as checksum_address
from ui.numbers import locale_number_format
from ui.ops import send as send_ops
from ui.review_dialog import ReviewDialog
from ui.rows import AccountRow, BalanceRow, ContactRow, SendDraft
from ui.screens.base import Screen, ScreenContext
from ui.table_models import format_amount, format_fiat, short_address
from ui.widgets import BusyLine, Card, error_label, label, muted, show_message


def _note(lab: QLabel, text: str) -> None:
    """A hint line under a field: hidden while empty, so the form does not gape."""
    lab.setText(text)
    lab.setVisible(bool(text))


FEES = (("normal", "Normal (suggested by the node)"), ("fast", "Fast"), ("slow", "Slow"))


class SendScreen(Screen):
    key = "send"
    title = "Send"
    subtitle = "Every transaction is reviewed on this computer before it can be signed."
    sent = Signal(str)  # transaction hash

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.accounts: list[AccountRow] = []
        self.contacts: list[ContactRow] = []
        self.assets: list[BalanceRow] = []
        self.prices: dict[str, Decimal] = {}
        self.dialog: ReviewDialog | None = None
        card = Card()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(10)
        self.account_box = QComboBox()
        self.account_box.currentIndexChanged.connect(self._account_changed)
        form.addRow("From", self.account_box)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("0x… address or a name from your address book")
        self.recipient.textChanged.connect(self._check_recipient)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.recipient.setCompleter(self.completer)
        form.addRow("To", self.recipient)
        self.recipient_note = muted("")
        self.recipient_note.hide()
        self.lookalike = label("", name="Error", wrap=True)
        self.lookalike.hide()
        form.addRow("", self.recipient_note)
        form.addRow("", self.lookalike)
        self.asset_box = QComboBox()
        self.asset_box.currentIndexChanged.connect(self._update_fiat)
        form.addRow("Asset", self.asset_box)
        amount_row = QHBoxLayout()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.0")
        self.amount.textChanged.connect(self._update_fiat)
        amount_row.addWidget(self.amount, 1)
        self.max_button = QPushButton("Max")
        self.max_button.clicked.connect(self._max)
        amount_row.addWidget(self.max_button)
        form.addRow("Amount", amount_row)
        self.fiat = muted("")
        self.fiat.hide()
        form.addRow("", self.fiat)
        self.fee_box = QComboBox()
        for key, text in FEES:
            self.fee_box.addItem(text, key)
        form.addRow("Fee", self.fee_box)
        card.body.addLayout(form)
        self.error = error_label()
        card.body.addWidget(self.error)
        self.busy = BusyLine()
        card.body.addWidget(self.busy)
        row = QHBoxLayout()
        row.addStretch(1)
        self.review_button = QPushButton("Review…")
        self.review_button.setObjectName("Primary")
        self.review_button.clicked.connect(self.review)
        row.addWidget(self.review_button)
        card.body.addLayout(row)
        row2 = QHBoxLayout()
        row2.addWidget(card, 3)
        info = Card("Before anything is signed")
        for line in (
            "The transaction is decoded and checked on this computer, against your own node.",
            "The recipient is compared with your address book and past counterparties; "
            "look-alike addresses are flagged.",
            "The node simulates it where it can, so you see what leaves your wallet.",
            "Dangerous requests need you to type a confirmation; nothing is signed until "
            "you press the button in the review.",
        ):
            info.body.addWidget(muted(f"•  {line}"))
        info.body.addStretch(1)
        row2.addWidget(info, 2)
        row2.setAlignment(card, Qt.AlignmentFlag.AlignTop)
        self.outer.addLayout(row2)
        self.outer.addStretch(1)
        for a, b in (
            (self.account_box, self.recipient),
            (self.recipient, self.asset_box),
            (self.asset_box, self.amount),
            (self.amount, self.max_button),
            (self.max_button, self.fee_box),
            (self.fee_box, self.review_button),
        ):
            QWidget.setTabOrder(a, b)
        bridge = ctx.bridge
        self.follow_changes(
            bridge.accounts_did_change,
            bridge.contacts_did_change,
            bridge.transfers_did_change,
            bridge.tokens_did_change,
            bridge.prices_did_change,
        )

    def show_state(self, **state: Any) -> None:
        """Prefill from the assistant's confirmed action (recipient, amount, asset)."""
        if state.get("recipient"):
            self.recipient.setText(str(state["recipient"]))
        if state.get("amount"):
            # The assistant writes "0.1"; the field reads the user's locale ("0,1" in German).
            try:
                text = amounts.to_input_text(str(state["amount"]), locale_number_format())
            except InvalidInput:
                text = str(state["amount"])  # shown as it came; the review refuses it
            self.amount.setText(text)
        if state.get("asset"):
            self._wanted_asset = str(state["asset"]).upper()
            self._select_wanted_asset()

    def _select_wanted_asset(self) -> None:
        wanted = getattr(self, "_wanted_asset", "")
        for i in range(self.asset_box.count()):
            if self.asset_box.itemData(i) == wanted:
                self.asset_box.setCurrentIndex(i)

    # -- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        send_ops.load_form(self.services).success(self._loaded).failure(self._failed).run()

    def _loaded(self, data: tuple[Any, ...]) -> None:
        accounts, self.contacts, self.prices, self.known_history = data
        self.accounts = [a for a in accounts if a.kind != "watch"]
        chosen = self.account_box.currentData()  # a reload keeps the account being used
        self.account_box.blockSignals(True)
        self.account_box.clear()
        for a in self.accounts:
            self.account_box.addItem(f"{a.name}  ({short_address(a.address)})", a.address)
        self.account_box.setCurrentIndex(max(self.account_box.findData(chosen), 0))
        self.account_box.blockSignals(False)
        self.completer.model().setStringList(  # type: ignore[attr-defined]
            [f"{c.name} <{c.address}>" for c in self.contacts]
        )
        self._check_recipient()  # a contact added meanwhile is now known, or a look-alike
        self._account_changed()

    def _account_changed(self, *_a: object) -> None:
        address = self.account_box.currentData()
        if not address:
            show_message(self.error, "No account can send: add or import one first.")
            return
        send_ops.balances(self.services, address).success(self._got_assets).failure(
            self._failed
        ).run()

    def _got_assets(self, rows: list[BalanceRow]) -> None:
        self.assets = rows
        # By symbol, not by text: the text holds the balance, which a reload changes.
        current = self.asset_box.currentData()
        self.asset_box.clear()
        for r in rows:
            self.asset_box.addItem(f"{r.symbol}  ({format_amount(r.amount)} available)", r.symbol)
        idx = self.asset_box.findData(current)
        if idx >= 0:
            self.asset_box.setCurrentIndex(idx)
        self._select_wanted_asset()

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.review_button.setEnabled(True)
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Something failed: {exc}"
        show_message(self.error, msg)

    # -- recipient and amount -------------------------------------------------------------
    def resolved_recipient(self) -> str:
        text = self.recipient.text().strip()
        if "<" in text and text.endswith(">"):
            text = text[text.rindex("<") + 1 : -1]
        for c in self.contacts:
            if text.lower() == c.name.lower():
                return c.address
        if text and not text.lower().startswith("0x"):
            # "alice" from the assistant: a name that starts exactly one contact's name
            found = [c for c in self.contacts if c.name.lower().startswith(text.lower())]
            if len(found) == 1:
                return found[0].address
        return text

    def _check_recipient(self, *_a: object) -> None:
        text = self.resolved_recipient()
        self.lookalike.hide()
        _note(self.recipient_note, "")
        if not text:
            return
        try:
            address = checksum_address(text)
        except WardenError as exc:
            if len(text) >= 42:
                _note(self.recipient_note, str(exc))
            if len(text) != 42:
                return
            address = text  # still compare it: a mistyped checksum can hide a look-alike
        contact = next((c for c in self.contacts if c.address.lower() == address.lower()), None)
        own = next((a for a in self.accounts if a.address.lower() == address.lower()), None)
        if contact is not None:
            _note(self.recipient_note, f"✓ {contact.name} from your address book")
            return
        if own is not None:
            _note(self.recipient_note, f"✓ your own account {own.name}")
            return
        known = [c.address for c in self.contacts] + [a.address for a in self.accounts]
        known += self.known_history if hasattr(self, "known_history") else []
        imitated = lookalike_of(address, known)
        if imitated is not None:
            name = next((c.name for c in self.contacts if c.address == imitated), "")
            who = f"{name} ({imitated})" if name else imitated
            show_message(
                self.lookalike,
                f"⚠ This address only looks like {who}. The middle is different. This is how "
                "address-poisoning scams work: check the whole address, or pick the contact "
                "from your address book.",
            )
        else:
            _note(self.recipient_note, "A new address: not in your address book.")

    def current_asset(self) -> BalanceRow | None:
        i = self.asset_box.currentIndex()
        return self.assets[i] if 0 <= i < len(self.assets) else None

    def units(self) -> int:
        """The typed amount in the asset's base units, read in the user's locale by the core's
        parser; InvalidInput (saying what to type) for anything that could be misread."""
        asset = self.current_asset()
        decimals = asset.decimals if asset is not None else 18
        symbol = asset.symbol if asset is not None else ""
        return amounts.parse_amount(
            self.amount.text(), decimals, symbol=symbol, fmt=locale_number_format()
        )

    def _amount(self) -> Decimal | None:
        asset = self.current_asset()
        try:
            units = self.units()
        except InvalidInput:
            return None
        return self._as_decimal(units, asset)

    @staticmethod
    def _as_decimal(units: int, asset: BalanceRow | None) -> Decimal:
        """Base units as a Decimal of the asset, from the exact digits (Decimal arithmetic
        would round past 28 digits)."""
        return Decimal(amounts.format_amount(units, asset.decimals if asset else 18))

    def _update_fiat(self, *_a: object) -> None:
        # a banner about the amount or asset typed before no longer holds for the new one
        show_message(self.error, "")
        asset = self.current_asset()
        amount = self._amount()
        if asset is None or amount is None or amount <= 0:  # never "≈ $-1,110.12"
            _note(self.fiat, "")
            return
        price = self.prices.get(asset.symbol)
        _note(self.fiat, f"≈ {format_fiat(amount * price)}" if price is not None else "")

    def _max(self) -> None:
        asset = self.current_asset()
        address = self.account_box.currentData()
        if asset is None or not address:
            return

        def put(value: Decimal) -> None:
            # Exactly, in the user's locale, in a form the parser reads back unchanged.
            self.amount.setText(amounts.to_input_text(format(value, "f"), locale_number_format()))

        def fallback(_exc: BaseException) -> None:
            # Without the wallet's fee-aware maximum, tokens can use the whole balance.
            if asset.token is not None:
                put(asset.amount)

        send_ops.max_amount(self.services, address, asset.symbol).success(put).failure(
            fallback
        ).run()

    # -- review and send ------------------------------------------------------------------
    def draft(self) -> SendDraft:
        address = self.account_box.currentData()
        if not address:
            raise WardenError("Choose the account to send from.")
        asset = self.current_asset()
        if asset is None:
            raise WardenError("Choose what to send.", hint="Balances may still be loading.")
        units = self.units()
        if units <= 0:
            raise InvalidInput(
                f"{self.amount.text()!r} is nothing to send.", hint="Type an amount above zero."
            )
        amount = self._as_decimal(units, asset)
        recipient = checksum_address(self.resolved_recipient())
        return SendDraft(address, recipient, asset.symbol, amount, self.fee_box.currentData())

    def review(self) -> None:
        try:
            draft = self.draft()
        except WardenError as exc:
            show_message(self.error, exc.user_message())
            return
        show_message(self.error, "")
        self.review_button.setEnabled(False)
        self.busy.start("Building and reviewing the transaction…")
        send_ops.prepare(self.services, draft).success(
            lambda prepared: self._show_review(draft, prepared)
        ).failure(self._failed).run()

    def _show_review(self, draft: SendDraft, prepared: Any) -> None:
        self.busy.stop()
        self.review_button.setEnabled(True)
        action = (
            f"Send {self._amount_with_share(draft)} to {draft.recipient}{self._fee_text(prepared)}"
        )
        self.dialog = ReviewDialog(prepared.review, action=action, parent=self)
        self.dialog.accepted.connect(lambda: self._sign(prepared))
        self.dialog.rejected.connect(lambda: self._cancel(prepared))
        self.dialog.open()

    def _amount_with_share(self, draft: SendDraft) -> str:
        """ "0,5 ETH (4 % of your balance of 12,5 ETH)" in the user's locale, marked from a
        quarter of the balance up (``amounts.is_large_transfer``)."""
        asset = next((a for a in self.assets if a.symbol == draft.asset), None)
        decimals = asset.decimals if asset is not None else 18
        fmt = locale_number_format()
        units = amounts.parse_amount(format(draft.amount, "f"), decimals)
        text = f"{amounts.display_amount(units, decimals, fmt)} {draft.asset}"
        if asset is None:
            return text
        balance = amounts.parse_amount(format(asset.amount, "f"), decimals)
        share = amounts.share_of_balance(units, balance)
        held = amounts.display_amount(balance, decimals, fmt, places=6)
        large = " ⚠ a large transfer" if amounts.is_large_transfer(units, balance) else ""
        return f"{text} ({share} of {held} {draft.asset}){large}"

    @staticmethod
    def _fee_text(prepared: Any) -> str:
        fee = getattr(prepared, "fee_text", "")
        return f"\nMaximum network fee: {fee}" if fee else ""

    def _sign(self, prepared: Any) -> None:
        assert self.dialog is not None
        confirmation = self.dialog.confirmation()
        self.busy.start("Signing and sending…")
        self.review_button.setEnabled(False)
        send_ops.sign_and_send(
            self.services, prepared, confirmation, success=self._sent, failure=self._failed
        )

    def _cancel(self, prepared: Any) -> None:
        send_ops.cancel(self.services, prepared).failure(self._failed).run()

    def _sent(self, tx_hash: str) -> None:
        self.busy.stop()
        self.review_button.setEnabled(True)
        self.amount.clear()
        self._account_changed()  # the "available" amounts in the asset list are now stale
        self.ctx.status(f"Sent: {tx_hash}")
        self.sent.emit(tx_hash)
