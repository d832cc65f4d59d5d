"""A real anvil node on a free 127.0.0.1 port, for tests that need a node over HTTP.

The binary is ``.tools/node_modules/.bin/anvil`` (``bash packaging/tools.sh``) or ``anvil`` on
PATH; without either the test is skipped with a message saying how to get it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# anvil's well-known development phrase; its accounts hold 10,000 ETH each on a fresh node.
ANVIL_PHRASE = "test test test test test test test test test test test junk"
ANVIL_CHAIN_ID = 31337
ANVIL_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
)


def anvil_binary() -> str | None:
    """The native anvil from npm's package (not npm's node wrapper: stopping the wrapper left
    the real node running), else the wrapper, else one on PATH."""
    modules = ROOT / ".tools" / "node_modules"
    for native in sorted(modules.glob("@foundry-rs/anvil-*/bin/anvil")):
        if native.is_file() and os.access(native, os.X_OK):
            return str(native)
    local = modules / ".bin" / "anvil"
    if local.exists():
        return str(local)
    return shutil.which("anvil")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Anvil:
    url: str
    process: subprocess.Popen[bytes]
    home: Path | None = None  # anvil writes past states under $HOME/.foundry: removed at stop
    chain_id: int = ANVIL_CHAIN_ID

    def rpc(self, method: str, *params: Any) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
        req = urllib.request.Request(self.url, body.encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            out = json.loads(resp.read())
        if "error" in out:
            raise RuntimeError(out["error"])
        return out["result"]

    def mine(self, blocks: int = 1) -> None:
        self.rpc("anvil_mine", hex(blocks))

    def automine(self, on: bool) -> None:
        self.rpc("evm_setAutomine", on)


def start_anvil(*args: str) -> Anvil:
    binary = anvil_binary()
    if binary is None:
        pytest.skip("anvil is not installed: run 'bash packaging/tools.sh'")
    port = free_port()
    # Past states beyond anvil's memory go to $HOME/.foundry/anvil/tmp, about 0.1-1 MB a
    # block; a node that is killed leaves them there. Each node gets a HOME of its own, removed
    # when it stops (and by the OS's temp cleanup if the test process dies).
    home = Path(tempfile.mkdtemp(prefix="warden-anvil-"))
    proc = subprocess.Popen(
        [binary, "--host", "127.0.0.1", "--port", str(port), "--silent", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "HOME": str(home)},
    )
    node = Anvil(f"http://127.0.0.1:{port}", proc, home)
    deadline = time.monotonic() + 30
    while True:
        try:
            node.rpc("eth_chainId")
            return node
        except OSError:
            if proc.poll() is not None:
                shutil.rmtree(home, ignore_errors=True)
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"anvil exited: {err}") from None
            if time.monotonic() > deadline:
                proc.kill()
                shutil.rmtree(home, ignore_errors=True)
                raise RuntimeError("anvil did not start within 30 s") from None
            time.sleep(0.05)


def stop_anvil(node: Anvil) -> None:
    node.process.terminate()
    try:
        node.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        node.process.kill()
        node.process.wait()
    if node.home is not None:
        shutil.rmtree(node.home, ignore_errors=True)


@pytest.fixture
def anvil() -> Iterator[Anvil]:
    """A fresh anvil node for one test (start ~1 s), stopped afterwards."""
    node = start_anvil()
    try:
        yield node
    finally:
        stop_anvil(node)
