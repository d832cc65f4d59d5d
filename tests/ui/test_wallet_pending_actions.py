"""Speed up and cancel a pending send from the Wallet screen's history (issue 11): the buttons
show only on a pending row this wallet sent; pressing one builds the replacement on the node,
shows the review, and confirming sends it with the same nonce and higher fees; the old row
becomes "replaced". When the original is mined before the replacement goes out, the row says
what became of it (``app.wallet.replace.settle_original``, as ``warden tx`` does).

Real parts: an anvil node with automine off (so a send stays pending), a real encrypted
store with the event bus attached as the composition root does, the app's own reviewer
(``ui.compose.wallet_services``), a real ``WalletScreen`` and ``ReviewDialog``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app import events as ev
from app.review_types import DANGER_CONFIRMATION
from app.rows import SendDraft
from app.store import Store, changes
from app.wallet import accounts, contacts
from app.wallet.chain import ChainClient
from app.wallet.networks import NetworkInfo
from tests.support.anvil import ANVIL_PHRASE, Anvil
from tests.support.anvil import anvil as anvil  # noqa: F401  (fixture)
from tests.ui.conftest import wait_idle
from ui.bridge import EventBridge
from ui.compose import wallet_services
from ui.screens.base import ScreenContext
from ui.services import AppServices

pytestmark = pytest.mark.anvil

FRIEND = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # anvil's second account


class World:
    wallet: Any
    screen: Any
    me: str
    messages: list[str]


@pytest.fixture
def world(qtbot, anvil: Anvil, tmp_path: Path) -> Iterator[World]:  # type: ignore[no-untyped-def]
    from ui.screens.wallet import WalletScreen

    store = Store.throwaway(tmp_path / "store")
    bus = ev.EventBus()
    changes.attach(store, bus)
    with store.session() as s:
        _, main = accounts.create_hd_wallet(s, ANVIL_PHRASE, name="Main")
        contacts.add_contact(s, FRIEND, "Friend")
    client = ChainClient.connect(anvil.url, anvil.chain_id, name="anvil", timeout=5)
    network = NetworkInfo("anvil", anvil.chain_id, anvil.url)
    wallet = wallet_services(store, client, network, bus=bus)
    wallet.wait_s = 0  # a send is tracked elsewhere; the window never waits for a block
    window = QWidget()
    qtbot.addWidget(window)
    bridge = EventBridge(bus, window)
    w = World()
    w.wallet, w.me, w.messages = wallet, main.address, []
    ctx = ScreenContext(
        services=AppServices(store, bus, wallet=wallet),
        bridge=bridge,
        navigate=lambda *_a, **_k: None,
        status=w.messages.append,
        window=window,
    )
    w.screen = WalletScreen(ctx, window)
    QVBoxLayout(window).addWidget(w.screen)
    window.resize(1100, 760)
    window.show()
    try:
        yield w
    finally:
        wait_idle(qtbot)
        bridge.detach()
        store.close()


def _send(w: World, amount: str) -> str:
    """A send from the wallet's own pipeline (what the Send screen does), by the core."""
    prepared = w.wallet.prepare_send(SendDraft(w.me, FRIEND, "ETH", Decimal(amount), "normal"))
    typed = DANGER_CONFIRMATION if prepared.review.verdict == "danger" else None
    return str(w.wallet.sign_and_send(prepared, typed))


def _rows(screen: Any) -> dict[str, Any]:
    m = screen.history_model
    return {m.row(i).tx_hash: m.row(i) for i in range(m.rowCount())}


def _select(screen: Any, tx_hash: str) -> None:
    proxy, model = screen.history_proxy, screen.history_model
    i = next(i for i in range(model.rowCount()) if model.row(i).tx_hash == tx_hash)
    index = proxy.mapFromSource(model.index(i, 0))
    screen.history.selectionModel().select(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _buttons_shown(screen: Any) -> bool:
    shown = not screen.speedup_button.isHidden(), not screen.cancel_tx_button.isHidden()
    assert shown[0] == shown[1]
    return shown[0]


def _load(qtbot, w: World, *hashes: str) -> None:  # type: ignore[no-untyped-def]
    w.screen.ensure_loaded()
    w.screen.refresh()
    qtbot.waitUntil(lambda: all(h in _rows(w.screen) for h in hashes), timeout=20000)
    wait_idle(qtbot)


def _confirm(qtbot, dialog: Any) -> None:  # type: ignore[no-untyped-def]
    if dialog.outcome.verdict == "caution":
        dialog.tick.setChecked(True)
    elif dialog.outcome.verdict == "danger":
        dialog.typed.setText(DANGER_CONFIRMATION)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)


def _press_and_review(qtbot, w: World, button: Any) -> Any:  # type: ignore[no-untyped-def]
    w.screen.dialog = None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: w.screen.dialog is not None and w.screen.dialog.isVisible(), timeout=30000
    )
    return w.screen.dialog


