"""``warden federate serve|join|status|leave``: federated adapter training between machines.

Wraps Flower's deployment engine (``models.federated``): ``serve`` runs a SuperLink with TLS
and SuperNode authentication and starts the Flower App with ``flwr run``; ``join`` runs a
SuperNode whose ClientApp trains on this wallet's anonymized feedback with DP-SGD. Taking part
is opt-in: nothing happens unless the user runs ``join``. torch and flwr are imported inside
the handlers (the ``train`` extra).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import time
from pathlib import Path
from typing import Any

from models.federated.ledger import read_json  # json and os only: light at start-up

NEEDS = ("torch", "transformers", "peft", "flwr", "opacus")
PID_FILE = "join.pid"


def _default(sub: str) -> Path:
    from app.config import default_paths

    return default_paths().data_dir / "federation" / sub


def register(sub: Any) -> None:
    p = sub.add_parser("federate", help="federated training between machines (Flower)")
    fsub = p.add_subparsers(dest="federate_cmd", metavar="STEP", required=True)

    s = fsub.add_parser("serve", help="run the federation's SuperLink and its rounds")
    s.add_argument("--state", type=Path, default=None, help="server folder (certs, logs)")
    s.add_argument("--host", default="127.0.0.1", help="address the SuperLink listens on")
    s.add_argument("--port", type=int, default=9092, help="0: any free port")
    s.add_argument("--make-certs", action="store_true", help="make a CA and server certificate")
    s.add_argument(
        "--admit", type=Path, action="append", default=[], help="a SuperNode's public key file"
    )
    s.add_argument("--clients", type=int, default=3, help="SuperNodes to wait for")
    s.add_argument("--min-clients", type=int, default=2, help="a round needs this many")
    s.add_argument("--rounds", type=int, default=2)
    s.add_argument("--model", choices=("tiny", "bundled"), default="bundled")
    s.add_argument("--rank", type=int, default=8)
    s.add_argument("--local-steps", type=int, default=4)
    s.add_argument("--lr", type=float, default=0.05)
    s.add_argument("--noise", type=float, default=1.0, help="DP-SGD noise multiplier (> 0)")
    s.add_argument("--clip", type=float, default=1.0, help="per-example gradient norm bound")
    s.add_argument("--delta", type=float, default=1e-5)
    s.add_argument("--sample-rate", type=float, default=0.5)
    s.add_argument("--max-len", type=int, default=320)
    s.add_argument("--stage-timeout", type=float, default=600.0, help="seconds per stage")
    s.add_argument("--wait", type=float, default=3600.0, help="seconds to wait for SuperNodes")
    s.set_defaults(func=cmd_serve)

    j = fsub.add_parser("join", help="take part with this wallet's data (a SuperNode)")
    j.add_argument("address", nargs="?", help="the federation's HOST:PORT")
    j.add_argument("--node", type=Path, default=None, help="this node's folder")
    j.add_argument("--ca", type=Path, help="the federation's CA certificate (pinned)")
    j.add_argument(
        "--make-key", action="store_true", help="make this node's key pair and print the public key"
    )
    j.add_argument(
        "--feedback", type=Path, default=None, help="JSON feedback rows instead of the store"
    )
    j.add_argument("--epsilon-ceiling", type=float, default=8.0, help="privacy budget")
    j.add_argument("--wait", type=float, default=120.0, help="seconds to reach the SuperLink")
    j.set_defaults(func=cmd_join)

    t = fsub.add_parser("status", help="what this node or server has done and spent")
    t.add_argument("--node", type=Path, default=None)
    t.add_argument("--state", type=Path, default=None)
    t.set_defaults(func=cmd_status)

    le = fsub.add_parser("leave", help="stop taking part (stops this node's SuperNode)")
    le.add_argument("--node", type=Path, default=None)
    le.set_defaults(func=cmd_leave)


def _need_extra() -> None:
    import importlib.util

    from app.errors import WardenError

    missing = [m for m in NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        raise WardenError(
            f"Federated training needs {', '.join(missing)}, which are not installed.",
            hint="Install the extra: pip install 'warden[train]' (torch==2.13.0, CPU build).",
        )


def _run_config(args: argparse.Namespace, report: Path) -> dict[str, Any]:
    from app.errors import InvalidInput
    from models.federated.task import RunSettings

    cfg: dict[str, Any] = {
        "model": args.model,
        "rank": args.rank,
        "local-steps": args.local_steps,
        "lr": args.lr,
        "noise": args.noise,
        "clip": args.clip,
        "delta": args.delta,
        "sample-rate": args.sample_rate,
        "max-len": args.max_len,
        "seed": 7,
        "rounds": args.rounds,
        "min-clients": args.min_clients,
        "stage-timeout": args.stage_timeout,
        "report": str(report),
    }
    try:
        RunSettings.from_config(cfg)
    except ValueError as e:
        raise InvalidInput(f"Bad setting: {e}.", hint="Nothing was started.") from e
    if args.noise <= 0:
        raise InvalidInput(
            "A federation runs with DP noise only (--noise above 0).", hint="Nothing was started."
        )
    if not 2 <= args.min_clients <= args.clients or args.rounds < 1:
        raise InvalidInput(
            "Use at least 2 clients per round, no more than --clients, and 1 round or more.",
            hint="Nothing was started.",
        )
    return cfg


def cmd_serve(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput, NetworkError
    from models.federated import certs, processes
    from models.federated.fab import write_app

    state = (args.state or _default("server")).resolve()
    report = state / "report.json"
    cfg = _run_config(args, report)
    _need_extra()
    if args.make_certs:
        hosts = list(dict.fromkeys([args.host, "127.0.0.1", "localhost"]))
        made = certs.make_server_certs(state / "certs", hosts)
        print(f"CA for the joiners to pin: {made.ca}", flush=True)
    ca, cert, key = (state / "certs" / n for n in (certs.CA_FILE, certs.CERT_FILE, certs.KEY_FILE))
    if not all(p.exists() for p in (ca, cert, key)):
        raise InvalidInput("No certificates in the server folder.", hint="Add --make-certs.")
    admitted = [*args.admit, *sorted((state / "admitted").glob("*.pub"))]
    for pub in admitted:
        try:
            certs.check_public_key(pub)
        except ValueError as e:
            raise InvalidInput(f"Cannot admit {pub.name}: {e}.", hint="Nothing was started.") from e
    if not admitted:
        raise InvalidInput(
            "No SuperNode key is admitted.",
            hint="Pass each joiner's node.pub with --admit ('warden federate join --make-key').",
        )
    port = args.port or processes.free_port(args.host)
    address = f"{args.host}:{port}"
    home = state / "flwr-home"
    env = processes.flower_env(home)
    report.unlink(missing_ok=True)
    link = processes.start(
        "superlink",
        [
            "--ssl-ca-certfile", str(ca), "--ssl-certfile", str(cert), "--ssl-keyfile", str(key),
            "--enable-supernode-auth", "--disable-runtime-dependency-installation",
            "--host", args.host, "--port", str(port),
        ],
        state / "superlink.log",
        env,
    )  # fmt: skip
    started = time.monotonic()
    try:
        processes.wait_tls_ready(args.host, port, ca, deadline=time.monotonic() + 180, proc=link)
        processes.write_cli_config(home, address, ca)
        for pub in admitted:
            processes.register_node(pub, env)
        print(f"listening on {address}; admitted {len(admitted)} SuperNode key(s)", flush=True)
        deadline = time.monotonic() + args.wait
        while processes.online_nodes(env) < args.clients:
            if link.poll() is not None:
                raise NetworkError("The SuperLink stopped.", hint="See superlink.log.")
            if time.monotonic() > deadline:
                raise NetworkError(
                    f"Fewer than {args.clients} SuperNodes joined in time.",
                    hint="Check that each joiner has an admitted key and the pinned CA.",
                )
            time.sleep(2)
        app = write_app(state / "app", cfg)
        run_id = processes.start_run(app, env)
        print(f"run {run_id} started with {args.clients} SuperNodes", flush=True)
        while True:
            st = processes.run_status(run_id, env)
            if str(st.get("status", "")).startswith("finished"):  # finished:completed|failed
                break
            if link.poll() is not None:
                raise NetworkError(
                    "The SuperLink stopped during the run.", hint="See superlink.log."
                )
            time.sleep(3)
    finally:
        processes.stop(link)
    figures = read_json(report)
    _print_rounds(figures)
    summary = {
        "run": run_id,
        "status": st.get("status", "finished"),
        "seconds": time.monotonic() - started,
        **figures,
    }
    from models.federated.ledger import write_json

    write_json(state / "status.json", summary)
    done = [r for r in figures.get("rounds", []) if r.get("aggregated")]
    if not figures.get("finished") or len(done) < args.rounds:
        raise NetworkError(
            f"The run aggregated {len(done)} of {args.rounds} rounds.",
            hint="Too few SuperNodes answered; the SuperLink's log is in the server folder.",
        )
    return 0


def _print_rounds(figures: dict[str, Any]) -> None:
    print("round  clients  failures  epsilon per client        seconds")
    for r in figures.get("rounds", []):
        eps = ", ".join("inf" if math.isinf(e) else f"{e:.2f}" for e in r.get("epsilon", []))
        n, c, f, sec = r["round"], r["clients"], r["failures"], r["seconds"]
        print(f"{n:5d}  {c:7d}  {f:8d}  {eps:24s}  {sec:7.1f}")
    ev = figures.get("evaluation")
    if ev:
        print(
            f"aggregate adopted by {ev['adopted']} of {ev['clients']} clients (own held-out data)"
        )


def _examples(args: argparse.Namespace) -> list[dict[str, Any]]:
    """This wallet's training examples through the anonymization layer, with the names of its
    accounts, contacts and labels (``models.federated.examples.prepare_examples``)."""
    from app.errors import InvalidInput
    from models.federated.examples import prepare_examples

    names: list[str] = []
    if args.feedback is not None:
        try:
            rows = [(str(k), dict(p)) for k, p in json.loads(args.feedback.read_text())]
        except (OSError, ValueError, TypeError) as e:
            raise InvalidInput(
                f"{args.feedback.name} is not a list of [kind, payload] rows.",
                hint="Nothing was started.",
            ) from e
    else:
        from app.config import default_paths
        from models.remote_config import known_names
        from models.training.feedback import load_feedback
        from warden.context import open_store

        store = open_store(default_paths().ensure(), write=False)
        try:
            rows = load_feedback(store)
            names = known_names(store)
        finally:
            store.close()
    records, dropped = prepare_examples(rows, names)
    if dropped:
        print(f"{dropped} feedback item(s) left out (a secret, or unreadable)", flush=True)
    if not records:
        raise InvalidInput(
            "There is no feedback to learn from yet.",
            hint="Mark a few explanations as helpful or correct a few intent parses first.",
        )
    return records


def _from_settings(args: argparse.Namespace, node: Path) -> None:
    """Without an address: the federation the user chose in Settings, if any (so a machine
    takes part with no window open)."""
    from app.config import default_paths
    from models.federated import optin
    from warden.context import open_store

    paths = default_paths()
    if not paths.store_file.exists():
        return
    store = open_store(paths.ensure(), write=False)
    try:
        choice = optin.load(store)
    finally:
        store.close()
    if choice is not None:
        args.address = choice.address
        args.ca = optin.write_ca(node, choice)
        args.epsilon_ceiling = choice.epsilon_ceiling


def cmd_join(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput, NetworkError
    from models.federated import certs, processes
    from models.federated.ledger import write_json

    node = (args.node or _default("node")).resolve()
    if args.make_key:
        keys = certs.make_node_keys(node)
        print(f"public key for the federation's operator: {keys.public}")
        return 0
    if not args.address and args.ca is None:
        _from_settings(args, node)
    if not args.address or args.ca is None:
        raise InvalidInput(
            "Give the federation's HOST:PORT and its CA certificate (--ca).",
            hint="The operator of the federation gives you both, or turn on Settings -> "
            "'Help improve the model'.",
        )
    host, port = processes.parse_address(args.address)
    if not (node / certs.NODE_KEY).exists():
        raise InvalidInput("This node has no key yet.", hint="Run with --make-key first.")
    if not args.ca.exists():
        raise InvalidInput(f"{args.ca} does not exist.", hint="Ask the operator for the CA.")
    if not args.epsilon_ceiling > 0:
        raise InvalidInput("The epsilon ceiling must be above 0.")
    _need_extra()
    write_json(node / "examples.json", _examples(args))
    env = processes.flower_env(node / "flwr-home")
    processes.wait_tls_ready(
        host, port, args.ca.resolve(), deadline=time.monotonic() + args.wait, proc=None
    )
    proc = processes.start(
        "supernode",
        [
            "--superlink", f"{host}:{port}",
            "--root-certificates", str(args.ca.resolve()),
            "--auth-supernode-private-key", str(node / certs.NODE_KEY),
            "--port", str(processes.free_port()),
            "--node-config", f'data="{node}" epsilon-ceiling={float(args.epsilon_ceiling)}',
            "--max-wait-time", str(args.wait),
        ],
        node / "supernode.log",
        env,
    )  # fmt: skip
    (node / PID_FILE).write_text(str(os.getpid()))

    def on_term(_sig: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    print(f"joined {host}:{port} (pid {proc.pid}); 'warden federate leave' stops", flush=True)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        processes.stop(proc)
        _mark(node, left=True)
        return 0
    finally:
        (node / PID_FILE).unlink(missing_ok=True)
        processes.stop(proc)
    log = (node / "supernode.log").read_text(errors="replace")[-4000:]
    if code == 305 or "Exit Code: 305" in log or "Failed to activate SuperNode" in log:
        raise NetworkError(
            "The federation refused this node: its key is not admitted.",
            hint="Send your public key (node.pub) to the operator, then join again.",
        )
    if code != 0:
        raise NetworkError(
            f"The SuperNode stopped (exit code {code}).",
            hint="See supernode.log in the node folder.",
        )
    return 0


def _mark(node: Path, **changes: Any) -> None:
    from models.federated.ledger import write_json

    write_json(node / "status.json", read_json(node / "status.json") | changes)


def cmd_status(args: argparse.Namespace) -> int:
    out: dict[str, Any] = {}
    node = (args.node or _default("node")).resolve()
    state = (args.state or _default("server")).resolve()
    if (node / "status.json").exists() or args.node:
        st = read_json(node / "status.json")
        st["running"] = (node / PID_FILE).exists()
        out["node"] = st
    if (state / "status.json").exists() or args.state:
        out["server"] = read_json(state / "status.json") or read_json(state / "report.json")
    if not out:
        print("Not taking part in any federation ('warden federate join' to take part).")
        return 0
    print(json.dumps(out, indent=1, default=str))
    return 0


def cmd_leave(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput
    from models.federated.optin import stop_node

    node = (args.node or _default("node")).resolve()
    if not (node / PID_FILE).exists():
        raise InvalidInput("This node is not taking part.", hint="Nothing to stop.")
    stop_node(node)
    print("left the federation; the data and privacy ledger stay in", node)
    return 0
