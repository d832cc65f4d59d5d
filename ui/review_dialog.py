"""The review dialog: what the transaction review found, and the only way on to signing.

``danger`` needs the typed confirmation (``app.review_types.DANGER_CONFIRMATION``); ``caution``
needs a tick that the findings were read; ``safe`` needs only the button. Reject is the default
button, so Enter never signs by accident.

Everything shown that came from a request, a contract or a node (summary, findings, token
symbols, decoded fields, origin) passes the review's own cleaner (``fmt.plain``: no control,
bidi or invisible characters, no line breaks, bounded length) and is shown as plain text, never
as rich text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.review_types import DANGER_CONFIRMATION, ReviewOutcome
from delegates.tx_review.finding_names import finding_name
from delegates.tx_review.fmt import plain
from ui import theme
from ui.tooltip_text import wrapped
from ui.widgets import badge, label, muted

VERDICT_WORDS = {
    "safe": ("Looks safe", "No problems were found in this request."),
    "caution": ("Be careful", "Read the findings below before you decide."),
    "danger": (
        "Dangerous: do not sign",
        "This request can cost you funds. Reject it unless you are certain.",
    ),
}


MAX_SUMMARY = 2000
MAX_DETAIL = 600
MAX_FIELD = 200  # a decoded value in the tree; its tooltip shows up to MAX_SUMMARY


def shown(value: Any, limit: int) -> str:
    """Request-derived text as the dialog shows it: one clean line, at most ``limit``."""
    return plain(str(value), limit)


def _plain_label(text: str, **kw: Any) -> QLabel:
    lab = label(text, **kw)
    lab.setTextFormat(Qt.TextFormat.PlainText)  # '<a href=...>' in a token name stays text
    return lab


def _title(code: str) -> str:
    return finding_name(code)


def _tree_items(value: Any, parent: QTreeWidgetItem | QTreeWidget, key: str = "") -> None:
    if isinstance(value, dict):
        node = QTreeWidgetItem([key, ""]) if key else None
        for k, v in value.items():
            _tree_items(v, node or parent, shown(k, 80))
        if node is not None:
            _add(parent, node)
    elif isinstance(value, list | tuple):
        node = QTreeWidgetItem([key, f"{len(value)} item(s)"])
        for i, v in enumerate(value):
            _tree_items(v, node, f"[{i}]")
        _add(parent, node)
    else:
        item = QTreeWidgetItem([key, shown(value, MAX_FIELD)])
        item.setToolTip(1, wrapped(shown(value, MAX_SUMMARY)))
        _add(parent, item)


def _add(parent: QTreeWidgetItem | QTreeWidget, item: QTreeWidgetItem) -> None:
    if isinstance(parent, QTreeWidget):
        parent.addTopLevelItem(item)
    else:
        parent.addChild(item)


def simulation_lines(simulation: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(direction, text) pairs for the balance changes a simulation found: the review's own
    texts (``out_text``/``in_text``, in units with symbols) where it wrote them, else the
    simulator's ``assets_out``/``assets_in``, else a ``changes`` list."""
    if not simulation:
        return []
    out: list[tuple[str, str]] = []
    for direction, key in (("out", "out_text"), ("in", "in_text")):
        texts = simulation.get(key)
        for t in texts if isinstance(texts, list) else []:
            out.append((direction, shown(t, 120)))
    if "out_text" in simulation or "in_text" in simulation:
        return out
    for direction, key in (("out", "assets_out"), ("in", "assets_in")):
        entries = simulation.get(key)
        for e in entries if isinstance(entries, list) else []:
            if isinstance(e, dict):
                asset = shown(e.get("asset") or "", 48)
                out.append((direction, f"{shown(e.get('amount', ''), 80)} units of {asset}"))
    if out:
        return out
    changes = simulation.get("changes") or simulation.get("balance_changes") or []
    for ch in changes if isinstance(changes, list) else []:
        if not isinstance(ch, dict):
            continue
        amount = shown(ch.get("amount_text") or ch.get("amount") or "", 60)
        asset = shown(ch.get("symbol") or ch.get("asset") or ch.get("token") or "", 48)
        direction = str(ch.get("direction") or ("out" if amount.startswith("-") else "in"))
        out.append((direction, f"{amount.lstrip('-+')} {asset}".strip()))
    return out


