"""Delegates: each with its description, on/off, triggers and settings, last runs, "run now";
and the proposals waiting for the user, approved only through the review dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import WardenError
from delegates.runtime import settings_form
from delegates.runtime.settings_form import SettingField
from ui.numbers import locale_number_format
from ui.ops import delegates as delegate_ops
from ui.ops import send as send_ops
from ui.review_dialog import ReviewDialog
from ui.rows import DelegateRow, ProposalRow, RunRow
from ui.screens.base import Screen, ScreenContext
from ui.tooltip_text import wrapped
from ui.trigger_words import trigger_words, triggers_sentence
from ui.widgets import Card, badge, error_label, label, muted, show_message

OUTCOME_VERDICT = {"ok": "safe", "success": "safe", "failed": "danger", "error": "danger"}


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _runs_table() -> QTableWidget:
    t = QTableWidget(0, 4)
    t.setHorizontalHeaderLabels(["Started", "Trigger", "Outcome", "Output"])
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.setShowGrid(False)
    t.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    t.horizontalHeader().resizeSection(0, 140)
    return t


class DelegatesScreen(Screen):
    key = "delegates"
    title = "Delegates"
    subtitle = (
        "Delegates watch your wallet on a schedule or when something happens. They can only "
        "propose actions; nothing is signed without you."
    )

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[DelegateRow] = []
        self.editors: dict[str, QWidget] = {}
        self.fields: tuple[SettingField, ...] = ()
        self.dialog: ReviewDialog | None = None
        main = QHBoxLayout()
        self.list = QListWidget()
        self.list.setFixedWidth(230)
        self.list.setAccessibleName("Delegates")
        self.list.currentRowChanged.connect(self._selected)
        main.addWidget(self.list)
        detail = QVBoxLayout()
        head = QHBoxLayout()
        self.name = label("", name="SubHeading")
        head.addWidget(self.name)
        head.addStretch(1)
        self.enabled = QCheckBox("Enabled")
        self.enabled.toggled.connect(self._toggle)
        head.addWidget(self.enabled)
        self.run_button = QPushButton("Run now")
        self.run_button.setObjectName("Primary")
        self.run_button.clicked.connect(self._run_now)
        head.addWidget(self.run_button)
        detail.addLayout(head)
        self.description = muted("")
        detail.addWidget(self.description)
        self.triggers = label("", wrap=True)
        detail.addWidget(self.triggers)
        self.settings_card = Card("Settings")
        self.settings_form = QFormLayout()
        self.settings_card.body.addLayout(self.settings_form)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        self.save_button = QPushButton("Save settings")
        self.save_button.clicked.connect(self._save)
        save_row.addWidget(self.save_button)
        self.settings_card.body.addLayout(save_row)
        detail.addWidget(self.settings_card)
        detail.addWidget(label("Last runs", name="SubHeading"))
        self.runs = _runs_table()
        detail.addWidget(self.runs, 1)
        main.addLayout(detail, 1)
        self.outer.addLayout(main, 3)
        self.error = error_label()
        self.outer.addWidget(self.error)
        self.proposals_card = Card("Waiting for your decision")
        self.proposals_box = QVBoxLayout()
        self.proposals_card.body.addLayout(self.proposals_box)
        self.outer.addWidget(self.proposals_card, 1)
        ctx.bridge.delegate_did_run.connect(lambda _e: self._reload_runs())
        bridge = ctx.bridge
        self.follow_changes(
            bridge.proposals_did_change, bridge.alerts_did_change, bridge.delegates_did_change
        )

    # -- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        delegate_ops.load(self.services).success(self._got_delegates).failure(self._failed).run()
        delegate_ops.proposals(self.services).success(self._got_proposals).failure(
            self._failed
        ).run()

    def reload_changed(self, kinds: frozenset[str]) -> None:
        # A run or a proposal must not rebuild the settings editors the user may be typing in.
        if "delegates" in kinds:
            self.refresh()
            return
        if "proposals" in kinds:
            delegate_ops.proposals(self.services).success(self._got_proposals).failure(
                self._failed
            ).run()
        if "alerts" in kinds:
            self._reload_runs()

    def _failed(self, exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Something failed: {exc}"
        show_message(self.error, msg)
        self.run_button.setEnabled(True)

    def _got_delegates(self, rows: list[DelegateRow]) -> None:
        current = self.list.currentRow()
        self.rows = rows
        self.list.blockSignals(True)
        self.list.clear()
        for r in rows:
            item = QListWidgetItem(("● " if r.enabled else "○ ") + _title(r.name))
            item.setToolTip(wrapped(r.description))
            self.list.addItem(item)
        self.list.blockSignals(False)
        if rows:
            self.list.setCurrentRow(min(max(current, 0), len(rows) - 1))
            self._selected(self.list.currentRow())

    def current(self) -> DelegateRow | None:
        i = self.list.currentRow()
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def _selected(self, _row: int) -> None:
        d = self.current()
        if d is None:
            return
        if getattr(self, "_shown", None) != d.name:
            show_message(self.error, "")  # a message is about the delegate it was shown for
        self._shown = d.name
        self.name.setText(_title(d.name))
        self.description.setText(d.description or "")
        self.enabled.blockSignals(True)
        self.enabled.setChecked(d.enabled)
        self.enabled.blockSignals(False)
        self.triggers.setText(triggers_sentence(d.triggers))
        self.triggers.setToolTip("Triggers: " + ", ".join(d.triggers))  # codes only here
        self._build_settings(d)
        self._reload_runs()

    def _build_settings(self, d: DelegateRow) -> None:
        """One editor per field of the delegate's typed settings: numbers of any size as text
        (checked on save, in the user's locale), optional values empty, rules as JSON."""
        while self.settings_form.rowCount():
            self.settings_form.removeRow(0)
        self.editors = {}
        self.fields = tuple(d.fields) or settings_form.describe_values(d.settings)
        fmt = locale_number_format()
        for field in self.fields:
            editor: QWidget
            if field.kind == "bool":
                editor = QCheckBox()
                editor.setChecked(bool(field.value))
            elif field.kind == "json":
                editor = QPlainTextEdit(settings_form.text_of(field, fmt))
                editor.setPlaceholderText(field.example)
                editor.setFixedHeight(64)
                editor.setToolTip(
                    wrapped(f"JSON, e.g. {field.example}" if field.example else "JSON")
                )
            else:
                editor = QLineEdit(settings_form.text_of(field, fmt))
                if field.optional:
                    editor.setPlaceholderText("not set")
                elif field.example:
                    editor.setPlaceholderText(field.example)
            editor.setAccessibleName(field.label)
            self.editors[field.name] = editor
            self.settings_form.addRow(field.label, editor)
        self.settings_card.setVisible(bool(self.fields))

    def settings_values(self) -> dict[str, Any]:
        """The typed values in the editors; DelegateError (naming each field, saying what to
        type) when one cannot be read."""
        raw: dict[str, str | bool] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                raw[key] = editor.isChecked()
            elif isinstance(editor, QPlainTextEdit):
                raw[key] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                raw[key] = editor.text()
        return settings_form.read_form(self.fields, raw, locale_number_format())

    def _reload_runs(self) -> None:
        d = self.current()
        name = d.name if d else None
        delegate_ops.runs(self.services, name, limit=20).success(self._got_runs).failure(
            self._failed
        ).run()

    def _got_runs(self, runs: list[RunRow]) -> None:
        self.runs.setRowCount(len(runs))
        for i, r in enumerate(runs):
            when = r.started_at.strftime("%Y-%m-%d %H:%M") if r.started_at else ""
            self.runs.setItem(i, 0, QTableWidgetItem(when))
            self.runs.setItem(i, 1, QTableWidgetItem(trigger_words(r.trigger)))
            self.runs.setCellWidget(i, 2, badge(r.outcome, OUTCOME_VERDICT.get(r.outcome, "")))
            item = QTableWidgetItem(r.message)
            item.setToolTip(wrapped(r.message))
            self.runs.setItem(i, 3, item)

    def _got_proposals(self, rows: list[ProposalRow]) -> None:
        while self.proposals_box.count():
            item = self.proposals_box.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        if not rows:
            self.proposals_box.addWidget(muted("Nothing is waiting for you."))
        for p in rows:
            line = QWidget()
            ll = QHBoxLayout(line)
            ll.setContentsMargins(0, 0, 0, 0)
            ll.addWidget(badge(p.kind, "caution"))
            ll.addWidget(label(f"{p.title}  ·  from {_title(p.delegate)}", wrap=True), 1)
            approve = QPushButton("Review and approve…")
            approve.setObjectName("Primary")
            approve.clicked.connect(lambda _c=False, pid=p.id: self.approve(pid))
            reject = QPushButton("Reject")
            reject.clicked.connect(lambda _c=False, pid=p.id: self.reject(pid))
            ll.addWidget(approve)
            ll.addWidget(reject)
            self.proposals_box.addWidget(line)

    # -- actions --------------------------------------------------------------------------
    def _toggle(self, on: bool) -> None:
        d = self.current()
        if d is not None:
            delegate_ops.set_enabled(self.services, d.name, on).success(
                lambda _r: self.refresh()
            ).failure(self._failed).run()

    def _save(self) -> None:
        d = self.current()
        if d is None:
            return
        try:
            values = self.settings_values()
        except WardenError as exc:  # nothing is saved
            show_message(self.error, exc.user_message())
            return

        def saved(_r: object) -> None:
            show_message(self.error, "")
            self.ctx.status("Settings saved")
            self.refresh()

        delegate_ops.save_settings(self.services, d.name, values).success(saved).failure(
            self._failed
        ).run()

    def _run_now(self) -> None:
        d = self.current()
        if d is None:
            return
        self.run_button.setEnabled(False)
        self.ctx.status(f"Running {_title(d.name)}…")

        def done(_r: object) -> None:
            self.run_button.setEnabled(True)
            self._reload_runs()
            delegate_ops.proposals(self.services).success(self._got_proposals).run()

        delegate_ops.run(self.services, d.name).success(done).failure(self._failed).run()

    def show_state(self, **state: Any) -> None:
        """From the Assistant's revoke card: open that proposal's review, as Approve does."""
        proposal_id = state.get("proposal_id")
        if isinstance(proposal_id, int) and not isinstance(proposal_id, bool):
            self.approve(proposal_id)

    def approve(self, proposal_id: int) -> None:
        def show(prepared: Any) -> None:
            self.dialog = ReviewDialog(
                prepared.review, action="Approve the delegate's proposal", parent=self
            )
            self.dialog.accepted.connect(lambda: self._sign(proposal_id, prepared))
            self.dialog.rejected.connect(lambda: self._cancel(prepared))
            self.dialog.open()

        delegate_ops.review_proposal(self.services, proposal_id).success(show).failure(
            self._failed
        ).run()

    def _sign(self, proposal_id: int, prepared: Any) -> None:
        assert self.dialog is not None
        confirmation = self.dialog.confirmation()

        def done(tx: str) -> None:
            self.ctx.status(f"Sent {tx}")
            self.refresh()

        # Signing approves the proposal in the same step that records the broadcast, so a
        # proposal is sent at most once (app.wallet.requests).
        send_ops.sign_and_send(
            self.services, prepared, confirmation, success=done, failure=self._failed
        )

    def _cancel(self, prepared: Any) -> None:
        """Closing the review is the user's no: the request, and with it the proposal, is
        rejected (``RequestPipeline.reject``); nothing was signed."""
        send_ops.cancel(self.services, prepared).failure(self._failed).run()

    def reject(self, proposal_id: int) -> None:
        delegate_ops.reject_proposal(self.services, proposal_id).success(
            lambda _r: self.refresh()
        ).failure(self._failed).run()
