"""Screens stay true: a change committed by any writer reaches every screen that shows it,
as a ``*_did_change`` event from the store, re-emitted by the bridge, reloaded on a worker."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app import events as ev
from app.store import Store, changes
from app.store.schema import Network, Preference, Proposal, Transfer
from app.wallet import contacts
from models.assistant import to_wallet_action
from tests.ui.conftest import wait_idle
from ui.bridge import EventBridge
from ui.screens.base import ScreenContext
from ui.services import AppServices

CAROL = "0x" + "c3" * 20


def _names(wallet: Any) -> set[str]:
    model = wallet.contacts_model
    return {model.index(i, 0).data() for i in range(model.rowCount())}


def in_thread(fn: Callable[[], object]) -> None:
    """Run ``fn`` on another thread and wait: the way a delegate or the CLI writes."""
    worker = threading.Thread(target=fn)
    worker.start()
    worker.join()


def test_a_contact_added_from_the_assistant_appears_in_the_wallet_screen(qtbot, controller) -> None:
    """The issue's case, on the real demo: the Wallet screen is open and loaded; the contact
    is added through the Assistant's confirmation card (the path a parsed intent takes);
    the address book shows it without a restart and without the Wallet being told."""
    wallet = controller.window.open("wallet")
    wait_idle(qtbot)
    assert "Carol (assistant)" not in _names(wallet)
    assistant = controller.window.open("assistant")
    wait_idle(qtbot)
    action = to_wallet_action(
        {"action": "add_contact", "name": "Carol (assistant)", "address": CAROL}
    )
    assistant._got_action(action)
    assert assistant.action_go.isVisible()
    with qtbot.waitSignal(wallet.reloading, timeout=10000) as reload:
        qtbot.mouseClick(assistant.action_go, Qt.MouseButton.LeftButton)
    assert "contacts" in reload.args[0]
    qtbot.waitUntil(lambda: "Carol (assistant)" in _names(wallet), timeout=10000)


@pytest.fixture
def live(qtbot, tmp_path: Path) -> Iterator[Any]:
    """A real encrypted store with a bus attached as the composition root does, a bridge and
    ``AppServices`` with no chain: screens whose data lives in the store alone."""
    store = Store.throwaway(tmp_path / "store")
    bus = ev.EventBus()
    changes.attach(store, bus)
    bridge = EventBridge(bus)
    services = AppServices(store, bus)
    ctx = ScreenContext(
        services=services, bridge=bridge, navigate=lambda *_a, **_k: None, status=lambda _m: None
    )

    class Live:
        pass

    live = Live()
    live.store, live.bus, live.bridge, live.services, live.ctx = store, bus, bridge, services, ctx
    yield live
    wait_idle(qtbot)
    bridge.detach()
    store.close()


def _screen(qtbot, cls: type, ctx: ScreenContext) -> Any:
    screen = cls(ctx)
    qtbot.addWidget(screen)
    screen.ensure_loaded()
    wait_idle(qtbot)
    return screen


def test_a_burst_of_commits_and_kinds_is_one_reload(qtbot, live) -> None:
    from ui.screens.wallet import WalletScreen

    wallet = _screen(qtbot, WalletScreen, live.ctx)
    reloads: list[frozenset[str]] = []
    wallet.reloading.connect(reloads.append)

    def write() -> None:
        for i in range(3):  # three commits in quick succession, from a writer's thread
            with live.store.session() as s:
                contacts.add_contact(s, "0x" + f"{i + 1:02x}" * 20, f"Burst {i}")
        with live.store.session() as s:  # and one commit touching two kinds
            contacts.add_contact(s, CAROL, "Carol")
            s.add(Transfer(chain_id=1, account=CAROL, tx_hash="0x01", direction="in", sender=CAROL))

    in_thread(write)
    with qtbot.waitSignal(wallet.reloading, timeout=5000) as reload:
        pass  # the queued events are delivered while waiting
    assert reload.args[0] == frozenset({"contacts", "transfers"})
    wait_idle(qtbot)
    assert _names(wallet) == {"Burst 0", "Burst 1", "Burst 2", "Carol"}
    assert len(reloads) == 1
    assert wallet._reload_timer is not None and not wallet._reload_timer.isActive()


def test_a_screen_not_shown_yet_does_not_load_on_a_change(qtbot, live) -> None:
    from ui.screens.wallet import WalletScreen

    wallet = WalletScreen(live.ctx)
    qtbot.addWidget(wallet)
    reloads: list[object] = []
    wallet.reloading.connect(reloads.append)
    with live.store.session() as s:
        contacts.add_contact(s, CAROL, "Carol")
    assert wallet._reload_timer is not None  # the event arrived (here, on the GUI thread)
    qtbot.waitUntil(lambda: not wallet._reload_timer.isActive(), timeout=5000)
    assert reloads == []
    assert wallet.contacts_model.rowCount() == 0
    wallet.ensure_loaded()  # shown: it loads, with the contact
    qtbot.waitUntil(lambda: _names(wallet) == {"Carol"}, timeout=5000)


def test_the_send_screen_learns_a_contact_added_elsewhere(qtbot, live) -> None:
    """The recipient typed before the contact existed is recognised once it does."""
    from ui.screens.send import SendScreen

    send = _screen(qtbot, SendScreen, live.ctx)
    send.recipient.setText(CAROL)
    assert "new address" in send.recipient_note.text()

    def add() -> None:
        with live.store.session() as s:
            contacts.add_contact(s, CAROL, "Carol")

    with qtbot.waitSignal(send.reloading, timeout=5000):
        in_thread(add)
    qtbot.waitUntil(lambda: "Carol from your address book" in send.recipient_note.text())
    assert [t.lower() for t in send.completer.model().stringList()] == [f"carol <{CAROL}>"]


def test_the_settings_screen_follows_networks_and_preferences_changed_elsewhere(
    qtbot, live
) -> None:
    from ui.screens.settings import SettingsScreen

    settings = _screen(qtbot, SettingsScreen, live.ctx)
    assert settings.net_table.rowCount() == 0

    def add_network() -> None:
        with live.store.session() as s:
            s.add(Network(name="Testnet", chain_id=31337, rpc_url="http://127.0.0.1:8545"))

    in_thread(add_network)
    qtbot.waitUntil(lambda: settings.net_table.rowCount() == 1, timeout=5000)
    assert settings.net_table.item(0, 0).text() == "Testnet"

    def change_preference() -> None:
        with live.store.session() as s:
            s.merge(Preference(key="idle_lock_minutes", value=25))

    with qtbot.waitSignal(settings.reloading, timeout=5000) as reload:
        in_thread(change_preference)
    assert reload.args[0] == frozenset({"settings"})


def test_a_new_proposal_appears_without_rebuilding_the_settings_being_edited(qtbot, live) -> None:
    from ui.screens.delegates import DelegatesScreen

    delegates = _screen(qtbot, DelegatesScreen, live.ctx)
    editors_before = dict(delegates.editors)

    def propose() -> None:
        with live.store.session() as s:
            s.add(
                Proposal(
                    delegate="approval_hygiene",
                    kind="revoke",
                    payload={"title": "Revoke an old allowance"},
                )
            )

    def shown() -> list[str]:
        box = delegates.proposals_box
        texts = []
        for i in range(box.count()):
            w = box.itemAt(i).widget()
            texts += [c.text() for c in w.findChildren(QLabel)] if w else []
        return texts

    with qtbot.waitSignal(delegates.reloading, timeout=5000) as reload:
        in_thread(propose)
    assert reload.args[0] == frozenset({"proposals"})
    qtbot.waitUntil(lambda: any("Revoke an old allowance" in t for t in shown()), timeout=5000)
    assert delegates.editors == editors_before


def test_the_send_screen_keeps_the_account_and_asset_chosen_across_a_reload(
    qtbot, controller, services
) -> None:
    """A transfer recorded while the user fills the form (a history scan, another window)
    reloads the balances; the account and asset they chose stay chosen."""
    send = controller.window.open("send")
    wait_idle(qtbot)
    assert send.account_box.count() >= 2
    send.account_box.setCurrentIndex(1)
    wait_idle(qtbot)
    send.asset_box.setCurrentIndex(send.asset_box.findData("dUSD"))
    assert send.asset_box.currentData() == "dUSD"
    with qtbot.waitSignal(send.reloading, timeout=10000):
        in_thread(lambda: services.bus.publish(ev.transfers_did_change(chain_id=None)))
    wait_idle(qtbot)
    assert send.account_box.currentIndex() == 1
    assert send.asset_box.currentData() == "dUSD"


@pytest.mark.parametrize("event_type", ev.CHANGE_EVENTS, ids=lambda t: t.__name__)
def test_the_bridge_re_emits_every_change_event(qtbot, event_type: type) -> None:
    bus = ev.EventBus()
    bridge = EventBridge(bus)
    got: list[object] = []
    getattr(bridge, event_type.__name__).connect(got.append)
    with qtbot.waitSignal(bridge.any_event, timeout=2000):
        in_thread(lambda: bus.publish(event_type(chain_id=1)))
    qtbot.waitUntil(lambda: got == [event_type(chain_id=1)])
    bridge.detach()
