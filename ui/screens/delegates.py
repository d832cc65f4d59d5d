"""Delegates: each with its description, on/off, triggers and settings, last runs, "run now";
and the proposals waiting for the user, approved only through the review dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import WardenError
from ui.backend import DelegateRow, ProposalRow, RunRow
from ui.ops import Op
from ui.review_dialog import ReviewDialog
from ui.screens.base import Screen, ScreenContext
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

    # -- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        Op(self.backend.delegates).success(self._got_delegates).failure(self._failed).run()
        Op(self.backend.proposals).success(self._got_proposals).failure(self._failed).run()

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
            item.setToolTip(r.description)
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
        self.name.setText(_title(d.name))
        self.description.setText(d.description or "")
        self.enabled.blockSignals(True)
        self.enabled.setChecked(d.enabled)
        self.enabled.blockSignals(False)
        self.triggers.setText(
            "Runs: " + ", ".join(d.triggers) if d.triggers else "Runs only when you ask."
        )
        self._build_settings(d.settings)
        self._reload_runs()

    def _build_settings(self, settings: dict[str, Any]) -> None:
        while self.settings_form.rowCount():
            self.settings_form.removeRow(0)
        self.editors = {}
        for key, value in settings.items():
            editor: QWidget
            if isinstance(value, bool):
                editor = QCheckBox()
                editor.setChecked(value)
            elif isinstance(value, int):
                editor = QSpinBox()
                editor.setRange(-(10**9), 10**9)
                editor.setValue(value)
            elif isinstance(value, float):
                editor = QDoubleSpinBox()
                editor.setRange(-1e12, 1e12)
                editor.setDecimals(4)
                editor.setValue(value)
            else:
                editor = QLineEdit(
                    ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                )
            self.editors[key] = editor
            self.settings_form.addRow(_title(key), editor)
        self.settings_card.setVisible(bool(settings))

    def settings_values(self) -> dict[str, Any]:
        d = self.current()
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            old = d.settings.get(key) if d else None
            if isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QSpinBox | QDoubleSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QLineEdit):
                text = editor.text()
                out[key] = (
                    [t.strip() for t in text.split(",") if t.strip()]
                    if isinstance(old, list)
                    else text
                )
        return out

    def _reload_runs(self) -> None:
        d = self.current()
        name = d.name if d else None
        Op(lambda: self.backend.runs(name, limit=20)).success(self._got_runs).failure(
            self._failed
        ).run()

    def _got_runs(self, runs: list[RunRow]) -> None:
        self.runs.setRowCount(len(runs))
        for i, r in enumerate(runs):
            when = r.started_at.strftime("%Y-%m-%d %H:%M") if r.started_at else ""
            self.runs.setItem(i, 0, QTableWidgetItem(when))
            self.runs.setItem(i, 1, QTableWidgetItem(r.trigger))
            self.runs.setCellWidget(i, 2, badge(r.outcome, OUTCOME_VERDICT.get(r.outcome, "")))
            item = QTableWidgetItem(r.message)
            item.setToolTip(r.message)
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
            Op(lambda: self.backend.set_delegate_enabled(d.name, on)).success(
                lambda _r: self.refresh()
            ).failure(self._failed).run()

    def _save(self) -> None:
        d = self.current()
        if d is not None:
            values = self.settings_values()
            Op(lambda: self.backend.save_delegate_settings(d.name, values)).success(
                lambda _r: self.ctx.status("Settings saved")
            ).failure(self._failed).run()

    def _run_now(self) -> None:
        d = self.current()
        if d is None:
            return
        self.run_button.setEnabled(False)
        self.ctx.status(f"Running {_title(d.name)}…")

        def done(_r: object) -> None:
            self.run_button.setEnabled(True)
            self._reload_runs()
            Op(self.backend.proposals).success(self._got_proposals).run()

        Op(lambda: self.backend.run_delegate(d.name), lane="network").success(done).failure(
            self._failed
        ).run()

    def approve(self, proposal_id: int) -> None:
        def show(prepared: Any) -> None:
            self.dialog = ReviewDialog(
                prepared.review, action="Approve the delegate's proposal", parent=self
            )
            self.dialog.accepted.connect(lambda: self._sign(proposal_id, prepared))
            self.dialog.open()

        Op(lambda: self.backend.review_proposal(proposal_id), lane="network").success(show).failure(
            self._failed
        ).run()

    def _sign(self, proposal_id: int, prepared: Any) -> None:
        assert self.dialog is not None
        confirmation = self.dialog.confirmation()

        def work() -> str:
            tx = self.backend.sign_and_send(prepared, confirmation)
            self.backend.resolve_proposal(proposal_id, "approved")
            return tx

        def done(tx: str) -> None:
            self.ctx.status(f"Sent {tx}")
            self.refresh()

        Op(work, lane="network").success(done).failure(self._failed).run()

    def reject(self, proposal_id: int) -> None:
        Op(lambda: self.backend.resolve_proposal(proposal_id, "rejected")).success(
            lambda _r: self.refresh()
        ).failure(self._failed).run()
