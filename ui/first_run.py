"""First run: create a wallet (show the phrase, then ask a few words back), import a phrase or
a key, or watch an address; choose a password; pick networks. The dialog only collects a
``FirstRunPlan``; ``create_store`` carries it out on a worker."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

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
from app.errors import InvalidInput, WardenError
from ui.widgets import error_label, heading, label, muted, show_message

MIN_PASSWORD = 8
CHECK_WORDS = 3


@dataclass
class FirstRunPlan:
    mode: str = "create"  # "create" | "phrase" | "key" | "watch"
    secret: str = ""  # the phrase, the key or the watched address
    password: str = ""
    networks: list[str] = field(default_factory=lambda: ["Ethereum"])


def create_store(paths: Paths, plan: FirstRunPlan) -> object:
    """Create the store and the first account from ``plan``; returns the open ``Store``."""
    from app.store import Store
    from app.wallet import accounts
    from app.wallet.networks import ensure_presets

    store = Store.create(paths, plan.password)
    try:
        with store.session() as s:
            ensure_presets(s)
            if plan.mode in ("create", "phrase"):
                accounts.create_hd_wallet(s, plan.secret, name="Main")
            elif plan.mode == "key":
                accounts.import_private_key(s, plan.secret, name="Imported")
            else:
                accounts.add_watch(s, plan.secret, name="Watched")
        from app import preferences
        from app.store import schema

        with store.session() as s:
            s.merge(schema.Preference(key="networks.enabled", value=plan.networks))
            preferences.set(s, "network.current", plan.networks[0])
    except BaseException:
        store.close()
        raise
    return store


class FirstRunDialog(QDialog):
    """Pages: choose, secret (phrase shown / typed), check words, password, networks."""

    NETWORKS = ("Ethereum", "Base", "Arbitrum", "Optimism", "Polygon", "Demo")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.wallet.accounts import new_phrase

        self.setWindowTitle("Set up Warden")
        self.resize(620, 480)
        self.plan = FirstRunPlan()
        self.new_phrase = new_phrase()
        self.check_positions = sorted(secrets.SystemRandom().sample(range(12), CHECK_WORDS))
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
        for i, word in enumerate(self.new_phrase.split()):
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
        for pos in self.check_positions:
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
        v.addStretch(1)

    def _build_networks(self) -> None:
        v = self._page("Networks", "Pick the chains you use. You can change RPC URLs later.")
        self.net_boxes: list[QCheckBox] = []
        for name in self.NETWORKS:
            cb = QCheckBox(name)
            cb.setChecked(name == "Ethereum")
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
        mode = self._mode()
        self.plan.mode = mode
        if page == 1:
            if mode == "create":
                self.plan.secret = self.new_phrase
            else:
                self.plan.secret = self.secret_edit.toPlainText().strip()
                check_secret(mode, self.plan.secret)
        elif page == 2:
            words = self.new_phrase.split()
            for pos, e in zip(self.check_positions, self.check_edits, strict=True):
                if e.text().strip().lower() != words[pos]:
                    raise InvalidInput(
                        f"Word {pos + 1} does not match.",
                        hint="Check your written copy; go back to see the phrase again.",
                    )
        elif page == 3:
            if len(self.pw1.text()) < MIN_PASSWORD:
                raise InvalidInput(f"The password needs at least {MIN_PASSWORD} characters.")
            if self.pw1.text() != self.pw2.text():
                raise InvalidInput("The two passwords differ.")
            self.plan.password = self.pw1.text()
        elif page == 4:
            nets = [cb.text() for cb in self.net_boxes if cb.isChecked()]
            if not nets:
                raise InvalidInput("Pick at least one network.")
            self.plan.networks = nets


def check_secret(mode: str, text: str) -> None:
    """Validate an imported phrase, key or address before the password page."""
    if mode == "phrase":
        from app.wallet.accounts import normalize_phrase

        normalize_phrase(text)
    elif mode == "key":
        body = text[2:] if text.lower().startswith("0x") else text
        if len(body) != 64 or any(c not in "0123456789abcdefABCDEF" for c in body):
            raise InvalidInput("A private key is 64 hexadecimal characters (optionally 0x).")
    elif mode == "watch":
        from ui.backend import checksum_address

        checksum_address(text)


__all__ = ["FirstRunDialog", "FirstRunPlan", "create_store", "label"]
