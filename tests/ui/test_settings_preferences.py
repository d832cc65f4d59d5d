"""The Settings screen's preference fields come from app/preferences.py: one field per
declaration, the widget chosen by its type, values checked by the declaration on save."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from app import preferences
from app.preferences import PREFERENCES, PreferenceSpec
from tests.ui.conftest import wait_idle
from ui.preference_form import PreferenceForm

SHOWN = {p.name for p in PREFERENCES if p.in_settings}


def test_the_form_has_a_widget_per_type_with_the_declared_rules(qtbot) -> None:
    specs = [
        PreferenceSpec("sound", bool, False, label="Play a sound", help="On a proposal."),
        PreferenceSpec(
            "wait", int, 5, label="Wait", help="Minutes.", minimum=0, maximum=60, unit="min"
        ),
        PreferenceSpec("ratio", float, 0.5, label="Ratio", help="A share.", maximum=1),
        PreferenceSpec(
            "theme", str, "dark", label="Theme", help="Colours.", choices=("dark", "light")
        ),
        PreferenceSpec("nick", str, "", label="Nickname", help="Shown.", max_length=8),
    ]
    form = PreferenceForm(specs)
    qtbot.addWidget(form)
    kinds = {name: type(w) for name, w in form.fields.items()}
    assert kinds == {
        "sound": QCheckBox,
        "wait": QSpinBox,
        "ratio": QDoubleSpinBox,
        "theme": QComboBox,
        "nick": QLineEdit,
    }
    assert form.values() == {p.name: p.default for p in specs}  # defaults until loaded
    wait = form.fields["wait"]
    assert (wait.minimum(), wait.maximum(), wait.suffix()) == (0, 60, " min")
    assert form.fields["nick"].maxLength() == 8
    assert form.fields["theme"].toolTip() == "<qt>Colours.</qt>"
    chosen = {"sound": True, "wait": 30, "ratio": 0.25, "theme": "light", "nick": "ada"}
    form.load(chosen)
    assert form.values() == chosen
    for p in specs:  # what the form gives back passes the declaration
        assert p.check(form.values()[p.name]) == chosen[p.name]


def test_settings_shows_one_field_per_declared_preference_and_saves_them(
    qtbot, controller, services
) -> None:
    st = controller.window.open("settings")
    wait_idle(qtbot)
    assert SHOWN and set(st.prefs.fields) == SHOWN
    assert st.prefs.values() == {
        n: v for n, v in preferences.get_all(services.store).items() if n in SHOWN
    }
    idle = st.prefs.fields["idle_lock_minutes"]
    assert (idle.minimum(), idle.maximum()) == (0, 240)  # the declared range
    assert idle.specialValueText() == "never"
    try:
        idle.setValue(25)
        st.prefs.fields["notifications"].setChecked(False)
        st._save_behaviour()
        wait_idle(qtbot)
        assert st.behaviour_error.text() == ""
        assert preferences.get(services.store, "idle_lock_minutes") == 25
        assert preferences.get(services.store, "notifications") is False
        assert controller.idle.minutes == 25  # in effect now, not after a restart
        assert controller.notifier.enabled is False
    finally:  # the demo store is shared by the session's tests
        preferences.set_many(services.store, {n: preferences.default(n) for n in SHOWN})


def test_saving_an_invalid_value_shows_the_message_not_a_crash(qtbot, controller, services) -> None:
    st = controller.window.open("settings")
    wait_idle(qtbot)
    before = preferences.get_all(services.store)
    st.save_preferences({"notifications": False, "idle_lock_minutes": 999})
    wait_idle(qtbot)
    message = st.behaviour_error.text()
    assert "Lock after idle must be from 0 to 240 min" in message
    assert "save again" in message
    assert preferences.get_all(services.store) == before  # all or none: nothing stored
    assert st.isVisible() and controller.window.isVisible()
    st.save_preferences({"idle_lock_minutes": before["idle_lock_minutes"]})
    wait_idle(qtbot)
    assert st.behaviour_error.text() == ""  # a good save clears the message


def test_stored_preferences_take_effect_at_unlock(qtbot, controller, services) -> None:
    preferences.set_many(services.store, {"idle_lock_minutes": 7, "notifications": False})
    try:
        controller.lock()
        screen = controller.window.unlock
        screen.password.setText("demo password")
        screen._submit()
        qtbot.waitUntil(lambda: not controller.window.locked, timeout=5000)
        wait_idle(qtbot)
        assert controller.idle.minutes == 7
        assert controller.notifier.enabled is False
    finally:  # the demo store is shared by the session's tests
        preferences.set_many(services.store, {n: preferences.default(n) for n in SHOWN})
