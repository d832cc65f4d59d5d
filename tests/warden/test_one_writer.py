"""One writer per data folder (issue 11, item 4): two ``warden init`` at once once made two
wallets and lost one, once damaged the store; ``backup restore`` under a running daemon left
the daemon failing with "no such table". Real processes race on one WARDEN_HOME here."""

from __future__ import annotations

import os
import re
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Paths
from app.store import Store
from app.store.schema import Account, Contact
from app.store.writer_lock import WriterLock
from tests.warden.cli_run import ROOT, warden, warden_cmd, warden_env

RUNNING = re.compile(r"Warden is already running \(pid (\d+)\) on this data folder; close it first")


def _paths(home: Path) -> Paths:
    return Paths(home / "data", home / "config", home / "cache", home / "logs")


@pytest.mark.slow
@pytest.mark.parametrize("round_", [1, 2])
def test_two_inits_at_once_make_one_wallet(tmp_path: Path, round_: int) -> None:
    home = tmp_path / "home"
    passwords = [f"first-password-{round_}", f"second-password-{round_}"]
    procs = [
        subprocess.Popen(
            warden_cmd("init", "--skip-word-check"),
            env=warden_env(home, WARDEN_PASSWORD=pw),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pw in passwords
    ]
    results = [p.communicate(timeout=180) for p in procs]
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 2], results
    winner = codes.index(0)
    out, err = results[winner]
    _, loser_err = results[1 - winner]
    assert "Traceback" not in err + loser_err
    assert "Created" in out and "Created" not in results[1 - winner][0]
    # The loser either waited and found the new store, or gave up waiting on the lock.
    assert "already exists" in loser_err or RUNNING.search(loser_err), loser_err
    created = re.search(r"(0x[0-9a-fA-F]{40})", out)
    assert created is not None

    store = Store.open(_paths(home), passwords[winner])  # the key file matches the database
    try:
        with store.session() as s:
            addresses = list(s.scalars(select(Account.address)))
    finally:
        store.close()
    assert addresses == [created.group(1)]
    leftovers = [p.name for p in (home / "data").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def _store_with_contact(home: Path, password: str) -> Paths:
    paths = _paths(home)
    store = Store.create(paths, password, use_keyring=False)
    with store.session() as s:
        s.add(Contact(address="0x" + "ab" * 20, name="Carol"))
    store.close()
    return paths


def test_a_second_writer_is_told_who_holds_the_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = _store_with_contact(home, "pw-for-lock-tests")
    env = {"WARDEN_PASSWORD": "pw-for-lock-tests"}
    with WriterLock(paths.data_dir):  # this test process plays the running app
        refused = warden(home, "contacts", "add", "0x" + "cd" * 20, "Dave", **env)
        assert refused.returncode == 2
        match = RUNNING.search(refused.stderr)
        assert match and int(match.group(1)) == os.getpid(), refused.stderr
        assert "Close the Warden app or stop 'warden daemon'" in refused.stderr
        listed = warden(home, "contacts", **env)  # a reader shares the folder
        assert listed.returncode == 0 and "Carol" in listed.stdout
    added = warden(home, "contacts", "add", "0x" + "cd" * 20, "Dave", **env)
    assert added.returncode == 0, added.stderr


@pytest.mark.slow
def test_restore_while_the_daemon_runs_is_refused_and_the_daemon_keeps_working(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    password = "pw-for-daemon-tests"
    paths = _store_with_contact(home, password)
    backup = tmp_path / "before.wbak"
    store = Store.open(paths, password)
    store.backup(backup, "backup-password")
    store.close()

    daemon = subprocess.Popen(
        warden_cmd("daemon"),
        env=warden_env(home, WARDEN_PASSWORD=password),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = daemon.stdout.readline() if daemon.stdout else ""
        assert "running" in first, first + (daemon.stderr.read() if daemon.poll() else "")
        refused = warden(
            home,
            "backup",
            "restore",
            str(backup),
            "--yes",
            "--password-env",
            "WARDEN_PASSWORD",
            WARDEN_PASSWORD="backup-password",
        )
        assert refused.returncode == 2
        match = RUNNING.search(refused.stderr)
        assert match and int(match.group(1)) == daemon.pid, refused.stderr
        assert not list((home / "data").glob("*.replaced-*"))  # nothing was swapped
    finally:
        daemon.terminate()
        out, err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, err
    assert "no such table" not in out + err and "Traceback" not in err

    done = warden(
        home,
        "backup",
        "restore",
        str(backup),
        "--yes",
        "--password-env",
        "WARDEN_PASSWORD",
        WARDEN_PASSWORD="backup-password",
    )
    assert done.returncode == 0, done.stderr
    store = Store.open(paths, "backup-password")
    with store.session() as s:
        assert list(s.scalars(select(Contact.name))) == ["Carol"]
    store.close()


def test_one_process_reenters_its_own_hold_from_any_thread(tmp_path: Path) -> None:
    """The app holds the lock on its main thread; its first-run creation and its restore run
    on a worker thread and must not wait on the app's own hold."""
    paths = _paths(tmp_path / "home")
    with WriterLock(paths.data_dir):
        made: list[Store] = []
        worker = threading.Thread(
            target=lambda: made.append(Store.create(paths, "pw-for-threads", use_keyring=False))
        )
        worker.start()
        worker.join(timeout=120)
        assert made, "the worker could not create the store under the app's own lock"
        made[0].close()
