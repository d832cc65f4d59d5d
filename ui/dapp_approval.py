"""The dapp provider's approval port in the app: the connect prompt and the same review
dialog as a send. The provider asks from a worker thread; the dialogs open on the GUI thread
(without blocking it) and the worker waits for the user's answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.dapp.approval import Decision, SigningPrompt
from ui.review_dialog import ReviewDialog


class ConnectDialog(QDialog):
    """ "<origin> wants to connect": the origin, a look-alike warning, the accounts to share."""

    def __init__(
        self, origin: str, accounts: list[str], lookalike: str | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect a site")
        lay = QVBoxLayout(self)
        title = QLabel(f"{origin} wants to see your accounts")
        title.setTextFormat(Qt.TextFormat.PlainText)  # a site's text is data, never markup
        title.setWordWrap(True)
        lay.addWidget(title)
        if lookalike:
            warn = QLabel(f"Careful: this site looks like {lookalike}.")
            warn.setTextFormat(Qt.TextFormat.PlainText)
            warn.setObjectName("Danger")
            warn.setWordWrap(True)
            lay.addWidget(warn)
        lay.addWidget(QLabel("It will see only the accounts you tick, and ask before any signing."))
        self.boxes = []
        for i, address in enumerate(accounts):
            box = QCheckBox(address)
            box.setChecked(i == 0 and not lookalike)
            self.boxes.append(box)
            lay.addWidget(box)
        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton(
            "Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.reject_button = self.buttons.addButton(
            "Cancel", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reject_button.setDefault(True)
        lay.addWidget(self.buttons)

    def chosen(self) -> list[str]:
        return [b.text() for b in self.boxes if b.isChecked()]


class _Bridge(QObject):
    """Carries a question from a worker thread to the GUI thread."""

    asked = Signal(object)


class QtApproval:
    """``ApprovalPort`` for the app. ``parent`` is brought to the front for each request."""

    def __init__(
        self, parent: QWidget | None = None, on_ask: Callable[[], None] | None = None
    ) -> None:
        self.parent_widget = parent
        self.on_ask = on_ask  # told of each request before its dialog opens (the tray)
        self._bridge = _Bridge()  # made on the GUI thread: its slot runs there
        self._bridge.asked.connect(self._open, Qt.ConnectionType.QueuedConnection)
        self.open_dialogs: list[QDialog] = []

    # -- the port (called on worker threads) ---------------------------------------------------
    def connect(self, origin: str, accounts: list[str], lookalike: str | None) -> list[str]:
        def make() -> QDialog:
            return ConnectDialog(origin, accounts, lookalike, self.parent_widget)

        def answer(d: QDialog, ok: bool) -> list[str]:
            return d.chosen() if ok and isinstance(d, ConnectDialog) else []

        return self._ask(make, answer)  # type: ignore[no-any-return]

    def review(self, prompt: SigningPrompt) -> Decision:
        action = f"{prompt.origin} asks you to sign this {prompt.kind}."
        if prompt.lookalike:
            action += f" Careful: this site looks like {prompt.lookalike}."

        def make() -> QDialog:
            return ReviewDialog(
                prompt.review, action=action, parent=self.parent_widget, sign_label="Sign"
            )

        def answer(d: QDialog, ok: bool) -> Decision:
            if not ok or not isinstance(d, ReviewDialog) or not d.confirmed():
                return Decision(False)
            return Decision(True, d.confirmation())

        return self._ask(make, answer)  # type: ignore[no-any-return]

    def switch_chain(self, origin: str, chain_id: int, name: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        def make() -> QDialog:
            box = QMessageBox(self.parent_widget)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText(f"{origin} asks to switch to {name} (chain {chain_id}).")
            box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            return box

        def answer(d: QDialog, ok: bool) -> bool:
            from PySide6.QtWidgets import QMessageBox as Box

            return isinstance(d, Box) and d.result() == Box.StandardButton.Yes

        return self._ask(make, answer)  # type: ignore[no-any-return]

    def add_chain(self, origin: str, chain_id: int, name: str, rpc_url: str, symbol: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        def make() -> QDialog:
            box = QMessageBox(self.parent_widget)
            box.setWindowTitle("Add a network")
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText(
                f"{origin} asks to add the network {name} (chain {chain_id}, {symbol}) "
                f"and switch to it.\nIts node: {rpc_url}\n\nAdd it only if you trust this "
                "site and this node: the node sees your addresses and what you send."
            )
            box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            box.setDefaultButton(QMessageBox.StandardButton.No)
            return box

        def answer(d: QDialog, ok: bool) -> bool:
            from PySide6.QtWidgets import QMessageBox as Box

            return isinstance(d, Box) and d.result() == Box.StandardButton.Yes

        return self._ask(make, answer)  # type: ignore[no-any-return]

    # -- plumbing ---------------------------------------------------------------------------------
    def _ask(self, make: Callable[[], QDialog], answer: Callable[[QDialog, bool], Any]) -> Any:
        done = threading.Event()
        box: dict[str, Any] = {}
        self._bridge.asked.emit((make, answer, done, box))
        done.wait()
        return box.get("answer")

    def _open(self, job: Any) -> None:
        make, answer, done, box = job
        try:
            dialog = make()
        except Exception:
            box["answer"] = answer(QDialog(), False)
            done.set()
            raise

        def finished(code: int) -> None:
            box["answer"] = answer(dialog, code == QDialog.DialogCode.Accepted)
            if dialog in self.open_dialogs:
                self.open_dialogs.remove(dialog)
            dialog.deleteLater()
            done.set()

        dialog.finished.connect(finished)
        self.open_dialogs.append(dialog)
        if self.on_ask is not None:
            self.on_ask()
        if self.parent_widget is not None:  # bring the app to the front for the site's request
            self.parent_widget.show()
            self.parent_widget.raise_()
            self.parent_widget.activateWindow()
        dialog.open()
