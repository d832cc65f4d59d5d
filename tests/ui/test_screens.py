"""Each screen on the real demo (in-process EVM, encrypted store, bundled model, delegates)."""

from __future__ import annotations

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.proposals import pending_proposals
from tests.ui.conftest import wait_idle


def test_wallet_screen_shows_accounts_balances_history_and_book(qtbot, controller, demo) -> None:
    w = controller.window.open("wallet")
    wait_idle(qtbot)
    assert w.account_box.currentText() == "Demo main"
    assert w.address.text() == demo.accounts[0].address
    symbols = {w.balances.item(i, 0).text() for i in range(w.balances.rowCount())}
    assert {"ETH", "dUSD", "dGOV"} <= symbols
    assert w.total.text().startswith("$")
    assert w.history_proxy.rowCount() >= 5
    names = {w.contacts_model.index(i, 0).data() for i in range(w.contacts_model.rowCount())}
    assert "Alice (demo)" in names
    # switching account reloads balances and history for it
    w.account_box.setCurrentIndex(1)
    wait_idle(qtbot)
    assert w.address.text() == demo.accounts[1].address


def test_adding_a_bad_contact_says_why_and_adds_nothing(qtbot, controller) -> None:
    w = controller.window.open("wallet")
    wait_idle(qtbot)
    before = w.contacts_model.rowCount()
    w.contact_name.setText("Typo")
    w.contact_address.setText("0x1234")
    w._add_contact()
    wait_idle(qtbot)
    assert "40" in w.contact_error.text()  # "has 4 hex digits; an address has 40"
    assert w.contacts_model.rowCount() == before


def test_delegates_screen_lists_runs_and_proposals(qtbot, controller, services) -> None:
    services.delegates.run_now("approval_hygiene")
    d = controller.window.open("delegates")
    wait_idle(qtbot)
    names = [d.list.item(i).text() for i in range(d.list.count())]
    assert any("Approval hygiene" in n for n in names)
    assert d.runs.rowCount() >= 1
    assert "approval" in d.description.text().lower()
    titles = [p.title for p in pending_proposals(services.store)]
    assert any(t.startswith("Revoke the unlimited dUSD allowance") for t in titles)


def test_market_screen_draws_price_indicators_and_portfolio(qtbot, controller) -> None:
    m = controller.window.open("market")
    wait_idle(qtbot)
    names = [s.name() for s in m.price_chart.series()]
    assert names[:3] == ["ETH/USD", "SMA 20", "EMA 50"]
    assert m.price_chart.series()[0].count() > 300
    assert m.rsi_chart.series()[0].count() > 300
    assert m.value_chart.series()[0].count() > 300
    assert m.alloc_chart.series()[0].count() >= 1  # dUSD; the recorded ETH price is not today's
    assert "ETH/USD" in m.brief.text() and "30 days" in m.brief.text()
    assert m.findChildren(QChartView)


def test_models_and_settings_screens(qtbot, controller) -> None:
    mo = controller.window.open("models")
    wait_idle(qtbot)
    assert mo.table.rowCount() >= 1
    assert "MB" in mo.table.item(0, 3).text()  # memory estimate
    assert not mo.remote_enabled.isChecked()  # remote use is off by default
    st = controller.window.open("settings")
    wait_idle(qtbot)
    nets = {st.net_table.item(i, 0).text() for i in range(st.net_table.rowCount())}
    assert {"Ethereum", "Base", "Demo"} <= nets
    st.net_table.item(0, 2).setText("not a url")
    st._save_networks()
    wait_idle(qtbot)
    assert "not an RPC URL" in st.net_error.text()


def test_keyboard_moves_between_screens(qtbot, controller) -> None:
    win = controller.window
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert win.shell.pages.currentWidget().key == "delegates"
    qtbot.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    send = win.shell.pages.currentWidget()
    assert send.key == "send"
    # the form's tab order runs top to bottom and ends on the review button
    chain = [send.account_box]
    for _ in range(5):
        chain.append(chain[-1].nextInFocusChain())
    assert send.recipient in chain
    QApplication.processEvents()


