"""Models: the catalog with memory estimates, importing a GGUF with progress, the model each
delegate uses, and the larger-host settings (off by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.errors import WardenError
from ui.ops import models as model_ops
from ui.ops import tasks
from ui.rows import ModelRow, RemoteSettings
from ui.screens.base import Screen, ScreenContext
from ui.widgets import Card, error_label, label, muted, show_message

TASKS = (
    ("tx_review", "Transaction review explanations"),
    ("market_analysis", "Market brief"),
    ("assistant", "Assistant"),
    ("intent", "Understanding requests"),
)


class ModelsScreen(Screen):
    key = "models"
    title = "Models"
    subtitle = "Language models that run on this computer, and an optional larger host."

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[ModelRow] = []
        catalog = Card("Catalog")
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["Model", "Source", "File size", "Memory needed", "Context", "Licence"]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        catalog.body.addWidget(self.table)
        irow = QHBoxLayout()
        self.memory = muted("", wrap=False)
        irow.addWidget(self.memory, 1)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(220)
        self.progress.hide()
        irow.addWidget(self.progress)
        self.import_button = QPushButton("Import GGUF…")
        self.import_button.clicked.connect(self._pick_file)
        irow.addWidget(self.import_button)
        catalog.body.addLayout(irow)
        self.outer.addWidget(catalog, 2)
        self.error = error_label()
        self.outer.addWidget(self.error)
        lower = QHBoxLayout()
        choices = Card("Model per delegate")
        self.choice_form = QFormLayout()
        self.choice_boxes: dict[str, QComboBox] = {}
        for key, text in TASKS:
            box = QComboBox()
            box.setAccessibleName(text)
            box.activated.connect(lambda _i, key=key: self._choose(key))
            self.choice_boxes[key] = box
            self.choice_form.addRow(text, box)
        choices.body.addLayout(self.choice_form)
        choices.body.addStretch(1)
        lower.addWidget(choices, 1)
        remote = Card("Larger host (optional)")
        remote.body.addWidget(
            muted(
                "Any OpenAI-compatible server. Before anything leaves this computer, "
                "addresses, amounts, hashes and names are replaced by placeholders; keys and "
                "recovery phrases are refused outright. Off unless you turn it on."
            )
        )
        form = QFormLayout()
        self.remote_enabled = QCheckBox("Send large requests to this host")
        self.remote_url = QLineEdit()
        self.remote_url.setPlaceholderText("https://host.example/v1")
        self.remote_model = QLineEdit()
        self.remote_model.setPlaceholderText("model name on the host")
        self.remote_key = QLineEdit()
        self.remote_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.remote_key.setPlaceholderText("API key (kept in the system keyring)")
        form.addRow("", self.remote_enabled)
        form.addRow("URL", self.remote_url)
        form.addRow("Model", self.remote_model)
        form.addRow("API key", self.remote_key)
        remote.body.addLayout(form)
        self.remote_error = error_label()
        remote.body.addWidget(self.remote_error)
        save = QPushButton("Save host settings")
        save.clicked.connect(self._save_remote)
        remote.body.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        lower.addWidget(remote, 1)
        self.outer.addLayout(lower, 2)

    def refresh(self) -> None:
        model_ops.load_page(self.services).success(self._loaded).failure(self._failed).run()

    def _loaded(self, data: tuple[Any, ...]) -> None:
        self.rows, choices, remote, memory = data
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            cells = (
                r.name,
                r.source,
                f"{r.size_mb:,.0f} MB",
                "—" if r.memory_mb is None else f"{r.memory_mb:,.0f} MB",
                "—" if r.context is None else f"{r.context:,}",
                r.licence,
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(r.path)
                self.table.setItem(i, j, item)
        self.memory.setText(memory)
        names = [r.name for r in self.rows]
        for key, box in self.choice_boxes.items():
            box.clear()
            box.addItems(names)
            if choices.get(key) in names:
                box.setCurrentText(choices[key])
        self.remote_enabled.setChecked(remote.enabled)
        self.remote_url.setText(remote.url)
        self.remote_model.setText(remote.model)
        self.remote_key.setPlaceholderText(
            "API key saved in the keyring" if remote.has_key else "API key (kept in the keyring)"
        )

    def _failed(self, exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Something failed: {exc}"
        show_message(self.error, msg)
        self.progress.hide()
        self.import_button.setEnabled(True)

    def _choose(self, task: str) -> None:
        name = self.choice_boxes[task].currentText()
        model_ops.set_choice(self.services, task, name).success(
            lambda _r: self.ctx.status(f"{task} now uses {name}")
        ).failure(self._failed).run()

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a model", str(Path.home()), "GGUF models (*.gguf)"
        )
        if path:
            self.import_model(Path(path))

    def import_model(self, path: Path) -> None:
        """Copy and check a GGUF on a worker, with progress."""
        show_message(self.error, "")
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.show()
        manager = tasks()

        def progress(fraction: float) -> None:
            manager.on_main(lambda: self.progress.setValue(int(fraction * 100)))

        def done(row: ModelRow) -> None:
            self.progress.hide()
            self.import_button.setEnabled(True)
            self.ctx.status(f"Imported {row.name}")
            self.refresh()

        model_ops.import_model(self.services, path, progress).success(done).failure(
            self._failed
        ).run()

    def _save_remote(self) -> None:
        settings = RemoteSettings(
            enabled=self.remote_enabled.isChecked(),
            url=self.remote_url.text().strip(),
            model=self.remote_model.text().strip(),
            has_key=False,
        )
        key = self.remote_key.text() or None

        def saved(_r: object) -> None:
            self.remote_key.clear()
            show_message(self.remote_error, "")
            self.ctx.status("Host settings saved")

        def failed(exc: BaseException) -> None:
            show_message(
                self.remote_error, exc.user_message() if isinstance(exc, WardenError) else str(exc)
            )

        model_ops.save_remote_settings(self.services, settings, key).success(saved).failure(
            failed
        ).run()


__all__ = ["ModelsScreen", "label"]
