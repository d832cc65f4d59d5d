"""An interrupted backup leaves nothing behind: its work folder in the data folder and its
half-written ``.NAME.wbak.XXXX`` beside the destination are removed when it fails, and, after
a kill -9, when a store next opens (issue 11, item 5)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.config import Paths
from app.errors import StoreError
from app.store import Store, backup

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "pw-for-leftovers"  # noqa: S105


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_failing_backup_removes_its_temporary_copies(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: the disk 'fills up' while the backup file is written."""
    store = Store.create(paths, PASSWORD)
    dest_dir = tmp_path / "backups"
    dest_dir.mkdir()
    seen: list[Path] = []
    real = backup.write_atomic

    def full_disk(path: Path, data: bytes, **kw: object) -> None:
        on_temp = kw["on_temp"]

        def then_fail(temp: Path) -> None:
            on_temp(temp)  # type: ignore[operator]
            seen.append(temp)
            raise OSError(28, "No space left on device")

        real(path, data, on_temp=then_fail)

    monkeypatch.setattr(backup, "write_atomic", full_disk)
    with pytest.raises(OSError, match="No space"):
        store.backup(dest_dir / "x.wbak", "backup-pw")
    store.close()
    assert seen and seen[0].name.startswith(".x.wbak.")
    assert _hidden(dest_dir) == []
    assert _hidden(paths.data_dir) == []


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from app.config import Paths
    from app.store import Store, backup

    home, dest, password = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    paths = Paths(home / "data", home / "config", home / "cache", home / "logs")
    real = backup.write_atomic

    def stuck(path, data, *, on_temp):
        def noted(temp):
            on_temp(temp)
            print("WRITING", flush=True)  # the work copy and the hidden file both exist now
            time.sleep(600)
        real(path, data, on_temp=noted)

    backup.write_atomic = stuck
    store = Store.open(paths, password)
    store.backup(dest, "backup-pw")
    """
)


def test_a_killed_backup_is_cleaned_up_when_the_store_next_opens(
    paths: Paths, tmp_path: Path
) -> None:
    """A real child process is killed (SIGKILL) in the middle of writing a backup."""
    Store.create(paths, PASSWORD).close()
    dest_dir = tmp_path / "backups"
    dest_dir.mkdir()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(paths.data_dir.parent),
            str(dest_dir / "x.wbak"),
            PASSWORD,
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == "WRITING", child.stderr.read() if child.stderr else ""
        work = [n for n in _hidden(paths.data_dir) if n.startswith(".warden-backup-")]
        assert len(work) == 1 and [n[:8] for n in _hidden(dest_dir)] == [".x.wbak."]
        # While the backup runs, opening the store leaves its files alone.
        Store.open(paths, PASSWORD).close()
        assert len(_hidden(dest_dir)) == 1 and work[0] in _hidden(paths.data_dir)
    finally:
        child.kill()
        child.communicate(timeout=60)
    assert _hidden(dest_dir) and any(
        n.startswith(".warden-backup-") for n in _hidden(paths.data_dir)
    )
    Store.open(paths, PASSWORD).close()  # the next start
    assert _hidden(dest_dir) == []
    assert _hidden(paths.data_dir) == []
    assert not (dest_dir / "x.wbak").exists()


def test_a_restore_refuses_while_another_process_holds_the_folder(
    paths: Paths, tmp_path: Path
) -> None:
    store = Store.create(paths, PASSWORD)
    store.backup(tmp_path / "b.wbak", "backup-pw")
    store.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from app.store.writer_lock import WriterLock; "
            "held = WriterLock(Path(sys.argv[1])).acquire(); "
            "print('HELD', flush=True); time.sleep(600)",
            str(paths.data_dir),
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "HELD"
        with pytest.raises(StoreError, match=rf"already running \(pid {holder.pid}\)"):
            Store.restore(paths, tmp_path / "b.wbak", "backup-pw")
        assert not list(paths.data_dir.glob("*.replaced-*"))
    finally:
        holder.kill()
        holder.communicate(timeout=60)