def test_assistant_streams_and_stops(qtbot, controller) -> None:
    """The bundled model answers; Stop cancels the stream (few tokens, to stay quick)."""
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    assert a.route_badge.text() == "On this device"
    a.input.setText("Explain in one line what a gas fee is.")
    a.send()
    assert a.busy
    qtbot.waitUntil(lambda: a.reply is not None and a.streaming != "", timeout=60000)
    a.stop()
    qtbot.waitUntil(lambda: not a.busy, timeout=30000)
    assert a.messages[-1]["role"] == "assistant"
    assert a.messages[-1]["content"].endswith("[stopped]")


def test_assistant_turns_an_order_into_an_action_to_confirm(qtbot, controller) -> None:
    """The bundled model parses the order with grammar-constrained decoding; whatever it
    returns, nothing is sent: either a card to confirm, or a question back."""
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    a.input.setText("send 0.1 ETH to alice")
    a.send()
    qtbot.waitUntil(lambda: not a.busy, timeout=90000)
    wait_idle(qtbot)
    if a.action is not None and a.action.kind == "send":
        assert not a.action_card.isHidden()
        assert a.action.fields == {"recipient": "alice", "amount": "0.1", "asset": "ETH"}
        a._do_action()  # opens Send, prefilled; the review still comes before any signing
        send = controller.window.shell.pages.currentWidget()
        assert send.key == "send"
        wait_idle(qtbot)  # the Send screen loads the address book on a worker
        assert send.resolved_recipient() != "alice"  # resolved through the address book
        assert send.amount.text() == "0.1"
    else:
        assert a.messages[-1]["role"] == "assistant"
        assert a.messages[-1]["content"].strip().endswith("?")


def test_balance_questions_are_answered_with_computed_numbers(qtbot, controller, services) -> None:
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    a.input.setText("How much ETH do I have?")
    a.send()
    qtbot.waitUntil(lambda: not a.busy, timeout=90000)
    answer = a.messages[-1]["content"]
    main = services.wallet.accounts()[0]
    eth = next(b for b in services.wallet.balances(main.address) if b.symbol == "ETH")
    assert answer.startswith("You hold Demo main: ")
    assert f"{eth.amount:.4f}"[:-1] in answer.replace(",", "")
    assert "dUSD" not in answer  # only the asset asked about


def test_remote_host_badge_shows_exactly_what_would_be_sent(
    qtbot, controller, services, demo
) -> None:
    """Nothing is sent here: the preview is built locally (the host URL is never contacted)."""
    from app.rows import RemoteSettings
    from models.catalog_view import save_remote_settings

    save_remote_settings(services.store, RemoteSettings(True, "http://127.0.0.1:9/v1", "big"), None)
    try:
        a = controller.window.open("assistant")
        wait_idle(qtbot)
        address = demo.accounts[0].address
        long_text = f"Summarise the history of {address}. " + "Details follow. " * 2500
        a.input.setText(long_text)
        a._update_preview()
        wait_idle(qtbot)
        assert a.route_badge.text() == "Goes to http://127.0.0.1:9/v1"
        assert not a.preview.isHidden()
        sent = a.preview.text()
        assert "What will be sent" in sent and "ADDR_" in sent
        assert address not in sent and address.lower() not in sent.lower()
        a.input.setText("short question")
        a._update_preview()
        wait_idle(qtbot)
        assert a.route_badge.text() == "On this device" and a.preview.isHidden()
    finally:
        save_remote_settings(services.store, RemoteSettings(False, "", ""), None)


def test_importing_a_gguf_shows_progress_and_adds_it(qtbot, controller, tmp_path) -> None:
    """A real GGUF (a copy of the bundled model under another name) goes through the catalog's
    checks; a file that is not a GGUF is refused with a message and adds nothing."""
    import shutil

    from models.bundled import bundled_model_path

    mo = controller.window.open("models")
    wait_idle(qtbot)
    before = mo.table.rowCount()
    bad = tmp_path / "notes.gguf"
    bad.write_text("not a model")
    mo.import_model(bad)
    wait_idle(qtbot)
    assert mo.error.text() and mo.table.rowCount() == before
    seen: list[int] = []
    mo.progress.valueChanged.connect(seen.append)
    copy = tmp_path / "tiny-copy.gguf"
    shutil.copy(bundled_model_path(), copy)
    mo.import_model(copy)
    qtbot.waitUntil(lambda: mo.import_button.isEnabled(), timeout=60000)
    wait_idle(qtbot)
    assert mo.table.rowCount() == before + 1
    assert seen and max(seen) == 100
    assert mo.progress.isHidden()
