"""``warden delegates list|enable|disable|set|run|runs`` and ``warden daemon``."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("warden.daemon")


def register(sub: Any) -> None:
    d = sub.add_parser("delegates", help="the delegates: list, switch on/off, run, history")
    dsub = d.add_subparsers(dest="delegates_command", metavar="ACTION", required=True)
    p = dsub.add_parser("list", help="every delegate, whether it is on, and its triggers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_list)
    for action in ("enable", "disable"):
        p = dsub.add_parser(action, help=f"{action} a delegate")
        p.add_argument("name")
        p.set_defaults(func=_toggle, enabled=action == "enable")
    p = dsub.add_parser("set", help="change a delegate's settings: NAME key=value ...")
    p.add_argument("name")
    p.add_argument("values", nargs="+", metavar="KEY=VALUE")
    p.set_defaults(func=_set)
    p = dsub.add_parser("run", help="run a delegate once now and print its output")
    p.add_argument("name")
    p.add_argument("--rpc", help="RPC URL of the node to read from")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run)
    p = dsub.add_parser("runs", help="the latest runs")
    p.add_argument("--name", help="only this delegate")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_runs)

    dm = sub.add_parser("daemon", help="run the delegates headless (no window)")
    dm.add_argument("--rpc", help="RPC URL to watch (default: none, schedules only)")
    dm.add_argument("--demo", action="store_true", help="use the demo chain and store")
    dm.add_argument(
        "--demo-transfer-after",
        type=float,
        metavar="S",
        help="with --demo: send the demo wallet a transfer after S seconds",
    )
    dm.add_argument("--poll", type=float, default=4.0, help="seconds between polls of the node")
    dm.add_argument("--duration", type=float, help="stop after this many seconds")
    dm.set_defaults(func=_daemon)


def _runner(store: Any, chain: Any = None, notifier: Any = None) -> Any:
    from app.events import EventBus
    from app.notify import LogBackend, Notifier
    from app.store import changes
    from delegates import load_builtin
    from delegates.runtime.registry import REGISTRY
    from delegates.runtime.runner import Runner

    load_builtin()
    services = {"balances": _balances_port(store, chain)} if chain is not None else {}
    bus = EventBus()
    changes.attach(store, bus)  # delegates can follow what is committed to the store
    return Runner(
        REGISTRY,
        store,
        bus,
        notifier or Notifier(LogBackend()),
        chain=chain,
        services=services,
    )


def _balances_port(store: Any, w3: Any) -> Any:
    """Read-only holdings for the market delegate: the native coin of every account, priced
    as ETH/USD. (Tokens need a price source per token; not wired yet.)"""

    def holdings() -> dict[str, float]:
        from sqlalchemy import select

        from app.store.schema import Account

        with store.session() as s:
            addresses = [a.address for a in s.scalars(select(Account))]
        wei = sum(int(w3.eth.get_balance(a)) for a in addresses)
        return {"ETH/USD": wei / 10**18} if wei else {}

    return holdings


def _web3(url: str | None) -> Any:
    if not url:
        return None
    from web3 import Web3

    from app.wallet.rpc_transport import BoundedHTTPProvider

    return Web3(BoundedHTTPProvider(url, deadline_s=20))  # one deadline per call, capped answers


def _list(args: argparse.Namespace) -> int:
    from warden.context import open_store

    store = open_store(write=False)
    try:
        runner = _runner(store)
        rows = []
        for cls in runner.registry:
            enabled, settings = runner.setting_row(cls.name)
            last = runner.recent_runs(1, cls.name)
            rows.append(
                {
                    "name": cls.name,
                    "enabled": enabled,
                    "capability": cls.capability.value,
                    "triggers": [t.label() for t in cls.triggers],
                    "description": cls.description,
                    "settings": settings,
                    "last_outcome": last[0].outcome if last else None,
                }
            )
    finally:
        store.close()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        state = "on " if r["enabled"] else "off"
        print(f"{state} {r['name']:18} {r['capability']:9} {', '.join(r['triggers'])}")
        print(f"    {r['description']} (last run: {r['last_outcome'] or 'never'})")
    return 0


def _toggle(args: argparse.Namespace) -> int:
    from warden.context import open_store

    store = open_store()
    try:
        _runner(store).set_enabled(args.name, args.enabled)
    finally:
        store.close()
    print(f"{args.name} {'enabled' if args.enabled else 'disabled'}")
    return 0


def _set(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput
    from warden.context import open_store

    values = {}
    for item in args.values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InvalidInput(f"{item!r} is not KEY=VALUE.", hint="e.g. threshold_gwei=8")
        values[key.strip()] = value.strip()
    store = open_store()
    try:
        _runner(store).update_settings(args.name, values)
    finally:
        store.close()
    print(f"{args.name}: {', '.join(f'{k}={v}' for k, v in values.items())}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from warden.context import open_store

    store = open_store()
    try:
        runner = _runner(store, _web3(args.rpc))
        try:
            result = runner.run(args.name, trigger="manual", force=True)
        finally:
            runner.shutdown(wait=False)
    finally:
        store.close()
    if args.json:
        print(json.dumps(result.__dict__, indent=2, default=str))
    else:
        print(f"{result.delegate}: {result.outcome}")
        if result.error:
            print(f"  {result.error}")
        if result.output:
            print(f"  {result.output.get('summary', '')}")
    return 0 if result.outcome == "ok" else 1


def _runs(args: argparse.Namespace) -> int:
    from warden.context import open_store

    store = open_store(write=False)
    try:
        runs = _runner(store).recent_runs(args.limit, args.name)
    finally:
        store.close()
    rows = [
        {
            "id": r.id,
            "delegate": r.delegate,
            "trigger": r.trigger,
            "started": r.started_at.isoformat(),
            "ended": r.ended_at.isoformat() if r.ended_at else None,
            "outcome": r.outcome,
            "summary": (r.output or {}).get("summary") if r.output else None,
            "error": r.error,
        }
        for r in runs
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(
            f"#{r['id']:<5} {r['started'][:19]} {r['delegate']:18} {r['outcome']:9} "
            f"{r['trigger']:24} {r['error'] or r['summary'] or ''}"
        )
    return 0


class _PrintBackend:
    """Notifications as lines on the daemon's terminal, when no desktop service shows them."""

    def show(self, notification: Any) -> None:
        print(f"notice: {notification.title}: {notification.body}", flush=True)


