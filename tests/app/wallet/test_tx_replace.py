"""``warden tx speedup|cancel`` and ``warden send --max/--max-fee/--priority-fee``, end to end:
the real CLI (``warden.cli.main``), a real encrypted store under WARDEN_HOME, a real anvil node
with automine off so that a send stays pending until the test mines a block.

The review's verdict is fixed (FixedReviewer): these tests check what is signed and sent,
not the review's judgement."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from web3 import Web3

from app.review_types import Finding, ReviewOutcome, request_digest
from app.wallet.review_choice import ChosenReviewer
from tests.app.wallet.conftest import ADDR0, ADDR1, PHRASE, FixedReviewer
from tests.support.anvil import Anvil
from tests.support.erc20 import deploy_token
from warden.cli import main

pytestmark = pytest.mark.anvil
TO = ADDR1
GWEI = 10**9
SENT = re.compile(r"Transaction (0x[0-9a-f]{64}) \(nonce (\d+)\): (\w+)")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, anvil: Anvil) -> Path:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", "a long password")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PHRASE + "\n"))
    assert main(["init", "--import-phrase", "--name", "Main"]) == 0
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    fixed = FixedReviewer()
    monkeypatch.setattr(
        "warden.pipeline.review_source",
        lambda *a: ChosenReviewer(lambda: fixed, None, lambda: True),
    )
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--network", "Local"])
    out, err = capsys.readouterr()
    return code, out, err


def _sent(out: str) -> tuple[str, int, str]:
    found = SENT.search(out)
    assert found, out
    return found.group(1), int(found.group(2)), found.group(3)


def _history(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """hash prefix (12 characters, as printed) -> status."""
    code, out, _ = _run(capsys, "history")
    assert code == 0, out
    rows = {}
    for line in out.splitlines():
        m = re.search(r"\s(\w+)\s+(0x[0-9a-f]{10})…$", line)
        if m:
            rows[m.group(2)] = m.group(1)
    return rows


def test_speedup_replaces_a_pending_send_with_the_same_nonce_and_higher_fees(
    home: Path, anvil: Anvil, capsys: pytest.CaptureFixture[str]
) -> None:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    anvil.automine(False)
    code, out, _ = _run(capsys, "send", TO, "0.1", "--yes", "--wait", "0")
    old_hash, nonce, status = _sent(out)
    assert (code, nonce, status) == (0, 0, "pending")
    old = w3.eth.get_transaction(old_hash)  # type: ignore[arg-type]
    suggested_tip = int(w3.eth.max_priority_fee)

    code, out, err = _run(capsys, "tx", "speedup", old_hash, "--yes", "--wait", "0")
    assert code == 0, err
    assert f"Speed up {old_hash} (nonce 0)" in out and "Review: SAFE" in out
    new_hash, new_nonce, status = _sent(out)
    assert (new_nonce, status) == (0, "pending") and new_hash != old_hash
    new = w3.eth.get_transaction(new_hash)  # type: ignore[arg-type]
    assert new["nonce"] == old["nonce"] and new["to"] == old["to"]
    assert new["value"] == old["value"] == 10**17
    # Both fee fields up by at least the node's 10 % (Warden uses 12.5 %), and at least
    # the tip the node suggests now.
    assert new["maxFeePerGas"] * 100 >= old["maxFeePerGas"] * 110
    assert new["maxPriorityFeePerGas"] * 100 >= old["maxPriorityFeePerGas"] * 110
    assert new["maxPriorityFeePerGas"] >= suggested_tip
    anvil.mine()
    assert w3.eth.get_transaction_receipt(new_hash)["status"] == 1  # type: ignore[arg-type]
    assert int(w3.eth.get_balance(TO)) == 10_000 * 10**18 + 10**17  # sent once
    assert _history(capsys) == {old_hash[:12]: "replaced", new_hash[:12]: "confirmed"}

    # A mined transaction cannot be replaced; a hash that is not ours is refused.
    code, _, err = _run(capsys, "tx", "speedup", new_hash, "--yes")
    assert code == 2 and "already mined" in err
    code, _, err = _run(capsys, "tx", "cancel", "0x" + "ab" * 32, "--yes")
    assert code == 2 and "not a transaction sent from this wallet" in err
    code, _, err = _run(capsys, "tx", "cancel", "0x1234", "--yes")
    assert code == 2 and "not a transaction hash" in err and "Traceback" not in err


def test_cancel_replaces_a_pending_send_with_nothing_to_yourself(
    home: Path, anvil: Anvil, capsys: pytest.CaptureFixture[str]
) -> None:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    anvil.automine(False)
    code, out, _ = _run(capsys, "send", TO, "0.2", "--yes", "--wait", "0")
    old_hash, nonce, _ = _sent(out)
    code, out, err = _run(capsys, "tx", "cancel", old_hash, "--yes", "--wait", "0")
    assert code == 0, err
    assert "0 ETH send to yourself" in out
    new_hash, new_nonce, _ = _sent(out)
    assert new_nonce == nonce == 0
    new = w3.eth.get_transaction(new_hash)  # type: ignore[arg-type]
    assert (new["to"], new["value"], new["input"]) == (ADDR0, 0, b"")
    anvil.mine()
    assert int(w3.eth.get_balance(TO)) == 10_000 * 10**18  # the 0.2 never left
    assert _history(capsys) == {old_hash[:12]: "replaced", new_hash[:12]: "confirmed"}
    # The account goes on with the next nonce.
    anvil.automine(True)
    code, out, _ = _run(capsys, "send", TO, "0.01", "--yes", "--wait", "10")
    assert _sent(out)[1:] == (1, "confirmed")


def test_a_replacement_is_reviewed_and_refused_without_a_yes(
    home: Path,
    anvil: Anvil,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    anvil.automine(False)
    code, out, _ = _run(capsys, "send", TO, "0.1", "--yes", "--wait", "0")
    old_hash, _, _ = _sent(out)
    seen: list[dict[str, object]] = []

    class Danger:
        def review(self, request: dict[str, object]) -> ReviewOutcome:
            seen.append(request)
            found = (Finding("test", "danger", "fixed"),)
            return ReviewOutcome("danger", found, "fixed", request_digest(request))

    monkeypatch.setattr(
        "warden.pipeline.review_source",
        lambda *a: ChosenReviewer(lambda: Danger(), None, lambda: True),  # type: ignore[arg-type, return-value]
    )
    code, out, _ = _run(capsys, "tx", "cancel", old_hash, "--yes")
    assert code == 1 and "Review: DANGER" in out and "Not sent." in out
    assert seen and seen[0]["params"]["to"] == ADDR0  # type: ignore[index]
    assert anvil.rpc("eth_getTransactionByHash", old_hash) is not None  # still waiting
    assert int(anvil.rpc("eth_getTransactionCount", ADDR0, "pending"), 16) == 1


def test_send_with_chosen_fees_and_send_everything(
    home: Path, anvil: Anvil, capsys: pytest.CaptureFixture[str]
) -> None:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    code, out, err = _run(
        capsys, "send", TO, "1", "--max-fee", "50", "--priority-fee", "3", "--yes", "--wait", "10"
    )
    assert code == 0, err
    tx = w3.eth.get_transaction(_sent(out)[0])  # type: ignore[arg-type]
    assert (tx["maxFeePerGas"], tx["maxPriorityFeePerGas"]) == (50 * GWEI, 3 * GWEI)
    code, _, err = _run(capsys, "send", TO, "1", "--max-fee", "2", "--priority-fee", "5", "--yes")
    assert code == 2 and "above the maximum fee" in err
    code, _, err = _run(capsys, "send", TO, "1", "--max-fee", "0", "--yes")
    assert code == 2 and "more than 0 gwei" in err
    code, _, err = _run(capsys, "send", TO, "1", "--max", "--yes")
    assert code == 2 and "not both" in err
    code, _, err = _run(capsys, "send", TO, "--yes")
    assert code == 2 and "No amount" in err

    # A token's whole balance.
    token = deploy_token(w3, w3.eth.accounts[2], "Anvil Dollar", "aUSD", 6, 10**12)
    abi = [
        {
            "name": "transfer",
            "type": "function",
            "stateMutability": "nonpayable",
            "inputs": [{"name": "to", "type": "address"}, {"name": "v", "type": "uint256"}],
            "outputs": [{"name": "", "type": "bool"}],
        },
        {
            "name": "balanceOf",
            "type": "function",
            "stateMutability": "view",
            "inputs": [{"name": "a", "type": "address"}],
            "outputs": [{"name": "", "type": "uint256"}],
        },
    ]
    c = w3.eth.contract(address=token, abi=abi)
    w3.eth.wait_for_transaction_receipt(
        c.functions.transfer(ADDR0, 1234567).transact({"from": w3.eth.accounts[2]})
    )
    assert main(["tokens", "add", token, "--network", "Local"]) == 0
    code, out, err = _run(capsys, "send", TO, "--max", "--token", "aUSD", "--yes", "--wait", "10")
    assert code == 0, err
    assert "Send 1.234567 aUSD" in out
    assert c.functions.balanceOf(ADDR0).call() == 0
    assert c.functions.balanceOf(TO).call() == 1234567

    # All of the coin minus the largest fee: what the fee did not use stays behind.
    before = int(w3.eth.get_balance(ADDR0))
    to_before = int(w3.eth.get_balance(TO))
    code, out, err = _run(capsys, "send", TO, "--max", "--max-fee", "10", "--yes", "--wait", "10")
    assert code == 0, err
    assert int(w3.eth.get_balance(TO)) - to_before == before - 21_000 * 10 * GWEI
    left = int(w3.eth.get_balance(ADDR0))
    assert 0 <= left < 21_000 * 10 * GWEI
    code, _, err = _run(capsys, "send", TO, "--max", "--max-fee", "10", "--yes")
    assert code == 2 and "nothing is left to send" in err
