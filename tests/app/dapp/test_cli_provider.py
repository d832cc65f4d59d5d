"""``warden provider`` headless in a child process (a real store under WARDEN_HOME, a real
anvil node): pairing, the chain id for anyone, and with no terminal every prompt is a no."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.support.anvil import ANVIL_PHRASE, Anvil, free_port
from warden.cli import main

pytestmark = pytest.mark.anvil
ROOT = Path(__file__).resolve().parents[3]


def _post(port: int, body: dict[str, Any], token: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Warden-Token"] = token
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/", json.dumps(body).encode(), headers, method="POST"
    )
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - loopback
        return json.loads(resp.read())


def test_warden_provider_headless(
    anvil: Anvil,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = {
        "WARDEN_HOME": str(tmp_path),
        "WARDEN_PASSWORD": "a long password",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(sys, "stdin", io.StringIO(ANVIL_PHRASE + "\n"))
    assert main(["init", "--import-phrase", "--name", "Main"]) == 0
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    capsys.readouterr()
    assert main(["provider", "pair"]) == 0
    token = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token)
    assert main(["provider", "pair", "--extension", str(tmp_path / "ext")]) == 0
    for browser in ("chromium", "firefox"):
        config = tmp_path / "ext" / browser / "config.json"
        assert json.loads(config.read_text())["token"] == token
    assert main(["provider", "sites"]) == 0
    assert "No site is connected" in capsys.readouterr().out

    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "warden", "provider", "--port", str(port), "--network", "Local"],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert f"127.0.0.1:{port}" in line, line
        chain = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
        assert _post(port, chain, None)["result"] == hex(31337)
        ask = {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "eth_requestAccounts",
            "origin": "https://a.example",
        }
        assert _post(port, ask, None)["error"]["code"] == 4100  # not paired
        assert _post(port, ask, token)["error"]["code"] == 4001  # no terminal: refused
    finally:
        child.terminate()
        child.wait(timeout=10)
    assert main(["provider", "revoke", "https://a.example"]) == 0
    assert "was not connected" in capsys.readouterr().out
