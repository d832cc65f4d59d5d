"""A federation of separate processes on 127.0.0.1, driven by ``warden federate`` commands.

Real parts: Flower's SuperLink and three SuperNodes (each its own process, started by
``warden federate serve`` / ``join``), TLS with a CA made for the test, Flower's SuperNode
authentication with keys the server admits, SecAgg+, opacus DP-SGD in each ClientApp, the
bundled tokenizer. The model is the tiny 2-layer ``LlamaForCausalLM`` (rank-2 adapter, one
local step) to keep two rounds within minutes on two shared cores.

One test, one federation: it is slow (``slow``), so it runs in ``.ci/run`` and not on every
edit. Waits are on events (a line printed once the SuperLink answers a verified TLS
handshake, a file the ClientApp writes when it starts training, a process exiting), each
with a deadline; nothing sleeps a fixed time to let something happen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

for _m in ("torch", "transformers", "peft", "flwr", "opacus", "psutil"):
    pytest.importorskip(_m, reason="the 'train' extra is not installed")

import psutil  # noqa: E402

from models.federated.synthetic import synthetic_feedback  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
DEADLINE = 900.0


def warden(*args: str, **kw: object) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), WARDEN_FL_CLAIM_SECONDS="300")
    return subprocess.Popen(
        [sys.executable, "-m", "warden.cli", "federate", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        start_new_session=True,
        **kw,  # type: ignore[arg-type]
    )


def wait_for(check: object, what: str, deadline: float) -> None:
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.5)


def kill_tree(proc: subprocess.Popen[str]) -> None:
    """SIGKILL a process and everything below it (a machine that drops off the network)."""
    try:
        parent = psutil.Process(proc.pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return
    for p in family:
        try:
            p.kill()
        except psutil.Error:
            pass
    proc.wait()


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_three_supernodes_two_rounds_one_drops_out_one_refused(tmp_path: Path) -> None:
    end = time.monotonic() + DEADLINE
    nodes = [tmp_path / f"node{i}" for i in range(4)]
    for i, node in enumerate(nodes):
        made = warden("join", "--node", str(node), "--make-key")
        assert made.wait(120) == 0, made.stderr.read() if made.stderr else ""
        rows = synthetic_feedback(i, 8, seed=5)
        (tmp_path / f"feedback{i}.json").write_text(json.dumps(rows))
    state = tmp_path / "server"
    serve = warden(
        "serve", "--state", str(state), "--port", "0", "--make-certs",
        *[a for n in nodes[:3] for a in ("--admit", str(n / "node.pub"))],
        "--clients", "3", "--min-clients", "2", "--rounds", "2",
        "--model", "tiny", "--rank", "2", "--local-steps", "1", "--max-len", "120",
        "--stage-timeout", "240", "--wait", "600",
    )  # fmt: skip
    joins: list[subprocess.Popen[str]] = []
    try:
        address = ""
        assert serve.stdout is not None
        for line in serve.stdout:
            if line.startswith("listening on "):
                address = line.split()[2].rstrip(";")
                break
        assert address.startswith("127.0.0.1:"), serve.stderr.read() if serve.stderr else ""
        ca = state / "certs" / "ca.crt"

        def join(i: int) -> subprocess.Popen[str]:
            return warden(
                "join", address, "--node", str(nodes[i]), "--ca", str(ca),
                "--feedback", str(tmp_path / f"feedback{i}.json"), "--epsilon-ceiling", "50",
            )  # fmt: skip

        # a SuperNode whose key the server did not admit is refused
        stranger = join(3)
        assert stranger.wait(max(1.0, end - time.monotonic())) != 0
        assert "refused this node" in (stranger.stderr.read() if stranger.stderr else "")

        joins = [join(i) for i in range(3)]
        # the third wallet drops off in the middle of round 2, while it trains
        marker = nodes[2] / "training.json"
        wait_for(
            lambda: marker.exists() and json.loads(marker.read_text() or "{}").get("round") == 2,
            "round 2 to start on the third SuperNode",
            end,
        )
        kill_tree(joins[2])

        out, err = serve.communicate(timeout=max(1.0, end - time.monotonic()))
        assert serve.returncode == 0, err
    finally:
        for p in [serve, *joins]:
            if p.poll() is None:
                kill_tree(p)

    report = json.loads((state / "report.json").read_text())
    rounds = report["rounds"]
    assert [r["round"] for r in rounds] == [1, 2] and all(r["aggregated"] for r in rounds)
    # round 1: all three; round 2 finished with the two left (the strategy's minimum)
    assert rounds[0]["clients"] == 3 and rounds[1]["clients"] == 2
    # epsilon reported per client per round, finite, and growing from one round to the next
    assert len(rounds[0]["epsilon"]) == 3 and len(rounds[1]["epsilon"]) == 2
    assert 0 < max(rounds[0]["epsilon"]) < min(rounds[1]["epsilon"]) < float("inf")
    assert report["evaluation"]["clients"] == 2 and report["finished"] is True
    assert "epsilon per client" in out

    # each remaining client decided on its own held-out examples; the scores stayed there
    for node in nodes[:2]:
        st = json.loads((node / "status.json").read_text())
        assert [r["round"] for r in st["rounds"]] == [1, 2]
        assert st["epsilon"] == pytest.approx(max(rounds[1]["epsilon"]), rel=1e-6)
        assert st["adopted"] == (st["aggregate_loss"] <= st["local_loss"])
        assert (node / "local.npz").exists()
    # the killed wallet trained in round 1 only as far as the server is concerned
    assert not (nodes[3] / "status.json").exists()
