"""``warden init`` draws the core onboarding flow at a terminal: a real store under
WARDEN_HOME, the password from WARDEN_PASSWORD, no keyring (the fail backend)."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.config import default_paths
from app.store import Store, keys
from app.wallet import accounts
from warden.cli import main

PASSWORD = "a long password"  # noqa: S105
KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
ADDR0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
WATCHED = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    # The environment variable is read once per process: an earlier test may have chosen
    # the real Secret Service already, so the backend is set here too.
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(1, 8 * 1024, 1))  # cost only
    yield tmp_path
    keyring.set_keyring(previous)


class Terminal(io.StringIO):
    """A simulated terminal (no tty in a test run): what ``input()`` printed goes to ``out``;
    each answer is chosen from what the user has seen so far, as a person would."""

    def __init__(self, out: io.StringIO, wrong_rounds: int = 0) -> None:
        super().__init__()
        self.out = out
        self.wrong = wrong_rounds * 3

    def isatty(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:
        seen = self.out.getvalue()
        phrase = re.search(r"^ {4}((?:[a-z]+ ){11}[a-z]+)$", seen, re.M)
        asked = re.findall(r"Word (\d+): ", seen)
        assert phrase and asked, seen
        if self.wrong:
            self.wrong -= 1
            return "wrong\n"
        return phrase.group(1).split()[int(asked[-1]) - 1] + "\n"


def _stored_accounts() -> list[accounts.AccountInfo]:
    store = Store.open(default_paths(), PASSWORD)
    try:
        with store.session() as s:
            return accounts.list_accounts(s)
    finally:
        store.close()


def test_init_at_a_terminal_asks_words_back_then_creates(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stdin", Terminal(out, wrong_rounds=1))
    assert main(["init"]) == 0
    text = out.getvalue()
    assert "does not match" in text  # the first round was wrong: asked again
    assert text.count("recovery phrase (write it down") == 1  # shown once
    assert "Created Main" in text and "password alone unlocks" in text
    assert [a.kind for a in _stored_accounts()] == ["hd"]


def test_init_at_a_terminal_creates_nothing_after_three_wrong_rounds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stdin", Terminal(out, wrong_rounds=3))
    assert main(["init"]) == 2
    assert "Nothing was created" in capsys.readouterr().err
    assert not Store.exists(default_paths())


def test_init_imports_a_key_and_watches_an_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(KEY0 + "\n"))
    assert main(["init", "--import-key", "--name", "Hot", "--no-keyring"]) == 0
    assert f"Created Hot: {ADDR0} (imported)" in capsys.readouterr().out
    assert [(a.name, a.kind) for a in _stored_accounts()] == [("Hot", "imported")]

    monkeypatch.setenv("WARDEN_HOME", str(tmp_path / "watch"))
    assert main(["init", "--watch", WATCHED.lower()]) == 0
    assert f"Created Watched: {WATCHED} (watch)" in capsys.readouterr().out


def test_init_refuses_bad_input_and_an_existing_wallet_before_asking_more(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("0x1234\n"))
    assert main(["init", "--import-key"]) == 2
    assert "64 hex digits" in capsys.readouterr().err
    assert main(["init", "--watch", WATCHED, "--name", "tab\there"]) == 2
    assert "control or invisible" in capsys.readouterr().err
    assert not Store.exists(default_paths())

    assert main(["init", "--watch", WATCHED]) == 0
    key_file = default_paths().key_file.read_bytes()
    # A second init, even with a terminal, is refused before any question.
    monkeypatch.setattr(sys, "stdin", Terminal(io.StringIO()))
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "nothing was changed" in err
    assert default_paths().key_file.read_bytes() == key_file
    assert [a.address for a in _stored_accounts()] == [WATCHED]