def test_speed_up_sends_the_same_nonce_with_higher_fees_and_the_old_row_is_replaced(
    qtbot, anvil: Anvil, world: World
) -> None:
    w = world
    mined = _send(w, "0.1")  # automine is on: this one is confirmed
    anvil.automine(False)
    pending = _send(w, "0.3")
    _load(qtbot, w, mined, pending)
    assert _rows(w.screen)[mined].status == "confirmed"
    assert _rows(w.screen)[pending].status == "pending"

    _select(w.screen, mined)
    assert not _buttons_shown(w.screen)  # a mined row: nothing to replace
    _select(w.screen, pending)
    assert _buttons_shown(w.screen)
    w.screen.history.clearSelection()
    assert not _buttons_shown(w.screen)
    _select(w.screen, pending)

    old = anvil.rpc("eth_getTransactionByHash", pending)
    dialog = _press_and_review(qtbot, w, w.screen.speedup_button)
    texts = " ".join(lab.text() for lab in dialog.findChildren(QLabel))
    assert "Speed up the pending send of 0.3 ETH to Friend (nonce 1)" in texts
    assert not _buttons_shown(w.screen)  # not twice while the review is open
    with qtbot.waitSignal(w.screen.replacement_finished, timeout=60000) as done:
        _confirm(qtbot, dialog)
        w.screen.history.clearSelection()  # while it is sent, another pick shows no buttons
        _select(w.screen, pending)
        assert not _buttons_shown(w.screen)
    old_hash, new_hash, status = done.args
    assert old_hash == pending and new_hash and new_hash != pending
    # the original's status on the node: gone from the pool, its replacement not yet mined
    assert status == "dropped"

    new = anvil.rpc("eth_getTransactionByHash", new_hash)
    assert anvil.rpc("eth_getTransactionByHash", pending) is None  # evicted from the pool
    assert new["nonce"] == old["nonce"] == hex(1)
    assert (new["to"].lower(), new["value"]) == (FRIEND.lower(), old["value"])
    assert int(new["maxFeePerGas"], 16) > int(old["maxFeePerGas"], 16)
    assert int(new["maxPriorityFeePerGas"], 16) > int(old["maxPriorityFeePerGas"], 16)
    assert f"Replacement sent: {new_hash}" in w.messages

    qtbot.waitUntil(lambda: _rows(w.screen)[pending].status == "replaced", timeout=20000)
    anvil.mine()
    receipt = anvil.rpc("eth_getTransactionReceipt", new_hash)
    assert receipt is not None and int(receipt["status"], 16) == 1


def test_cancel_replaces_it_with_nothing_sent_to_oneself(qtbot, anvil: Anvil, world: World) -> None:
    w = world
    anvil.automine(False)
    pending = _send(w, "0.2")
    _load(qtbot, w, pending)
    _select(w.screen, pending)
    dialog = _press_and_review(qtbot, w, w.screen.cancel_tx_button)
    with qtbot.waitSignal(w.screen.replacement_finished, timeout=60000) as done:
        _confirm(qtbot, dialog)
    new = anvil.rpc("eth_getTransactionByHash", done.args[1])
    assert new["nonce"] == hex(0)
    assert (new["to"].lower(), int(new["value"], 16)) == (w.me.lower(), 0)
    qtbot.waitUntil(lambda: _rows(w.screen)[pending].status == "replaced", timeout=20000)


def test_when_the_original_is_mined_first_its_row_says_so(
    qtbot, anvil: Anvil, world: World
) -> None:
    """The original is mined while the review is open: the replacement cannot go out, and
    the row records the original as confirmed instead of leaving it pending."""
    w = world
    anvil.automine(False)
    pending = _send(w, "0.2")
    _load(qtbot, w, pending)
    _select(w.screen, pending)
    dialog = _press_and_review(qtbot, w, w.screen.speedup_button)
    anvil.mine()  # the original wins the race
    with qtbot.waitSignal(w.screen.replacement_finished, timeout=60000) as done:
        _confirm(qtbot, dialog)
    assert done.args[2] == "confirmed"
    assert "The original was mined first (confirmed)" in w.screen.error.text()
    qtbot.waitUntil(lambda: _rows(w.screen)[pending].status == "confirmed", timeout=20000)
    assert not _buttons_shown(w.screen)


def test_no_buttons_on_an_incoming_row_or_a_watch_only_accounts_send(
    qtbot, anvil: Anvil, world: World
) -> None:
    """Rows stored as the history scan stores them: a pending transfer *to* the wallet, and a
    pending send of an address the wallet only watches (it holds no key to replace it)."""
    from app.store.schema import Transfer

    w = world
    watched = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"  # anvil's third account
    store = w.screen.services.store
    with store.session() as s:
        accounts.add_watch(s, watched, name="Watched")
        for account, direction, tx_hash in (
            (w.me, "in", "0x" + "a1" * 32),
            (watched, "out", "0x" + "b2" * 32),
        ):
            s.add(
                Transfer(
                    chain_id=anvil.chain_id,
                    account=account,
                    tx_hash=tx_hash,
                    direction=direction,
                    sender=FRIEND if direction == "in" else watched,
                    recipient=w.me if direction == "in" else FRIEND,
                    amount=str(10**17),
                    status="pending",
                    nonce=0,
                )
            )
    _load(qtbot, w, "0x" + "a1" * 32)
    _select(w.screen, "0x" + "a1" * 32)
    assert _rows(w.screen)["0x" + "a1" * 32].status == "pending"
    assert not _buttons_shown(w.screen)

    w.screen.account_box.setCurrentIndex(w.screen.account_box.findData(watched))
    qtbot.waitUntil(lambda: "0x" + "b2" * 32 in _rows(w.screen), timeout=20000)
    wait_idle(qtbot)
    _select(w.screen, "0x" + "b2" * 32)
    row = _rows(w.screen)["0x" + "b2" * 32]
    assert (row.status, row.direction) == ("pending", "out")
    assert not _buttons_shown(w.screen)
