"""Flower's processes and CLI, driven from Warden: start, wait until ready, ask, stop.

Every wait has a deadline and also ends when the process it waits on has died. Readiness is
a TLS handshake that verifies the server against the pinned CA (not a timer). The ``flwr``
CLI is run with its own home folder (``FLWR_HOME``) inside Warden's folder, so a user's own
Flower configuration is neither read nor changed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.errors import InvalidInput, NetworkError

REPO = Path(__file__).resolve().parents[2]
CONNECTION = "warden"


def flower_env(home: Path | None = None) -> dict[str, str]:
    """The environment for Flower's processes: this Python's scripts first on PATH (Flower
    starts ``flower-superexec`` / ``flwr-clientapp`` by name), Warden importable (the app
    imports ``models.federated``), no telemetry."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bindir, env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["FLWR_TELEMETRY_ENABLED"] = "0"
    if home is not None:
        env["FLWR_HOME"] = str(home)
    return env


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (Flower's SuperLink and SuperNode take a port number, not
    a socket, and hand the address to the processes they start, so port 0 cannot be used)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def parse_address(address: str) -> tuple[str, int]:
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(
            f"{address!r} is not HOST:PORT.", hint="Give the federation's address as HOST:PORT."
        )
    return host.strip("[]"), int(port)


def start(
    which: str, args: Sequence[str], log: Path, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """``flower-superlink`` / ``flower-supernode`` (through ``launch``) in its own session,
    its output in ``log`` (owner-only)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "models.federated.launch", which, *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )


def wait_tls_ready(
    host: str, port: int, ca: Path, *, deadline: float, proc: subprocess.Popen[bytes] | None
) -> None:
    """Return once ``host:port`` completes a TLS handshake verified against ``ca``."""
    ctx = ssl.create_default_context(cafile=str(ca))
    while True:
        if proc is not None and proc.poll() is not None:
            raise NetworkError(
                f"The Flower process stopped (exit code {proc.returncode}) before it was ready.",
                hint="Its log is in the federation folder.",
            )
        try:
            with socket.create_connection((host, port), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname=host):
                    return
        except ssl.SSLCertVerificationError as e:
            raise NetworkError(
                "The server's certificate is not signed by the pinned CA.",
                hint="Check the CA file you were given for this federation.",
            ) from e
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise NetworkError(
                f"Nothing answered on {host}:{port} in time.", hint="Check the address."
            )
        time.sleep(0.5)


def stop(proc: subprocess.Popen[bytes], *, grace: float = 10.0) -> None:
    """Stop a process started by ``start`` and everything in its session."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    kill_children_of(proc.pid)


def kill_children_of(pid: int) -> None:
    """Flower detaches ``flower-superexec`` into its own session; it stops by itself when its
    parent is gone, this only makes sure (psutil, from the train extra)."""
    try:
        import psutil
    except ImportError:
        return
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return
    for c in children:
        try:
            c.kill()
        except psutil.Error:
            pass


def write_cli_config(home: Path, address: str, ca: Path) -> None:
    """The ``flwr`` CLI's connection to our SuperLink, in a home folder of its own."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[superlink]\ndefault = "{CONNECTION}"\n\n'
        f'[superlink.{CONNECTION}]\naddress = "{address}"\nroot-certificates = "{ca}"\n'
    )


def flwr(args: Sequence[str], env: dict[str, str], *, timeout: float = 120.0) -> dict[str, Any]:
    """Run ``flwr ARGS --format json``; its JSON answer, or NetworkError."""
    cmd = [str(Path(sys.executable).parent / "flwr"), *args, "--format", "json"]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise NetworkError(f"'flwr {args[0]}' did not answer in time.") from e
    text = done.stdout
    start_at = text.find("{")
    try:
        answer = json.loads(text[start_at:]) if start_at >= 0 else {}
    except ValueError:
        answer = {}
    if done.returncode != 0 or not answer.get("success"):
        detail = str(answer.get("error-message", "") or done.stderr.strip()[-300:])
        raise NetworkError(
            f"'flwr {args[0]} {args[1] if len(args) > 1 else ''}' failed: {detail}",
            hint="The SuperLink's log is in the federation folder.",
        )
    return answer


def register_node(public_key: Path, env: dict[str, str]) -> int:
    answer = flwr(["supernode", "register", str(public_key), CONNECTION], env)
    return int(answer["node-id"])


def online_nodes(env: dict[str, str]) -> int:
    answer = flwr(["supernode", "list", CONNECTION], env)
    return sum(1 for n in answer.get("nodes", []) if n.get("status") == "online")


def start_run(app: Path, env: dict[str, str]) -> int:
    answer = flwr(["run", str(app), CONNECTION], env)
    return int(answer["run-id"])


def run_status(run_id: int, env: dict[str, str]) -> dict[str, Any]:
    answer = flwr(["list", CONNECTION, "--run-id", str(run_id)], env)
    runs = answer.get("runs") or [{}]
    return dict(runs[0])
