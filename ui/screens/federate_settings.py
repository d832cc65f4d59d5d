"""Settings -> "Help improve the model": take part in a federation, see what it costs, leave.

Off by default. Turning it on asks for the federation's address and its CA certificate (both
checked before anything is stored), says what is shared and what never is, shows the privacy
spent so far against the user's ceiling, and offers "Leave" (as ``warden federate leave``,
and the stored choice is cleared). The SuperNode itself is run by ``warden federate join``,
which reads this choice from the store, so a machine takes part with no window open.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import WardenError
from models.federated import optin
from ui.ops import federate as federate_ops
from ui.services import AppServices
from ui.widgets import error_label, muted, show_message


def _bullets(title: str, items: tuple[str, ...]) -> QWidget:
    lab = muted(title + "\n" + "\n".join(f"• {i}" for i in items))
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


class FederateSettings(QWidget):
    """The opt-in section; ``services`` is read at each use (parts start late)."""

    def __init__(
        self,
        services: Callable[[], AppServices],
        *,
        node: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.node = node
        self.page: federate_ops.FederatePage | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox("Help improve the model")
        self.enabled.setToolTip(
            "<qt>Train the shared model's adapter on this wallet's feedback, with differential "
            "privacy, together with other wallets (federated learning).</qt>"
        )
        self.enabled.toggled.connect(self._toggled)
        lay.addWidget(self.enabled)
        lay.addWidget(_bullets("What is shared:", optin.SHARED))
        lay.addWidget(_bullets("What never is:", optin.NEVER_SHARED))
        self.spent = muted("")
        self.spent.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.spent)
        # asked for when the user turns it on
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        self.address = QLineEdit()
        self.address.setPlaceholderText("fl.example.org:9092")
        self.address.setMaxLength(260)
        form.addRow("Federation address", self.address)
        ca_row = QHBoxLayout()
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("the CA certificate file the operator gave you")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._pick_ca)
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(choose)
        form.addRow("CA certificate", ca_row)
        self.ceiling = QDoubleSpinBox()
        self.ceiling.setRange(0.5, 100.0)
        self.ceiling.setDecimals(1)
        self.ceiling.setValue(optin.DEFAULT_CEILING)
        self.ceiling.setToolTip(
            "<qt>The most privacy (epsilon) this wallet may spend; a round that would pass it "
            "is refused before training. Lower is more private.</qt>"
        )
        form.addRow("Privacy ceiling (epsilon)", self.ceiling)
        self.join_button = QPushButton("Take part")
        self.join_button.clicked.connect(self.take_part)
        form.addRow(self.join_button)
        self.form.hide()
        lay.addWidget(self.form)
        self.state = muted("")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.state)
        self.error = error_label()
        lay.addWidget(self.error)
        self.leave_button = QPushButton("Leave")
        self.leave_button.setEnabled(False)
        self.leave_button.clicked.connect(self.leave)
        lay.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignRight)

    # loading and showing

    def refresh(self) -> None:
        federate_ops.load_page(self._services(), self.node).success(self._show).failure(
            self._failed
        ).run()

    def _show(self, page: federate_ops.FederatePage) -> None:
        self.page = page
        choice = page.choice
        self.enabled.blockSignals(True)
        self.enabled.setChecked(choice is not None)
        self.enabled.blockSignals(False)
        self.form.setVisible(choice is None and self.enabled.isChecked())
        self.leave_button.setEnabled(choice is not None)
        self.spent.setText(spent_text(page.spent, choice))
        if choice is None:
            self.state.setText("")
            return
        self.ceiling.setValue(choice.epsilon_ceiling)
        key = (
            f" Send your node's public key ({page.public_key}) to its operator."
            if (page.public_key)
            else ""
        )
        running = "running" if page.spent.running else "not running"
        self.state.setText(
            f"Taking part in {choice.address} (its CA pinned).{key} This wallet's SuperNode "
            f"is {running}; 'warden federate join' runs it, with or without this window."
        )

    def _failed(self, exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Something failed: {exc}"
        show_message(self.error, msg)

    # actions

    def _toggled(self, on: bool) -> None:
        show_message(self.error, "")
        if on:
            self.form.show()
            self.address.setFocus()
        elif self.page is not None and self.page.choice is not None:
            self.leave()
        else:
            self.form.hide()

    def _pick_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "The federation's CA certificate", str(Path.home()), "Certificates (*.crt *.pem)"
        )
        if path:
            self.ca_file.setText(path)

    def take_part(self) -> None:
        """Check the address and the certificate, then store the choice."""
        show_message(self.error, "")
        address, ca = self.address.text().strip(), self.ca_file.text().strip()
        if not address or not ca:
            show_message(
                self.error, "Give the federation's address (HOST:PORT) and its CA certificate."
            )
            return
        federate_ops.opt_in(
            self._services(), address, Path(ca), self.ceiling.value(), self.node
        ).success(self._show).failure(self._failed).run()

    def leave(self) -> None:
        show_message(self.error, "")
        federate_ops.leave(self._services(), self.node).success(self._left).failure(
            self._failed
        ).run()

    def _left(self, page: federate_ops.FederatePage) -> None:
        self.enabled.blockSignals(True)
        self.enabled.setChecked(False)
        self.enabled.blockSignals(False)
        self._show(page)
        self.state.setText("Left the federation. The privacy spent so far is kept on record.")


def spent_text(spent: optin.Spent, choice: optin.OptIn | None) -> str:
    """ "Privacy spent so far: epsilon 1.23 of 8 (delta 1e-05) over 2 rounds"."""
    if spent.rounds == 0 and spent.epsilon == 0:
        return "Privacy spent so far: none (no round trained on this wallet yet)."
    eps = "unbounded" if math.isinf(spent.epsilon) else f"{spent.epsilon:.2f}"
    of = f" of the {choice.epsilon_ceiling:g} ceiling" if choice is not None else ""
    delta = f" (delta {spent.delta:g})" if spent.delta is not None else ""
    rounds = f" over {spent.rounds} round{'s' if spent.rounds != 1 else ''}" if spent.rounds else ""
    return f"Privacy spent so far: epsilon {eps}{of}{delta}{rounds}."


__all__ = ["FederateSettings", "spent_text"]