def simulation_text(outcome: ReviewOutcome) -> str:
    """One line that says what was simulated, or why not, in words that agree with the
    verdict: never "unknown is not safe" under "Looks safe"."""
    sim = outcome.simulation
    kind = (outcome.decoded or {}).get("kind")
    if sim is None:
        if kind in ("message", "typed_data", "blind"):
            return (
                "Nothing to simulate: a signature moves nothing by itself. What it allows "
                "is listed above."
            )
        text = (
            "Not simulated: this network's node offers no simulation (eth_simulateV1 or "
            "debug_traceCall), so the balance changes below are not confirmed by the node."
        )
        if outcome.verdict == "safe":
            return text + " The review comes from the decoded transaction."
        return text + " Treat what you cannot see as a risk."
    method = shown(sim.get("method") or "the node", 40)
    if sim.get("mismatch"):
        return (
            f"Simulated with {method}, but the result does not match the transaction, so "
            "Warden does not show it."
        )
    if sim.get("ok") is False:
        return f"Simulated with {method}: the transaction would fail and still cost a fee."
    if not simulation_lines(sim):
        return f"Simulated with {method}: no balance of yours changes."
    return f"Simulated with {method} on the node: your balances would change as follows."


def amount_in_words(amount: str, symbol: str, locale_name: str = "") -> str:
    """'0.5' → 'zero point five ETH' ('null Komma fünf ETH' under German); '' when the
    library has no words for the locale's language or the amount is not a number."""
    from decimal import Decimal, InvalidOperation

    from num2words import num2words

    lang = locale_name or QLocale().name()
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError):
        return ""
    if not value.is_finite() or value < 0 or value.adjusted() > 30:
        return ""
    for candidate in (lang, lang.split("_")[0], "en"):
        try:
            words = num2words(value, lang=candidate)
        except (NotImplementedError, OverflowError, KeyError, ValueError, TypeError):
            continue
        return f"{words} {symbol}".strip()
    return ""


