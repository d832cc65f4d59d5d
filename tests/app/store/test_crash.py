from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select

from app.config import Paths
from app.store import Store
from app.store.schema import Contact

ROOT = Path(__file__).resolve().parents[3]

# The child writes batches of rows and prints each batch's ids only after its commit returned.
CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from app.config import Paths
    from app.store import Store
    from app.store.schema import Contact

    root = Path(sys.argv[1])
    paths = Paths(root / "data", root / "config", root / "cache", root / "logs")
    store = Store.open(paths, os.environ["TEST_STORE_PASSWORD"])
    n = 0
    while True:
        with store.session() as s:
            batch = []
            for _ in range(5):
                n += 1
                s.add(Contact(address=f"0x{n:040x}", name=f"row {n}", note="x" * 500))
                batch.append(n)
        sys.stdout.write(" ".join(map(str, batch)) + "\\n")
        sys.stdout.flush()
    """
)


def test_sigkill_mid_write_loses_no_committed_row(paths: Paths) -> None:
    Store.create(paths, "pw-for-tests").close()
    env = {**os.environ, "TEST_STORE_PASSWORD": "pw-for-tests", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(paths.data_dir.parent)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    reported: set[int] = set()
    assert child.stdout is not None
    try:
        for line in child.stdout:
            reported.update(int(x) for x in line.split())
            if len(reported) >= 400:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
    for line in rest.splitlines():
        if line.strip():
            reported.update(int(x) for x in line.split())
    assert child.returncode == -signal.SIGKILL
    assert len(reported) >= 400

    assert paths.store_file.with_name("warden.db-wal").exists()  # killed before a clean close
    store = Store.open(paths, "pw-for-tests")  # checks every page and the b-trees
    with store.session() as s:
        stored = {int(name.split()[1]) for name in s.scalars(select(Contact.name))}
    store.close()
    assert reported <= stored
