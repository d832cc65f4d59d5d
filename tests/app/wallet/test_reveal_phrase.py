"""``warden accounts reveal-phrase`` as a person and a script run it: in a process of its own,
at a real pseudo-terminal (tests/support/terminal.py) or with no terminal at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import Paths
from app.store import Store
from app.wallet import accounts
from tests.app.wallet.conftest import PHRASE
from tests.support.terminal import run_at_terminal

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "pw-for-reveal-tests"  # noqa: S105
PROMPT = "Warden password (to show the phrase): "


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A wallet holding the test phrase that opens with the password alone (no keyring);
    WARDEN_PASSWORD is set, as in a shell where a script once exported it."""
    paths = Paths(*(tmp_path / d for d in ("data", "config", "cache", "logs")))
    store = Store.create(paths, PASSWORD, use_keyring=False)
    with store.session() as s:
        accounts.create_hd_wallet(s, PHRASE, name="Main")
    store.close()
    out = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    out.update(
        WARDEN_HOME=str(tmp_path),
        WARDEN_PASSWORD=PASSWORD,
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return out


def _reveal(env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warden", "accounts", "reveal-phrase", *flags],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_without_a_terminal_the_phrase_needs_an_explicit_flag(env: dict[str, str]) -> None:
    refused = _reveal(env)
    assert refused.returncode == 2 and PHRASE not in refused.stdout + refused.stderr
    assert "--without-terminal" in refused.stderr and "Traceback" not in refused.stderr
    shown = _reveal(env, "--without-terminal")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == PHRASE


def test_at_a_terminal_the_password_is_typed_even_with_warden_password_set(
    env: dict[str, str],
) -> None:
    argv = [sys.executable, "-m", "warden", "accounts", "reveal-phrase"]
    code, shown = run_at_terminal(argv, [(PROMPT, "not the password")], env=env, cwd=ROOT)
    assert code == 2 and "password is wrong" in shown and PHRASE not in shown
    code, shown = run_at_terminal(argv, [(PROMPT, PASSWORD)], env=env, cwd=ROOT)
    assert code == 0, shown
    assert "can take your funds" in shown and PHRASE in shown
    assert PASSWORD not in shown  # typed without echo