class _RunPrinter:
    """One line per delegate run, printed as the run ends (``delegate_did_run``)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.runs = 0
        self.failed = 0
        self._lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        from app.store.schema import DelegateRun

        trigger = "?"
        try:
            with self.store.session() as s:
                row = s.get(DelegateRun, event.run_id)
                trigger = row.trigger if row is not None else "?"
        except Exception:  # the store is closing: the line is still worth printing
            log.debug("run record unreadable", exc_info=True)
        with self._lock:
            self.runs += 1
            self.failed += event.outcome not in ("ok", "skipped")
            print(
                f"run #{event.run_id} {event.delegate} [{trigger}] {event.outcome}: "
                f"{event.message}",
                flush=True,
            )


def _notification_backend() -> tuple[Any, str]:
    """Desktop notifications where a service answers; else lines on this terminal. Returns
    the backend and a line that tells the user where notifications go."""
    from app.notify import LogBackend
    from delegates.notify_desktop import best_backend

    backend = best_backend()
    if isinstance(backend, LogBackend):
        return _PrintBackend(), (
            "warden daemon: no desktop notification service here (no D-Bus session); "
            "notifications are printed on this terminal as 'notice:' lines."
        )
    return backend, "warden daemon: notifications go to the desktop's notification service."


def _daemon(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.events import delegate_did_run
    from app.notify import Notifier
    from app.store.schema import Account
    from delegates.runtime.runtime import DelegateRuntime
    from delegates.runtime.watcher import ChainWatcher

    demo = None
    if args.demo:
        from app.wallet.demo import build_demo

        demo = build_demo(Path(tempfile.mkdtemp(prefix="warden-demo-")))
        store, w3 = demo.store, demo.w3
    else:
        from warden.context import open_store

        store, w3 = open_store(), _web3(args.rpc)
    if w3 is not None and demo is None:
        _finish_requests(store, w3)
    backend, where_notices_go = _notification_backend()
    notifier = Notifier(backend)
    notifier.start()
    runner = _runner(store, w3, notifier)
    printer = _RunPrinter(store)
    unsubscribe = runner.bus.subscribe(delegate_did_run, printer)
    runtime = DelegateRuntime(runner)
    runtime.start()
    watcher = None
    if w3 is not None:
        with store.session() as s:
            accounts = [a.address for a in s.scalars(select(Account))]
        watcher = ChainWatcher(w3, runner.bus, accounts, poll_s=args.poll)
        watcher.start()
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    log.info(
        "daemon running: %d delegates, watching %s",
        len(runner.registry.names()),
        "the demo chain" if demo else (args.rpc or "no chain"),
    )
    print("warden daemon: running; Ctrl+C stops it.", flush=True)
    print(where_notices_go, flush=True)
    if demo is not None and args.demo_transfer_after is not None:
        threading.Timer(args.demo_transfer_after, _demo_transfer, (demo,)).start()
    try:
        started = time.monotonic()
        while not stop.wait(0.5):
            if args.duration and time.monotonic() - started >= args.duration:
                break
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if watcher is not None:
            watcher.stop()
        runtime.stop()
        notifier.stop()
        unsubscribe()
        print(
            f"warden daemon: stopped after {printer.runs} run(s), {printer.failed} not ok; "
            "'warden delegates runs' lists earlier ones.",
            flush=True,
        )
        store.close()
    return 0


def _finish_requests(store: Any, w3: Any) -> None:
    """Requests left signed but not known as sent (a crash, a lost node) are finished
    through the request pipeline before the delegates start: the same bytes, at most once."""
    from app.errors import WardenError
    from app.wallet.chain import ChainClient
    from warden.pipeline import make_pipeline

    try:
        client = ChainClient.from_web3(w3, int(w3.eth.chain_id))
        done = make_pipeline(store, client, source="daemon").resume_unfinished()
    except (WardenError, OSError, ValueError) as exc:
        log.warning("unfinished requests left for later: %s", type(exc).__name__)
        return
    if done:
        print(f"warden daemon: finished {len(done)} request(s) left from before.", flush=True)


def _demo_transfer(demo: Any) -> None:
    """Someone sends the demo wallet 0.25 ETH: the incoming watch should notice."""
    sender = next(iter(demo.others.values()), None) or demo.w3.eth.accounts[1]
    to = demo.accounts[0].address
    tx = demo.w3.eth.send_transaction({"from": sender, "to": to, "value": 25 * 10**16})
    log.info("demo: sent 0.25 ETH to %s in %s", to, "0x" + bytes(tx).hex())
