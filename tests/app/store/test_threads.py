"""Many threads writing through one store: no crash, no closed connection, every row kept."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func, select

from app.store import open_throwaway
from app.store.schema import Feedback


def test_eight_writer_threads(tmp_path: Path) -> None:
    store = open_throwaway(tmp_path)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                with store.session() as s:
                    s.add(Feedback(kind="t", payload={"thread": n, "i": i}))
        except BaseException as exc:  # collected: an assertion in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 160
    store.close()
