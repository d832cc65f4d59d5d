"""Delegates' settings forms are built from their typed settings: every pane opens and saves
unchanged, a number of any size round-trips, a bad value is a message and saves nothing, and a
message stays with the delegate it was about."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from tests.ui.conftest import wait_idle


@pytest.fixture
def screen(qtbot, controller, services) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The Delegates screen; the stored settings are put back afterwards (shared demo)."""
    before = {r.name: dict(r.settings) for r in services.delegates.list()}
    s = controller.window.open("delegates")
    wait_idle(qtbot)
    yield s
    svc = services.delegates
    for name, settings in before.items():
        svc.save_settings(name, settings)


def _select(qtbot, screen, name: str) -> None:  # type: ignore[no-untyped-def]
    screen.list.setCurrentRow([r.name for r in screen.rows].index(name))
    wait_idle(qtbot)


def _save(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def _stored(services, name: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return next(r.settings for r in services.delegates.list() if r.name == name)


def test_every_settings_pane_opens_and_saves_unchanged(qtbot, screen, services) -> None:
    names = [r.name for r in screen.rows]
    assert {"incoming_watch", "market_analysis", "gas_watch"} <= set(names)
    for name in names:
        before = _stored(services, name)
        _select(qtbot, screen, name)
        _save(qtbot, screen)
        assert screen.error.isHidden(), (name, screen.error.text())
        assert _stored(services, name) == before, name
    _select(qtbot, screen, "incoming_watch")
    assert screen.editors["dust_native_wei"].text() == str(10**12)  # no OverflowError
    _select(qtbot, screen, "market_analysis")
    rules = screen.editors["alert_rules"]
    assert isinstance(rules, QPlainTextEdit) and rules.toPlainText() == "{}"  # not "None"


def test_a_number_of_any_size_round_trips(qtbot, screen, services) -> None:
    _select(qtbot, screen, "incoming_watch")
    screen.editors["dust_native_wei"].setText(str(10**30))
    _save(qtbot, screen)
    assert screen.error.isHidden(), screen.error.text()
    assert _stored(services, "incoming_watch")["dust_native_wei"] == 10**30
    _select(qtbot, screen, "gas_watch")
    _select(qtbot, screen, "incoming_watch")
    assert screen.editors["dust_native_wei"].text() == str(10**30)


def test_alert_rules_are_json_that_is_checked_before_saving(qtbot, screen, services) -> None:
    _select(qtbot, screen, "market_analysis")
    rules = '{"ETH/USD": {"price_above": 4000}}'
    screen.editors["alert_rules"].setPlainText(rules)
    _save(qtbot, screen)
    assert screen.error.isHidden(), screen.error.text()
    assert _stored(services, "market_analysis")["alert_rules"] == {"ETH/USD": {"price_above": 4000}}
    screen.editors["alert_rules"].setPlainText('{"ETH/USD": {"price_above": 4000')
    _save(qtbot, screen)
    assert "Alert rules is not valid JSON" in screen.error.text()
    assert "Quote" not in screen.error.text()  # the command line's advice is not for a window
    screen.editors["alert_rules"].setPlainText('{"ETH/USD": {"price_abov": 1}}')
    _save(qtbot, screen)
    assert "price_abov" in screen.error.text()
    assert _stored(services, "market_analysis")["alert_rules"] == {"ETH/USD": {"price_above": 4000}}


@pytest.mark.parametrize("typed", ["lots", "-5", "1,5", "1e12", ""])
def test_an_invalid_value_is_a_message_and_saves_nothing(
    qtbot, screen, services, typed: str
) -> None:
    _select(qtbot, screen, "incoming_watch")
    before = _stored(services, "incoming_watch")
    editor = screen.editors["dust_native_wei"]
    assert isinstance(editor, QLineEdit)
    editor.setText(typed)
    screen.editors["dust_token_units"].setText("7")  # a good value beside it: not saved either
    _save(qtbot, screen)
    assert not screen.error.isHidden()
    assert "Dust, native coin (wei)" in screen.error.text()
    assert _stored(services, "incoming_watch") == before
    # The banner belongs to that delegate: it does not follow to the next one.
    _select(qtbot, screen, "gas_watch")
    assert screen.error.isHidden()


def test_a_float_setting_reads_the_users_decimal_separator(qtbot, screen, services) -> None:
    _select(qtbot, screen, "gas_watch")
    screen.editors["threshold_gwei"].setText("12.5")
    _save(qtbot, screen)
    assert screen.error.isHidden(), screen.error.text()
    assert _stored(services, "gas_watch")["threshold_gwei"] == 12.5