class ReviewDialog(QDialog):
    def __init__(
        self,
        outcome: ReviewOutcome,
        *,
        action: str = "",
        parent: QWidget | None = None,
        sign_label: str = "Sign and send",
    ) -> None:
        super().__init__(parent)
        self.outcome = outcome
        self.setWindowTitle("Review before signing")
        self.setModal(True)
        self.resize(640, 680)
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        # Verdict banner
        fg, bg = theme.verdict_colors(outcome.verdict)
        words, sub = VERDICT_WORDS.get(outcome.verdict, VERDICT_WORDS["danger"])
        banner = QFrame()
        banner.setObjectName("Banner")
        banner.setStyleSheet(
            f"#Banner {{ background: {bg}; border: 1px solid {fg}; border-radius: 10px; }}"
        )
        bl = QVBoxLayout(banner)
        self.verdict_label = QLabel(words)
        self.verdict_label.setStyleSheet(f"color: {fg}; font-size: 17pt; font-weight: 700;")
        bl.addWidget(self.verdict_label)
        sub_label = label(sub, wrap=True)
        sub_label.setStyleSheet(f"color: {fg};")
        bl.addWidget(sub_label)
        lay.addWidget(banner)
        if action:
            lay.addWidget(
                _plain_label(shown(action, 400), name="SubHeading", wrap=True, select=True)
            )
        self.signed = self._signed_box(outcome)
        lay.addWidget(self.signed)
        # Scrollable details
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        bd = QVBoxLayout(body)
        bd.setContentsMargins(0, 0, 6, 0)
        bd.addWidget(label("What this does", name="SubHeading"))
        self.summary = _plain_label(
            shown(outcome.summary, MAX_SUMMARY) or "No explanation available.", wrap=True
        )
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bd.addWidget(self.summary)
        bd.addWidget(label(f"Findings ({len(outcome.findings)})", name="SubHeading"))
        if not outcome.findings:
            bd.addWidget(muted("None."))
        for f in sorted(outcome.findings, key=lambda f: -theme_rank(f.severity)):
            row = QFrame()
            row.setObjectName("Card")
            rl = QVBoxLayout(row)
            rl.setContentsMargins(12, 8, 12, 8)
            top = QHBoxLayout()
            top.addWidget(badge(shown(f.severity, 16).upper(), f.severity))
            code_text = shown(f.code, 64)
            top.addWidget(_plain_label(_title(code_text), name="SubHeading", wrap=True), 1)
            rl.addLayout(top)
            rl.addWidget(_plain_label(shown(f.detail, MAX_DETAIL), wrap=True, select=True))
            bd.addWidget(row)
        bd.addWidget(label("Simulation", name="SubHeading"))
        lines = simulation_lines(outcome.simulation)
        self.simulation_label = muted(simulation_text(outcome))
        bd.addWidget(self.simulation_label)
        c = theme.current()
        for direction, text in lines:
            color = c.danger if direction == "out" else c.safe
            sign = "−" if direction == "out" else "+"
            lab = _plain_label(f"{sign} {text}")
            lab.setStyleSheet(f"color: {color}; font-weight: 600;")
            bd.addWidget(lab)
        # the details view: finding codes and the raw decoded request, folded away
        self.details_button = QPushButton("Show details")
        self.details_button.setCheckable(True)
        self.details_button.setAutoDefault(False)
        bd.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.details = QWidget()
        dl = QVBoxLayout(self.details)
        dl.setContentsMargins(0, 0, 0, 0)
        codes = ", ".join(shown(f.code, 64) for f in outcome.findings) or "none"
        self.codes_label = _plain_label(f"Finding codes: {codes}", wrap=True, select=True)
        dl.addWidget(self.codes_label)
        dl.addWidget(label("Decoded request", name="SubHeading"))
        self.decoded = QTreeWidget()
        self.decoded.setHeaderLabels(["Field", "Value"])
        self.decoded.setColumnWidth(0, 180)
        self.decoded.setMinimumHeight(140)
        if outcome.decoded:
            _tree_items(outcome.decoded, self.decoded)
            self.decoded.expandToDepth(1)
        else:
            self.decoded.addTopLevelItem(QTreeWidgetItem(["(not decoded)", ""]))
        dl.addWidget(self.decoded)
        bd.addWidget(self.details)
        self.details.setVisible(False)
        self.details_button.toggled.connect(self._show_details)
        bd.addStretch(1)
        scroll.setWidget(body)
        lay.addWidget(scroll, 1)
        # Confirmation
        self.tick = QCheckBox("I have read the findings and want to continue")
        self.typed = QLineEdit()
        self.typed.setPlaceholderText(DANGER_CONFIRMATION)
        self.typed.setAccessibleName("Typed confirmation")
        if outcome.verdict == "caution":
            lay.addWidget(self.tick)
        elif outcome.verdict != "safe":
            lay.addWidget(label(f"To sign anyway, type: {DANGER_CONFIRMATION}", wrap=True))
            lay.addWidget(self.typed)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reject_button = QPushButton("Reject")
        self.reject_button.setDefault(True)
        self.reject_button.setAutoDefault(True)
        self.reject_button.clicked.connect(self.reject)
        self.sign_button = QPushButton(sign_label)
        self.sign_button.setAutoDefault(False)
        self.sign_button.setObjectName("Danger" if outcome.verdict == "danger" else "Primary")
        self.sign_button.clicked.connect(self._sign)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.sign_button)
        lay.addLayout(buttons)
        self.tick.toggled.connect(self._update)
        self.typed.textChanged.connect(self._update)
        self._update()
        self.reject_button.setFocus()

    def _signed_box(self, outcome: ReviewOutcome) -> QFrame:
        """What is signed: the call in one sentence, its arguments in units, the amount in
        words and its share of the balance."""
        box = QFrame()
        box.setObjectName("Card")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.addWidget(label("What you sign", name="SubHeading"))
        signed = (outcome.decoded or {}).get("signed")
        signed = signed if isinstance(signed, dict) else {}
        sentence = shown(signed.get("sentence") or "", 300)
        self.signed_sentence = _plain_label(
            sentence or "Warden could not put this request into words; see the findings.",
            wrap=True,
            select=True,
        )
        self.signed_sentence.setStyleSheet("font-weight: 600;")
        lay.addWidget(self.signed_sentence)
        self.moved_label: QLabel | None = None
        moved = signed.get("moved")
        if isinstance(moved, dict) and moved.get("amount"):
            amount = shown(moved["amount"], 80)
            sym = shown(moved.get("symbol") or "", 16)
            text = f"{amount} {sym}"
            words = amount_in_words(amount, sym)
            if words:
                text += f" ({words})"
            share = moved.get("share")
            if isinstance(share, int | float) and share >= 0:
                text += (
                    f", {share:.0%} of your balance"
                    if share >= 0.01
                    else (", less than 1 % of your balance")
                )
            self.moved_label = _plain_label(text, wrap=True, select=True)
            lay.addWidget(self.moved_label)
        args = signed.get("arguments")
        rows = (
            [a for a in args if isinstance(a, list | tuple) and len(a) == 2]
            if isinstance(args, list)
            else []
        )
        target = shown(signed.get("target") or "", 120)
        call = shown(signed.get("call") or "", 60)
        if call and target:
            lay.addWidget(muted(f"Calls {call} on {target}"))
        for name, value in rows[:8]:
            lay.addWidget(_plain_label(f"{shown(name, 40)}: {shown(value, MAX_FIELD)}", wrap=True))
        return box

    def _show_details(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_button.setText("Hide details" if on else "Show details")

    def confirmed(self) -> bool:
        v = self.outcome.verdict
        if v == "safe":
            return True
        if v == "caution":
            return self.tick.isChecked()
        return self.typed.text().strip() == DANGER_CONFIRMATION

    def confirmation(self) -> str | None:
        """The typed phrase for the signing step (None unless the verdict is danger)."""
        return self.typed.text().strip() if self.outcome.verdict == "danger" else None

    def _update(self, *_a: object) -> None:
        self.sign_button.setEnabled(self.confirmed())

    def _sign(self) -> None:
        if self.confirmed():
            self.accept()


def theme_rank(severity: str) -> int:
    return {"danger": 2, "caution": 1}.get(severity, 0)
