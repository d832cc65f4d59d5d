"""Nothing personal reaches the plaintext log, at -v and after a crash (issue 11, item 5:
the log held transaction hashes at the default level, addresses, balances and web3 request
bodies with -v, and SQL parameters after a crash).

Known values are planted through real commands on a real node (anvil): an account name, a
contact's name and address, an amount sent, and the transaction hash the send prints; then
every file in the log folder is searched for them in the forms a log could write them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.anvil import ANVIL_PHRASE, Anvil
from tests.warden.cli_run import ROOT, warden, warden_env

pytestmark = pytest.mark.anvil

PASSWORD = "pw-for-log-tests"  # noqa: S105
OWN = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # anvil's account 0, from ANVIL_PHRASE
CONTACT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"  # anvil's account 2
ACCOUNT_NAME = "Ophelia Marchbanks"
CONTACT_NAME = "Zebulon Quill"
AMOUNT = "0.123456789"
WEI = 123456789 * 10**9


def _forms_of_address(address: str) -> list[str]:
    return [address, address.lower(), address[2:].lower(), address[2:]]


def _log_text(home: Path) -> str:
    files = [p for p in (home / "logs").iterdir() if p.is_file()]
    assert files, "no log file was written"
    return "\n".join(p.read_text("utf-8", errors="replace") for p in files)


def _assert_absent(text: str, needles: list[str]) -> None:
    lowered = text.lower()
    for needle in needles:
        at = lowered.find(needle.lower())
        assert at < 0, f"{needle!r} is in the log: …{text[max(0, at - 200) : at + 100]}…"


def test_planted_values_never_reach_the_log_at_verbose(anvil: Anvil, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"WARDEN_PASSWORD": PASSWORD}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        done = warden(home, "-v", *args, stdin=stdin, **env)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    run("init", "--import-phrase", "--name", ACCOUNT_NAME, stdin=ANVIL_PHRASE + "\n")
    run("networks", "add", "anvil", str(anvil.chain_id), anvil.url)
    run("contacts", "add", CONTACT, CONTACT_NAME)
    sent = run("send", CONTACT_NAME, AMOUNT, "--network", "anvil", "--yes", "--wait", "60")
    tx_hash = sent.stdout.split("Transaction ", 1)[1].split()[0]
    assert tx_hash.startswith("0x") and len(tx_hash) == 66, sent.stdout
    assert CONTACT in sent.stdout  # the values really went through the commands
    history = run("history", "--network", "anvil")
    assert tx_hash[:12] in history.stdout
    run("balance", "--network", "anvil")
    run("contacts")

    text = _log_text(home)
    assert " DEBUG " in text, "-v did not reach the log; the search below would prove nothing"
    assert "[REDACTED]" in text  # personal values did reach logging, and were scrubbed there
    _assert_absent(
        text,
        [
            *_forms_of_address(OWN),
            *_forms_of_address(CONTACT),
            tx_hash,
            tx_hash[2:],
            AMOUNT,
            str(WEI),
            hex(WEI),
            ACCOUNT_NAME,
            *ACCOUNT_NAME.split(),
            CONTACT_NAME,
            *CONTACT_NAME.split(),
            '"params"',  # a JSON-RPC request body
        ],
    )


CRASH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.logs import setup_logging
    from app.store import Store
    from app.store.schema import Contact

    setup_logging(verbose=True, log_dir=Path(sys.argv[1]) / "logs")
    store = Store.throwaway(Path(sys.argv[1]) / "store")
    with store.session() as s:
        s.add(Contact(address=sys.argv[2], name=sys.argv[3], note=sys.argv[4]))
    with store.session() as s:  # the same address again: an IntegrityError nobody catches
        s.add(Contact(address=sys.argv[2], name=sys.argv[3], note=sys.argv[4]))
    """
)


def test_a_crash_report_carries_no_sql_parameters(tmp_path: Path) -> None:
    note = f"owes {AMOUNT} ETH"
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(tmp_path), CONTACT, CONTACT_NAME, note],
        env=warden_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    text = _log_text(tmp_path)
    assert "IntegrityError" in text and "uncaught exception" in text  # the crash is logged
    _assert_absent(text, [*_forms_of_address(CONTACT), CONTACT_NAME, AMOUNT, "Zebulon"])
    # The terminal gets the same scrubbed report, not Python's raw traceback.
    _assert_absent(done.stderr, [*_forms_of_address(CONTACT), CONTACT_NAME, AMOUNT])
