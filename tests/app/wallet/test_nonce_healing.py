"""Nonces that heal, through the real ``warden`` command on a real anvil node: sends the node
dropped give their nonces back; a send killed (kill -9) at any point leaves an account that
can still send, with no nonce used twice or skipped; Ctrl-C while waiting for the receipt
says the transaction is already out, with its hash.

The review's verdict is fixed (FixedReviewer, patched in for the CLI and in the child
processes): these tests check nonces and the send's lifecycle, not the review's judgement."""

from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import default_paths
from app.store import Store
from app.store.schema import SignRequest, Transfer
from app.wallet.review_choice import ChosenReviewer
from tests.app.wallet.conftest import ADDR0, ADDR1, PHRASE, FixedReviewer
from tests.support.anvil import Anvil
from warden.cli import main

pytestmark = pytest.mark.anvil
ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "a long password"  # noqa: S105
SENT = re.compile(r"Transaction (0x[0-9a-f]{64}) \(nonce (\d+)\): (\w+)")
# Where a send can die on purpose (app.wallet.requests._fault), beside kills at random times.
FAULTS = ("before_sign_commit", "after_sign", "after_broadcast", "after_mark_sent")

# ``warden send`` in a child process, with the fixed review; "ready" once everything heavy
# is imported, so that a kill at a random moment lands in the send, not in the imports.
CHILD = textwrap.dedent(
    """
    import sys
    import warden.cli, warden.pipeline, app.wallet.requests, app.store, web3
    from app.wallet.review_choice import ChosenReviewer
    from tests.app.wallet.conftest import FixedReviewer

    fixed = FixedReviewer()
    warden.pipeline.review_source = lambda *a: ChosenReviewer(lambda: fixed, None, lambda: True)
    print("ready", flush=True)
    sys.exit(warden.cli.main(sys.argv[1:]))
    """
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, anvil: Anvil) -> Path:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.delenv("WARDEN_TEST_FAULT", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PHRASE + "\n"))
    assert main(["init", "--import-phrase", "--name", "Main"]) == 0
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    fixed = FixedReviewer()
    monkeypatch.setattr(
        "warden.pipeline.review_source",
        lambda *a: ChosenReviewer(lambda: fixed, None, lambda: True),
    )
    return tmp_path


def _send(capsys: pytest.CaptureFixture[str], amount: str, wait: str) -> tuple[str, int, str]:
    code = main(["send", ADDR1, amount, "--network", "Local", "--yes", "--wait", wait])
    out, err = capsys.readouterr()
    found = SENT.search(out)
    assert code in (0, 1) and found, out + err
    return found.group(1), int(found.group(2)), found.group(3)


def _history(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["history", "--network", "Local"]) == 0
    return capsys.readouterr().out


def _count(anvil: Anvil, block: str) -> int:
    return int(anvil.rpc("eth_getTransactionCount", ADDR0, block), 16)


def test_dropped_sends_give_their_nonces_back_to_the_next_send(
    home: Path, anvil: Anvil, capsys: pytest.CaptureFixture[str]
) -> None:
    anvil.automine(False)
    first = _send(capsys, "0.1", "0")
    second = _send(capsys, "0.2", "0")
    assert [(n, s) for _, n, s in (first, second)] == [(0, "pending"), (1, "pending")]
    anvil.rpc("anvil_dropAllTransactions")
    out = _history(capsys)
    for tx_hash, _, _ in (first, second):
        (line,) = [line for line in out.splitlines() if tx_hash[:12] in line]
        assert "dropped" in line
    anvil.automine(True)
    again = _send(capsys, "0.3", "10")
    assert again[1:] == (0, "confirmed")  # the first free nonce, not 2
    assert _count(anvil, "latest") == _count(anvil, "pending") == 1
    follow = _send(capsys, "0.01", "10")
    assert follow[1:] == (1, "confirmed")


def _child(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *argv],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "ready", (line, proc.stderr.read() if proc.stderr else "")


def _check_store(anvil: Anvil, note: str) -> None:
    """Every transaction the node mined from the account is in the history exactly once,
    confirmed, with nonces 0..n-1; nothing is left pending or half-signed."""
    mined = _count(anvil, "latest")
    assert _count(anvil, "pending") == mined, note  # nothing stuck behind a gap
    store = Store.open(default_paths(), PASSWORD)
    try:
        with store.session() as s:
            rows = list(
                s.scalars(
                    select(Transfer).where(Transfer.direction != "in", Transfer.log_index == -1)
                )
            )
            signing = list(s.scalars(select(SignRequest).where(SignRequest.status == "signing")))
    finally:
        store.close()
    confirmed = sorted(r.nonce for r in rows if r.status == "confirmed")
    assert confirmed == list(range(mined)), note
    assert not [r for r in rows if r.status == "pending"], note
    assert not signing, note


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_send_killed_at_any_point_leaves_an_account_that_still_sends(
    home: Path, anvil: Anvil, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = int(os.environ.get("WARDEN_KILL_RUNS", "8"))
    seed = int(os.environ.get("WARDEN_KILL_SEED", str(random.randrange(10**6))))
    rng = random.Random(seed)
    for run in range(runs):
        fault = rng.choice((*FAULTS, "kill -9", "kill -9"))
        note = f"run {run} ({fault}), WARDEN_KILL_SEED={seed}"
        env = dict(os.environ)
        if fault != "kill -9":
            env["WARDEN_TEST_FAULT"] = fault
        proc = _child(["send", ADDR1, "0.01", "--network", "Local", "--yes", "--wait", "5"], env)
        try:
            _wait_ready(proc)
            if fault == "kill -9":
                time.sleep(rng.uniform(0.0, 2.0))
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if fault != "kill -9":
            assert proc.returncode == 137, note + (proc.stderr.read() if proc.stderr else "")
        # The account can still send; the next send finishes what the dead one left and
        # takes the next free nonce.
        _, nonce, status = _send(capsys, "0.001", "10")
        assert status == "confirmed", note
        assert nonce == _count(anvil, "latest") - 1, note
        _history(capsys)  # settles what the dead process left pending
        _check_store(anvil, note)


def test_ctrl_c_while_waiting_for_the_receipt_says_the_transaction_is_out(
    home: Path, anvil: Anvil
) -> None:
    anvil.automine(False)
    env = dict(os.environ)
    proc = _child(["send", ADDR1, "0.5", "--network", "Local", "--yes", "--wait", "120"], env)
    try:
        _wait_ready(proc)
        store = Store.open(default_paths(), PASSWORD)  # a reader beside the sending writer
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with store.session() as s:
                    sent = s.scalars(
                        select(SignRequest).where(SignRequest.status == "sent")
                    ).first()
                    tx_hash = sent.tx_hash if sent is not None else None
                if tx_hash:
                    break
                time.sleep(0.2)
        finally:
            store.close()
        assert tx_hash, "the send was never recorded as broadcast"
        # Any moment after the record of the broadcast: a Ctrl-C there stops the wait for the
        # receipt at its next poll, never a write half done.
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "sqlalchemy" not in err.lower(), err
    assert "already broadcast" in err and tx_hash in err
    assert anvil.rpc("eth_getTransactionByHash", tx_hash) is not None  # it is out
