"""The wallet commands end to end: a real store under WARDEN_HOME, a real anvil node."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from app.wallet.chain import ChainClient
from app.wallet.review_choice import ChosenReviewer
from tests.app.wallet.conftest import ADDR0, ADDR1, PHRASE, FixedReviewer
from tests.support.anvil import Anvil
from warden.cli import main

TO = "0x000000000000000000000000000000000000dEaD"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", "a long password")
    # Keep the developer's real keyring out of it: the store opens with the password alone.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PHRASE + "\n"))
    assert main(["init", "--import-phrase", "--name", "Main"]) == 0
    return tmp_path


def test_init_accounts_contacts_networks(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["accounts", "add", "--name", "Second"]) == 0
    assert main(["accounts"]) == 0
    out = capsys.readouterr().out
    assert ADDR0 in out and ADDR1 in out and "m/44'/60'/0'/0/1" in out

    bad = TO.replace("dEaD", "DEaD")
    assert main(["contacts", "add", bad, "Burn"]) == 2
    err = capsys.readouterr().err
    assert "checksum" in err and "Traceback" not in err
    assert main(["contacts", "add", TO, "Burn", "--note", "gone forever"]) == 0
    assert main(["contacts"]) == 0
    assert "gone forever" in capsys.readouterr().out

    assert main(["networks", "add", "Local", "31337", "http://127.0.0.1:1"]) == 0
    assert main(["networks"]) == 0
    out = capsys.readouterr().out
    assert "Base" in out and "Local" in out and "31337" in out
    assert main(["balance", "--network", "Local"]) == 2  # nothing listens on port 1
    assert "Could not reach" in capsys.readouterr().err


def test_init_refuses_a_second_wallet_and_a_bad_phrase(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 2
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path / "other"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("one two three\n"))
    assert main(["init", "--import-phrase"]) == 2
    assert "has 3" in capsys.readouterr().err
    assert not (tmp_path / "other" / "data" / "warden.db").exists()  # nothing half-made
    # A new phrase is confirmed by words typed back; with no terminal, only on request.
    assert main(["init"]) == 2
    assert "no terminal" in capsys.readouterr().err
    assert not (tmp_path / "other" / "data" / "warden.db").exists()
    assert main(["init", "--skip-word-check"]) == 0  # a new wallet: its phrase is shown once
    out = capsys.readouterr().out
    assert "recovery phrase" in out and "Created Main" in out


def _fixed(reviewer: FixedReviewer) -> ChosenReviewer:
    """The node-backed review replaced by a fixed verdict (see FixedReviewer)."""
    return ChosenReviewer(lambda: reviewer, None, lambda: True)


@pytest.mark.anvil
def test_send_balance_history_on_anvil(
    home: Path,
    anvil: Anvil,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    # Without a review there is no send.
    monkeypatch.setattr(
        "warden.pipeline.review_source", lambda *a: ChosenReviewer(None, None, lambda: False)
    )
    assert main(["send", TO, "1", "--network", "Local", "--yes"]) == 2
    assert "review is not available" in capsys.readouterr().err
    # With a (fixed, see FixedReviewer) review the send goes through and is in the history.
    monkeypatch.setattr("warden.pipeline.review_source", lambda *a: _fixed(FixedReviewer()))
    assert main(["send", TO, "1.5", "--network", "Local", "--yes", "--wait", "10"]) == 0
    assert ": confirmed" in capsys.readouterr().out
    assert ChainClient.connect(anvil.url, 31337).balance(TO) == 15 * 10**17
    assert main(["send", TO, "-1", "--network", "Local", "--yes"]) == 2
    assert "negative" in capsys.readouterr().err
    assert main(["balance", "--network", "Local"]) == 0
    assert "9998.4" in capsys.readouterr().out
    assert main(["history", "--network", "Local"]) == 0
    out = capsys.readouterr().out
    assert "1.5 ETH" in out and "confirmed" in out


def test_send_refuses_on_danger_without_a_terminal(
    home: Path,
    anvil: Anvil,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    monkeypatch.setattr("warden.pipeline.review_source", lambda *a: _fixed(FixedReviewer("danger")))
    assert main(["send", TO, "1", "--network", "Local", "--yes"]) == 1
    assert "Not sent." in capsys.readouterr().out
    assert ChainClient.connect(anvil.url, 31337).balance(TO) == 0


@pytest.mark.anvil
def test_send_with_the_real_review_on_anvil(
    home: Path, anvil: Anvil, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review from delegates.tx_review, as 'warden send' uses it."""
    pytest.importorskip("delegates.tx_review.node_facts")
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    code = main(["send", TO, "0.25", "--network", "Local", "--yes", "--wait", "10"])
    out = capsys.readouterr().out
    assert "Review:" in out
    if "Review: DANGER" in out:  # a burn address may well be judged dangerous: then not sent
        assert code == 1 and "Not sent." in out
    else:
        assert code == 0 and ": confirmed" in out
        assert ChainClient.connect(anvil.url, 31337).balance(TO) == 25 * 10**16


def _locale(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_NUMERIC", raising=False)
    monkeypatch.setenv("LANG", name)


@pytest.mark.parametrize("amount", ["0,5", "1,5", "1,500", "1.234,5"])
def test_send_refuses_an_amount_english_could_misread_before_connecting(
    home: Path, amount: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'warden send' reads the amount with the window's parser, in the shell's locale."""
    _locale(monkeypatch, "en_US.UTF-8")
    # Nothing listens on port 1: a refusal that mentions the node would mean it got that far.
    assert main(["networks", "add", "Local", "31337", "http://127.0.0.1:1"]) == 0
    capsys.readouterr()
    assert main(["send", TO, amount, "--network", "Local", "--yes"]) == 2
    err = capsys.readouterr().err
    assert f"The amount '{amount}'" in err and ("Type " in err or "Write numbers" in err)
    assert "node" not in err.lower()


@pytest.mark.anvil
def test_send_reads_a_decimal_comma_under_a_german_locale(
    home: Path, anvil: Anvil, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _locale(monkeypatch, "de_DE.UTF-8")
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    monkeypatch.setattr("warden.pipeline.review_source", lambda *a: _fixed(FixedReviewer()))
    assert main(["send", TO, "0,5", "--network", "Local", "--yes", "--wait", "10"]) == 0
    assert "Send 0.5 ETH" in capsys.readouterr().out
    assert ChainClient.connect(anvil.url, 31337).balance(TO) == 5 * 10**17
    assert main(["send", TO, "1,500", "--network", "Local", "--yes"]) == 2  # 1.5 or 1500?
    assert "could mean 1,5 or 1500" in capsys.readouterr().err
    assert ChainClient.connect(anvil.url, 31337).balance(TO) == 5 * 10**17
