"""A federation on this machine with the bundled SmolLM2-135M: 1 SuperLink, N SuperNodes.

Everything goes through ``warden federate`` commands, as between real machines: ``join
--make-key`` for each node, ``serve --make-certs --admit ...`` (TLS with a CA made here,
Flower's SuperNode authentication, SecAgg+), ``join HOST:PORT --ca ...`` for each node, each
with its own synthetic feedback. Prints, per round, its seconds and each client's epsilon;
at the end, each client's held-out loss of the aggregate and of its local adapter (lower is
better) and whether it adopted the aggregate. Not a test: it measures.

Usage (about 25 minutes on 2 shared cores with the defaults):
    PYTHONPATH=. python bench/federated.py [--nodes 3] [--rounds 3] [--examples 8]
        [--local-steps 2] [--max-len 160] [--rank 4] [--model bundled] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from models.federated.synthetic import synthetic_feedback

REPO = Path(__file__).resolve().parents[1]


def warden(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.setdefault("WARDEN_FL_CLAIM_SECONDS", "300")
    return subprocess.Popen(
        [sys.executable, "-m", "warden.cli", "federate", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        start_new_session=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--examples", type=int, default=8, help="feedback items per node")
    ap.add_argument("--local-steps", type=int, default=2)
    ap.add_argument("--max-len", type=int, default=160)
    ap.add_argument("--rank", type=int, default=4)
    ap.add_argument("--model", choices=("tiny", "bundled"), default="bundled")
    ap.add_argument("--epsilon-ceiling", type=float, default=20.0)
    ap.add_argument("--work", type=Path, default=None, help="kept folder (default: temporary)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="warden-fedbench-") as tmp:
        return run(args, (args.work or Path(tmp)).resolve())


def run(args: argparse.Namespace, work: Path) -> int:
    started = time.monotonic()
    nodes = [work / f"node{i}" for i in range(args.nodes)]
    for i, node in enumerate(nodes):
        made = warden("join", "--node", str(node), "--make-key")
        if made.wait() != 0:
            print(made.stderr.read() if made.stderr else "", file=sys.stderr)
            return 1
        rows = synthetic_feedback(i, args.examples, seed=21)
        (work / f"feedback{i}.json").write_text(json.dumps(rows))
    state = work / "server"
    serve = warden(
        "serve", "--state", str(state), "--port", "0", "--make-certs",
        *[a for n in nodes for a in ("--admit", str(n / "node.pub"))],
        "--clients", str(args.nodes), "--min-clients", str(min(2, args.nodes)),
        "--rounds", str(args.rounds), "--model", args.model, "--rank", str(args.rank),
        "--local-steps", str(args.local_steps), "--max-len", str(args.max_len),
        "--stage-timeout", "900", "--wait", "900",
    )  # fmt: skip
    joins: list[subprocess.Popen[str]] = []
    try:
        address = ""
        assert serve.stdout is not None
        for line in serve.stdout:
            if line.startswith("listening on "):
                address = line.split()[2].rstrip(";")
                break
        if not address:
            print(serve.stderr.read() if serve.stderr else "no address", file=sys.stderr)
            return 1
        ca = state / "certs" / "ca.crt"
        print(f"SuperLink on {address} (TLS, {args.nodes} admitted keys); model {args.model}")
        joins = [
            warden(
                "join",
                address,
                "--node",
                str(n),
                "--ca",
                str(ca),
                "--feedback",
                str(work / f"feedback{i}.json"),
                "--epsilon-ceiling",
                str(args.epsilon_ceiling),
            )  # fmt: skip
            for i, n in enumerate(nodes)
        ]
        out, err = serve.communicate()
    finally:
        for p in [serve, *joins]:
            if p.poll() is None:
                p.terminate()
        for p in joins:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
    print(out.strip())
    if serve.returncode != 0:
        print(err.strip()[-2000:], file=sys.stderr)
        print(f"serve exited {serve.returncode}; logs in {state} and each node folder")
    print_figures(state, nodes, args.rounds)
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")
    return serve.returncode


def print_figures(state: Path, nodes: list[Path], rounds: int) -> None:
    """The round table (server report and each client's own ledger) and the adoption table."""
    report = _read(state / "report.json")
    done = {r["round"]: r for r in report.get("rounds", [])}
    spent = [_status(n).get("rounds", []) for n in nodes]
    print("\nround  seconds  server: epsilon per client  clients' own ledgers")
    for rnd in range(1, rounds + 1):
        own = ", ".join(
            next((f"{e['epsilon']:.2f}" for e in rows if e.get("round") == rnd), "-")
            for rows in spent
        )
        r = done.get(rnd)
        if r is None:
            print(f"{rnd:5d}  {'-':>7}  not aggregated (too few replies)  {own}")
            continue
        eps = ", ".join(f"{e:.2f}" for e in r["epsilon"])
        print(f"{rnd:5d}  {r['seconds']:7.1f}  {eps:27s}  {own}")
    print("\nclient  held-out  aggregate loss  local loss  adopted  epsilon")
    for i, node in enumerate(nodes):
        st = _status(node)
        if not st:
            print(f"{i:6d}  (no status)")
            continue
        print(
            f"{i:6d}  {st.get('heldout', 0):8d}  {st.get('aggregate_loss', float('nan')):14.4f}"
            f"  {st.get('local_loss', float('nan')):10.4f}  {str(st.get('adopted')):7s}"
            f"  {st.get('epsilon', float('nan')):.2f}"
        )


def _status(node: Path) -> dict[str, Any]:
    return _read(node / "status.json")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


if __name__ == "__main__":
    sys.exit(main())
