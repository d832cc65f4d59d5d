"""Qt runs offscreen here; every test gets its own WARDEN_HOME and a real encrypted store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("WARDEN_THEME", "dark")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _warden_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@pytest.fixture(scope="session", autouse=True)
def _gc_on_gui_thread(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """As in the app: garbage is collected on the GUI thread only (ui/gc_guard.py)."""
    from ui import gc_guard

    guard = gc_guard.install(qapp)
    yield
    guard.stop()


@pytest.fixture(autouse=True)
def _fresh_tasks(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from ui import ops

    ops.reset_tasks()
    yield
    ops.reset_tasks()


@pytest.fixture(scope="session")
def demo(tmp_path_factory, qapp):  # type: ignore[no-untyped-def]
    """The real demo: an in-process EVM, a funded wallet, tokens, history, a risky approval."""
    from app.wallet.demo import build_demo
    from ui.demo import prepare_scenario

    d = build_demo(tmp_path_factory.mktemp("demo") / "demo")
    prepare_scenario(d)
    yield d
    d.close()


@pytest.fixture(scope="session")
def demo_services(demo):  # type: ignore[no-untyped-def]
    """The demo's services with every part that starts (review on the node, models, delegates)."""
    from ui.compose import demo_services as compose_demo

    services = compose_demo(demo)
    yield services
    services.close()


@pytest.fixture
def services(demo_services):  # type: ignore[no-untyped-def]
    """The shared demo services with closers of their own: their ``close`` (on lock) leaves
    the shared parts running for the next test."""
    import dataclasses

    from ui.services import Closers

    return dataclasses.replace(demo_services, closers=Closers())


@pytest.fixture
def controller(qapp, services, tmp_path):  # type: ignore[no-untyped-def]
    from ui.app import WardenApp

    c = WardenApp(
        qapp,
        config_dir=tmp_path / "config",
        unlock=lambda pw: _unlock(pw, services),
        services=services,
        use_tray=False,
    )
    c.window.resize(1180, 760)
    c.window.show()
    yield c
    c.window.allow_close = lambda: True
    c.lock()
    c.window.close()
    c.window.deleteLater()


def _unlock(password: str, services):  # type: ignore[no-untyped-def]
    from app.errors import WrongPassword

    if password != "demo password":
        raise WrongPassword("That is not the password.")
    return services


def wait_idle(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.ops import tasks

    qtbot.waitUntil(lambda: not tasks().busy, timeout=30000)
    qtbot.wait(30)
    qtbot.waitUntil(lambda: not tasks().busy, timeout=30000)
