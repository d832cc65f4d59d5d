"""Assistant: chat with the on-device model (streaming, stop), wallet actions shown for
confirmation, and a clear badge when a request would go to a larger host, with what is sent."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QWidget,
)

from app.errors import WardenError
from ui import theme
from ui.ops import assistant as assistant_ops
from ui.ops import contacts as contact_ops
from ui.ops import tasks
from ui.rows import RemotePreview, WalletAction
from ui.screens.base import Screen, ScreenContext
from ui.widgets import Card, badge, error_label, label, muted, set_badge, show_message


class AssistantScreen(Screen):
    key = "assistant"
    title = "Assistant"
    subtitle = (
        "Ask about your wallet, or say what you want to do. Answers come from the model on "
        "this computer; nothing is signed from here."
    )

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.messages: list[dict[str, str]] = []
        self.reply: Any = None
        self.pending = False
        self._stop_asked = False
        self.streaming = ""
        self.action: WalletAction | None = None
        route = QHBoxLayout()
        self.route_badge = badge("On this device", "safe")
        route.addWidget(self.route_badge)
        self.route_text = muted("The model runs locally; your question never leaves this computer.")
        route.addWidget(self.route_text, 1)
        self.outer.addLayout(route)
        self.preview = label("", name="Warning", wrap=True, select=True)
        self.preview.hide()
        self.outer.addWidget(self.preview)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("Conversation")
        self.outer.addWidget(self.view, 1)
        self.action_card = Card("Wallet action: confirm to continue")
        self.action_text = label("", wrap=True)
        self.action_card.body.addWidget(self.action_text)
        arow = QHBoxLayout()
        arow.addStretch(1)
        self.action_dismiss = QPushButton("Dismiss")
        self.action_dismiss.clicked.connect(self._dismiss_action)
        self.action_go = QPushButton("Continue in Send…")
        self.action_go.setObjectName("Primary")
        self.action_go.clicked.connect(self._do_action)
        arow.addWidget(self.action_dismiss)
        arow.addWidget(self.action_go)
        self.action_card.body.addLayout(arow)
        self.action_card.hide()
        self.outer.addWidget(self.action_card)
        self.error = error_label()
        self.outer.addWidget(self.error)
        row = QHBoxLayout()
        self.input = QLineEdit()
        self.input.setPlaceholderText('Ask something, e.g. "what did I receive this week?"')
        self.input.returnPressed.connect(self.send)
        self.input.textChanged.connect(self._schedule_preview)
        row.addWidget(self.input, 1)
        self.send_button = QPushButton("Ask")
        self.send_button.setObjectName("Primary")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        row.addWidget(self.send_button)
        row.addWidget(self.stop_button)
        self.outer.addLayout(row)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(350)
        self._preview_timer.timeout.connect(self._update_preview)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(50)
        self._render_timer.timeout.connect(self.render_chat)
        self.setFocusProxy(self.input)

    def refresh(self) -> None:
        assistant_ops.history(self.services).success(self._got_history).run()

    def _got_history(self, rows: list[tuple[str, str]]) -> None:
        if not self.messages:
            self.messages = [{"role": r, "content": c} for r, c in rows]
            self.render_chat()

    # -- rendering ------------------------------------------------------------------------
    def render_chat(self) -> None:
        c = theme.current()
        parts = []
        shown = list(self.messages)
        if self.busy:
            # The model's draft is not shown: it is checked against the wallet's facts first.
            words = len(self.streaming.split())
            draft = f"Writing an answer ({words} words so far); it is checked before it shows ▍"
            shown.append({"role": "assistant", "content": draft if words else "Thinking… ▍"})
        if not shown:
            parts.append(f"<p style='color:{c.muted}'>No messages yet.</p>")
        for m in shown:
            mine = m["role"] == "user"
            bg = c.nav_selected if mine else c.alt
            who = "You" if mine else "Warden"
            text = html.escape(m["content"]).replace("\n", "<br>")
            align = "right" if mine else "left"
            parts.append(
                f"<table width='100%' cellspacing='0' cellpadding='0'><tr><td align='{align}'>"
                f"<table cellpadding='10' style='background:{bg}; border-radius:8px;'><tr><td>"
                f"<span style='color:{c.muted}; font-size:8pt'>{who}</span><br>"
                f"<span style='color:{c.text}'>{text}</span></td></tr></table>"
                f"</td></tr></table><div style='font-size:4pt'>&nbsp;</div>"
            )
        self.view.setHtml("".join(parts))
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- routing badge --------------------------------------------------------------------
    def _schedule_preview(self, *_a: object) -> None:
        self._preview_timer.start()

    def _update_preview(self) -> None:
        text = self.input.text().strip()
        if not text:
            self._show_route(None)
            return
        assistant_ops.remote_preview(self.services, text).success(self._show_route).failure(
            lambda _e: self._show_route(None)
        ).run()

    def _show_route(self, preview: RemotePreview | None) -> None:
        if preview is None:
            set_badge(self.route_badge, "On this device", "safe")
            self.route_text.setText(
                "The model runs locally; your question never leaves this computer."
            )
            self.preview.hide()
        else:
            set_badge(self.route_badge, f"Goes to {preview.host}", "caution")
            self.route_text.setText(
                "This request is too large for the on-device model and would go to your "
                "larger host. Addresses, amounts and names are replaced before it leaves."
            )
            show_message(self.preview, f"What will be sent:\n{preview.sent_text}")

    # -- asking ---------------------------------------------------------------------------
    def send(self) -> None:
        text = self.input.text().strip()
        if not text or self.busy:
            return
        show_message(self.error, "")
        self.input.clear()
        self._dismiss_action()
        self.messages.append({"role": "user", "content": text})
        self.streaming = ""
        self.pending = True
        self._stop_asked = False
        self.send_button.setEnabled(False)
        self.render_chat()

        def understood(action: WalletAction | None) -> None:
            if action is None or self._stop_asked:
                self._chat(text)
                return
            self.pending = False
            self._got_action(action)
            reply = (
                action.description
                if action.kind in ANSWER_KINDS
                else "I understood this as a wallet action. Check it below and confirm; "
                "nothing happens until you do."
            )
            self.messages.append({"role": "assistant", "content": reply})
            self.send_button.setEnabled(True)
            self.render_chat()

        # An order becomes an action to confirm; anything else is answered as chat.
        assistant_ops.parse_intent(self.services, text).success(understood).failure(
            lambda _e: self._chat(text)
        ).run()

    def _chat(self, text: str) -> None:
        history = list(self.messages)
        manager = tasks()

        def on_token(piece: str) -> None:  # on the model's thread
            manager.on_main(lambda: self._token(piece))

        def started(reply: Any) -> None:
            self.pending = False
            self.reply = reply
            self.stop_button.setEnabled(True)
            if self._stop_asked:
                reply.cancel()
            reply.future.add_done_callback(lambda fut: manager.on_main(lambda: self._finished(fut)))

        def failed(exc: BaseException) -> None:
            self.pending = False
            self._failed(exc)
            self.render_chat()

        # Loading the model and gathering the wallet's facts touch the disk and the node.
        assistant_ops.chat(self.services, history, on_token).success(started).failure(failed).run()

    def _token(self, piece: str) -> None:
        self.streaming += piece
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _finished(self, fut: Any) -> None:
        self.reply = None
        self.send_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        exc = fut.exception() if not fut.cancelled() else None
        if fut.cancelled() or (exc is not None and type(exc).__name__ == "Cancelled"):
            text = self.streaming + " [stopped]"
        elif exc is not None:
            self._failed(exc)
            text = self.streaming
        else:
            text = getattr(fut.result(), "text", self.streaming)
        text = self._checked(text)
        if text.strip():
            self.messages.append({"role": "assistant", "content": text.strip()})
            last_user = next(m for m in reversed(self.messages) if m["role"] == "user")
            assistant_ops.save_exchange(self.services, last_user["content"], text.strip()).failure(
                lambda _e: None
            ).run()
        self.render_chat()

    def _checked(self, text: str) -> str:
        """The model's text as checked against the facts of this question; a stopped answer
        keeps its mark. Without the service (it failed to start) nothing unchecked shows."""
        stopped = text.endswith(" [stopped]")
        body = text[: -len(" [stopped]")] if stopped else text
        if not body.strip():
            return text
        question = next((m["content"] for m in reversed(self.messages) if m["role"] == "user"), "")
        assistant = self.services.assistant
        if assistant is None:
            return ""
        checked = assistant.checked_answer(body.strip(), question).text
        return checked + (" [stopped]" if stopped else "")

    @property
    def busy(self) -> bool:
        return self.pending or self.reply is not None

    def stop(self) -> None:
        self._stop_asked = True
        if self.reply is not None:
            self.reply.cancel()

    def _failed(self, exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"The model failed: {exc}"
        show_message(self.error, msg)
        self.send_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    # -- wallet actions -------------------------------------------------------------------
    def _got_action(self, action: WalletAction | None) -> None:
        self.action = action
        if action is None:
            self.action_card.hide()
            return
        if action.kind in ("question", "answer"):
            self.action = None
            return  # said in the conversation
        self.action_text.setText(action.description)
        button = action_button(action)
        self.action_go.setVisible(button is not None)
        self.action_go.setText(button or "")
        self.action_card.show()

    def _dismiss_action(self) -> None:
        self.action = None
        self.action_card.hide()

    def _do_action(self) -> None:
        action = self.action
        self._dismiss_action()
        if action is None:
            return
        f = action.fields
        if action.kind == "send":
            self.ctx.navigate("send", **f)
        elif action.kind == "add_contact":
            contact_ops.add(self.services, f["name"], f["address"]).success(
                lambda c: self.ctx.status(f"Saved {c.name}")
            ).failure(self._failed).run()
        elif action.kind == "revoke":
            # The proposal's own review, exactly as approving it in Delegates.
            state = {"proposal_id": f["proposal_id"]} if f.get("proposal_id") else {}
            self.ctx.navigate("delegates", **state)
        elif action.kind == "price_alert":
            assistant_ops.save_price_alert(
                self.services, f["symbol"], f["direction"], f["price"]
            ).success(self._alert_saved).failure(self._failed).run()
        elif action.kind == "market_brief":
            self.ctx.navigate("market")
        elif action.kind == "explain_tx":
            self.ctx.navigate("wallet")

    def _alert_saved(self, text: str) -> None:
        self.ctx.status(text)
        self.messages.append({"role": "assistant", "content": text})
        self.render_chat()


# Kinds whose description is the answer itself (said in the conversation).
ANSWER_KINDS = ("question", "answer", "market_brief", "explain_tx", "revoke")


def action_button(action: WalletAction) -> str | None:
    """The card's button: what it opens or does; None where there is nothing to do."""
    if action.kind == "send":
        return "Continue in Send…"
    if action.kind == "add_contact":
        return "Add to address book"
    if action.kind == "revoke":
        return "Review the revoke…" if action.fields.get("proposal_id") else "Open Delegates"
    if action.kind == "price_alert":
        return "Save the alert"
    if action.kind == "market_brief":
        return "Open Market"
    if action.kind == "explain_tx":
        return "Open history"
    return None
