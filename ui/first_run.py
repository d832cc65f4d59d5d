"""First run: the onboarding flow of ``app.wallet.onboarding``, drawn as a dialog. Create a
wallet (the phrase shown, then a few words asked back), import a phrase or a key, or watch an
address; choose a password and the keyring; pick networks. Each page's answer is checked by the
core; the last page builds the core's ``WalletPlan``, and ``create_in_background`` carries it
out on the store's worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import Paths
from app.errors import WardenError
from app.wallet import onboarding
from app.wallet.onboarding import NewPhrase, WalletPlan
from ui.ops import Op
from ui.widgets import error_label, heading, label, muted, show_message


class FirstRunDialog(QDialog):
    """Pages: choose, secret (phrase shown / typed), check words, password, networks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up Warden")
        self.resize(620, 480)
        self.plan: WalletPlan | None = None  # set when the last page is accepted
        self.new_phrase = NewPhrase()
        self._secret = ""
        self._password = ""
        lay = QVBoxLayout(self)
        self.pages = QStackedWidget()
        lay.addWidget(self.pages, 1)
        self.error = error_label()
        lay.addWidget(self.error)
        nav = QHBoxLayout()
        self.back = QPushButton("Back")
        self.back.clicked.connect(self._back)
        self.next = QPushButton("Next")
        self.next.setObjectName("Primary")
        self.next.setDefault(True)
        self.next.clicked.connect(self._next)
        nav.addStretch(1)
        nav.addWidget(self.back)
        nav.addWidget(self.next)
        lay.addLayout(nav)
        self._build_choose()
        self._build_secret()
        self._build_check()
        self._build_password()
        self._build_networks()
        self._show(0)

    # -- pages ----------------------------------------------------------------------------
    def _page(self, title: str, text: str = "") -> QVBoxLayout:
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(heading(title))
        if text:
            v.addWidget(muted(text))
        self.pages.addWidget(w)
        return v

    def _build_choose(self) -> None:
        v = self._page("Welcome to Warden", "Your keys stay on this computer, encrypted.")
        self.modes = QButtonGroup(self)
        for i, (mode, text) in enumerate(
            (
                ("create", "Create a new wallet"),
                ("phrase", "Import a recovery phrase"),
                ("key", "Import a private key"),
                ("watch", "Watch an address (no signing)"),
            )
        ):
            rb = QRadioButton(text)
            rb.setProperty("mode", mode)
            rb.setChecked(i == 0)
            self.modes.addButton(rb, i)
            v.addWidget(rb)
        v.addStretch(1)

    def _build_secret(self) -> None:
        v = self._page("Your recovery phrase")
        self.secret_hint = muted("")
        v.addWidget(self.secret_hint)
        self.phrase_grid = QWidget()
        grid = QGridLayout(self.phrase_grid)
        for i, word in enumerate(self.new_phrase.words):
            lab = QLabel(f"{i + 1:>2}. {word}")
            lab.setObjectName("SubHeading")
            grid.addWidget(lab, i % 6, i // 6)
        v.addWidget(self.phrase_grid)
        self.secret_edit = QPlainTextEdit()
        self.secret_edit.setAccessibleName("Recovery phrase, key or address")
        v.addWidget(self.secret_edit)
        v.addStretch(1)

    def _build_check(self) -> None:
        v = self._page("Check your copy", "Type these words from the phrase you wrote down.")
        form = QFormLayout()
        self.check_edits: list[QLineEdit] = []
        for pos in self.new_phrase.check_positions:
            e = QLineEdit()
            self.check_edits.append(e)
            form.addRow(f"Word {pos + 1}", e)
        v.addLayout(form)
        v.addStretch(1)

    def _build_password(self) -> None:
        v = self._page(
            "Choose a password",
            "It unlocks Warden on this computer. Use at least 8 characters; a few unrelated "
            "words work well. It cannot be recovered, but your phrase restores the wallet.",
        )
        form = QFormLayout()
        self.pw1 = QLineEdit()
        self.pw1.setEchoMode(QLineEdit.EchoMode.Password)
        self.pw2 = QLineEdit()
        self.pw2.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Password", self.pw1)
        form.addRow("Repeat", self.pw2)
        v.addLayout(form)
        self.use_keyring = QCheckBox(
            "Also keep the unlock key in this computer's keyring (warden commands then open "
            "without the password)"
        )
        self.use_keyring.setChecked(True)
        v.addWidget(self.use_keyring)
        v.addStretch(1)

    def _build_networks(self) -> None:
        v = self._page("Networks", "Pick the chains you use. You can change RPC URLs later.")
        self.net_boxes: list[QCheckBox] = []
        for name in onboarding.network_choices():
            cb = QCheckBox(name)
            cb.setChecked(name in onboarding.DEFAULT_NETWORKS)
            self.net_boxes.append(cb)
            v.addWidget(cb)
        v.addStretch(1)

    # -- navigation -----------------------------------------------------------------------
    def _mode(self) -> str:
        button = self.modes.checkedButton()
        return str(button.property("mode")) if button is not None else "create"

    def _show(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back.setEnabled(index > 0)
        self.next.setText("Create wallet" if index == self.pages.count() - 1 else "Next")
        show_message(self.error, "")
        if index == 1:
            mode = self._mode()
            self.phrase_grid.setVisible(mode == "create")
            self.secret_edit.setVisible(mode != "create")
            self.secret_hint.setText(
                {
                    "create": "Write these 12 words on paper, in order, and keep them safe. "
                    "Anyone with them can take your funds; Warden will never ask for them "
                    "again except to restore.",
                    "phrase": "Type your 12 or 24 words, separated by spaces.",
                    "key": "Paste the private key (64 hexadecimal characters).",
                    "watch": "Paste the address to watch (0x…).",
                }[mode]
            )

    def _back(self) -> None:
        i = self.pages.currentIndex()
        if i == 3 and self._mode() != "create":
            i -= 1  # the check page is only for a new phrase
        self._show(max(i - 1, 0))

    def _next(self) -> None:
        i = self.pages.currentIndex()
        try:
            self._validate(i)
        except WardenError as exc:
            show_message(self.error, exc.user_message())
            return
        if i == self.pages.count() - 1:
            self.accept()
            return
        nxt = i + 1
        if nxt == 2 and self._mode() != "create":
            nxt = 3
        self._show(nxt)

    def _validate(self, page: int) -> None:
        """Check the page's answer with the core; the last page builds the plan."""
        mode = self._mode()
        if page == 1 and mode != "create":
            self._secret = onboarding.check_secret(mode, self.secret_edit.toPlainText())
        elif page == 2:
            self.new_phrase.confirm([e.text() for e in self.check_edits])
        elif page == 3:
            self._password = onboarding.check_password(self.pw1.text(), self.pw2.text())
        elif page == 4:
            self.plan = WalletPlan(
                mode,
                "" if mode == "create" else self._secret,
                self._password,
                [cb.text() for cb in self.net_boxes if cb.isChecked()],
                use_keyring=self.use_keyring.isChecked(),
                new_phrase=self.new_phrase if mode == "create" else None,
            )


def create_in_background(controller: Any, paths: Paths, plan: WalletPlan) -> None:
    """Carry out ``plan`` on the store's worker (memory-hard KDF, disk) while the window shows
    that it is working; then open the wallet. ``controller`` is the ``ui.app.WardenApp``."""
    screen = controller.window.unlock
    screen.button.setEnabled(False)
    screen.busy.start("Creating your encrypted wallet…")

    def failed(exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Could not create: {exc}"
        screen.failed(msg)

    Op(lambda: _create_and_open(paths, plan), lane="store").success(controller._unlocked).failure(
        failed
    ).run()


def _create_and_open(paths: Paths, plan: WalletPlan) -> Any:
    from ui.compose import user_services

    made = onboarding.create_wallet(paths, plan)
    try:
        return user_services(made.store, paths)
    except BaseException:
        made.store.close()
        raise


__all__ = ["FirstRunDialog", "create_in_background", "label"]
