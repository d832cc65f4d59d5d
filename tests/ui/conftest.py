"""Qt runs offscreen here; every test gets its own WARDEN_HOME and a real encrypted store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("WARDEN_THEME", "dark")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.ui.sample import SAMPLE_PASSWORD, sample_store  # noqa: E402


@pytest.fixture(autouse=True)
def _warden_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@pytest.fixture(autouse=True)
def _fresh_tasks(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from ui import ops

    ops.reset_tasks()
    yield
    ops.reset_tasks()


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    st = sample_store(tmp_path / "store")
    yield st
    st.close()


@pytest.fixture
def password() -> str:
    return SAMPLE_PASSWORD
