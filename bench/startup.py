"""Start-up time of the desktop app: process start to the main window shown, on a demo store
(an encrypted store on disk with the demo phrase's wallet; the model is not loaded; the node is
not contacted before the window shows). Median of several runs, beside a baseline process that
only shows an empty PySide6 window.

    .venv/bin/python bench/startup.py [--runs 5]

Target: under 2 s. Runs offscreen unless DISPLAY is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench password 1"  # noqa: S105 - a throw-away bench store


def prepare(home: Path) -> None:
    """A demo-like store on disk: the public demo phrase's wallet, contacts and history."""
    os.environ["WARDEN_HOME"] = str(home)
    from app.config import default_paths
    from app.store import schema as s
    from app.wallet import contacts
    from app.wallet.demo import DEMO_PHRASE
    from app.wallet.onboarding import WalletPlan, create_wallet

    paths = default_paths().ensure()
    store = create_wallet(paths, WalletPlan("phrase", DEMO_PHRASE, PASSWORD, ["Demo"])).store
    with store.session() as ses:
        contacts.add_contact(ses, "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF", "Alice")
        acc = ses.query(s.Account).first()
        for i in range(200):
            ses.add(
                s.Transfer(
                    chain_id=1,
                    account=acc.address,
                    tx_hash=f"0x{i:064x}",
                    block_number=i,
                    direction="in" if i % 2 else "out",
                    sender=acc.address,
                    recipient="0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF",
                    amount=str(10**17),
                )
            )
    store.close()  # type: ignore[attr-defined]


def child_app() -> None:
    """As ``warden gui`` starts: the window shows (locked) at once; then the password is
    entered, the store opens on a worker (memory-hard KDF) and the wallet screen appears."""
    from PySide6.QtCore import QTimer

    from app.config import default_paths
    from app.store import Store
    from ui.app import WardenApp, ensure_qapp
    from ui.compose import user_services

    qapp = ensure_qapp()
    paths = default_paths()
    controller = WardenApp(
        qapp,
        config_dir=paths.config_dir,
        unlock=lambda pw: user_services(Store.open(paths, pw), paths),
        use_tray=False,
    )
    controller.show_window()

    def shown() -> None:
        print("shown", flush=True)
        controller.window.unlock.password.setText(PASSWORD)
        controller.window.unlock._submit()
        poll()

    def poll() -> None:
        shell = controller.window.shell
        if shell is not None and "wallet" in shell.screens:
            print("unlocked", flush=True)
            os._exit(0)
        QTimer.singleShot(5, poll)

    QTimer.singleShot(0, shown)
    qapp.exec()


def child_baseline() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    w = QMainWindow()
    w.resize(1180, 760)
    w.show()
    QTimer.singleShot(0, lambda: (print("shown", flush=True), os._exit(0)))
    app.exec()


def time_child(mode: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds from process start to each line the child prints ("shown", "unlocked")."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", mode], stdout=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdout is not None
    marks = {line.strip(): time.perf_counter() - start for line in proc.stdout}
    proc.wait(timeout=30)
    if "shown" not in marks:
        raise SystemExit(f"the {mode} child never showed its window")
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=["app", "baseline"])
    args = parser.parse_args()
    if args.child == "app":
        child_app()
        return
    if args.child == "baseline":
        child_baseline()
        return
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    with tempfile.TemporaryDirectory(prefix="warden-bench-") as tmp:
        prepare(Path(tmp))
        env = dict(os.environ, WARDEN_HOME=tmp, PYTHONPATH=str(root))
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        time_child("app", env)  # warm the file cache once, not counted
        runs = [time_child("app", env) for _ in range(args.runs)]
        base = [time_child("baseline", env)["shown"] for _ in range(args.runs)]
    shown = [r["shown"] for r in runs]
    unlocked = [r["unlocked"] for r in runs]
    ms, mu, mb = statistics.median(shown), statistics.median(unlocked), statistics.median(base)
    print(
        f"process start to main window shown (demo store, model not loaded): median "
        f"{ms:.2f} s over {args.runs} runs (min {min(shown):.2f}, max {max(shown):.2f})"
    )
    print(
        f"  ... to the unlocked wallet screen (password KDF + store + services): median "
        f"{mu:.2f} s (min {min(unlocked):.2f}, max {max(unlocked):.2f})"
    )
    print(f"baseline, an empty PySide6 window: median {mb:.2f} s; ratio {ms / mb:.1f}x")
    print(f"target under 2 s to the window: {'met' if ms < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
