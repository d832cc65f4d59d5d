"""Settings -> "Help improve the model": off by default, checked before it is stored, the
privacy spent shown from the node's ledger, and "Leave" stopping the node and clearing it.

Real parts: Qt widgets (offscreen), the demo's encrypted store, certificates made with
``cryptography``, a real process standing in for ``warden federate join`` (a sleeping Python
whose command line says ``federate join``: running the SuperNode needs a federation).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.federated import optin
from models.federated.certs import NODE_PUB, make_server_certs
from tests.ui.conftest import wait_idle
from ui.screens.federate_settings import FederateSettings


@pytest.fixture
def section(qtbot, services, tmp_path: Path) -> Iterator[FederateSettings]:  # type: ignore[no-untyped-def]
    optin.clear(services.store)
    w = FederateSettings(lambda: services, node=tmp_path / "node")
    qtbot.addWidget(w)
    w.refresh()
    wait_idle(qtbot)
    yield w
    wait_idle(qtbot)
    optin.clear(services.store)  # the demo store is shared with the other tests


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the CA a joiner pins, the server's own certificate: not a CA)."""
    made = make_server_certs(tmp_path_factory.mktemp("certs"), ["127.0.0.1"])
    return made.ca, made.cert


def fill(w: FederateSettings, address: str, ca: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    w.enabled.setChecked(True)
    w.address.setText(address)
    w.ca_file.setText(str(ca))
    w.join_button.click()
    wait_idle(qtbot)


def test_off_by_default_and_what_is_shared_is_said(section: FederateSettings, services) -> None:  # type: ignore[no-untyped-def]
    assert not section.enabled.isChecked()
    assert section.form.isHidden() and not section.leave_button.isEnabled()
    assert optin.load(services.store) is None
    text = "\n".join(lab.text() for lab in section.findChildren(type(section.spent)))
    assert "adapter's weights" in text and "noise" in text
    assert "recovery phrases" in text and "Balances" in text and "history" in text
    assert "none" in section.spent.text()
    section.enabled.setChecked(True)  # turning it on asks for the address and certificate
    assert not section.form.isHidden()


@pytest.mark.parametrize(
    ("address", "which", "message"),
    [
        ("no-port-here", "ca", "HOST:PORT"),
        ("fl.example.org:99999", "ca", "HOST:PORT"),
        ("fl.example.org:9092", "server", "not a certificate authority"),
        ("fl.example.org:9092", "text", "not a PEM certificate"),
        ("fl.example.org:9092", "missing", "cannot be read"),
    ],
)
def test_a_bad_address_or_certificate_is_refused_with_a_message(
    section: FederateSettings,
    services,  # type: ignore[no-untyped-def]
    certs: tuple[Path, Path],
    tmp_path: Path,
    qtbot,  # type: ignore[no-untyped-def]
    address: str,
    which: str,
    message: str,
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a certificate")
    ca = {"ca": certs[0], "server": certs[1], "text": text, "missing": tmp_path / "nope"}[which]
    fill(section, address, ca, qtbot)
    assert not section.error.isHidden() and message in section.error.text()
    assert optin.load(services.store) is None
    assert not section.leave_button.isEnabled()


def test_on_stores_the_choice_and_leave_stops_the_node_and_clears_it(
    section: FederateSettings,
    services,  # type: ignore[no-untyped-def]
    certs: tuple[Path, Path],
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    section.ceiling.setValue(5.0)
    fill(section, "127.0.0.1:9092", certs[0], qtbot)
    assert section.error.isHidden(), section.error.text()
    stored = optin.load(services.store)
    assert stored is not None
    assert stored.address == "127.0.0.1:9092" and stored.epsilon_ceiling == 5.0
    assert stored.ca_pem == certs[0].read_text()
    node = section.node
    assert node is not None and (node / NODE_PUB).exists()  # a key for the operator to admit
    assert str(node / NODE_PUB) in section.state.text()
    assert section.leave_button.isEnabled()

    # a process standing for 'warden federate join', as the pid file names it
    join = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)", "federate", "join"]
    )
    try:
        (node / optin.PID_FILE).write_text(str(join.pid))
        section.leave_button.click()
        wait_idle(qtbot)
        assert join.wait(30) != 0  # stopped by SIGTERM
    finally:
        if join.poll() is None:
            join.kill()
    assert optin.load(services.store) is None
    assert not section.enabled.isChecked() and not section.leave_button.isEnabled()
    assert "Left the federation" in section.state.text()


def test_the_epsilon_spent_is_shown_from_the_ledger(
    section: FederateSettings,
    services,  # type: ignore[no-untyped-def]
    certs: tuple[Path, Path],
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    pytest.importorskip("opacus", reason="the 'train' extra is not installed")
    from models.federated.ledger import PrivacyLedger

    assert section.node is not None
    ledger = PrivacyLedger.open(section.node / "ledger.json", 1e-5)
    ledger.record(1.0, 0.5, 4)
    eps = ledger.epsilon()
    assert 0 < eps < 100
    fill(section, "127.0.0.1:9092", certs[0], qtbot)
    shown = section.spent.text()
    assert f"epsilon {eps:.2f} of the 8 ceiling" in shown and "delta 1e-05" in shown


def test_settings_embeds_the_section(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    st = controller.window.open("settings")
    wait_idle(qtbot)
    assert isinstance(st.federate, FederateSettings)
    assert not st.federate.enabled.isChecked()
