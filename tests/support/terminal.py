"""Run a command at a real pseudo-terminal, answering its prompts as a person would.

The child gets a pty as stdin, stdout and stderr in a session of its own, so ``isatty()`` is
true and ``getpass`` reads (without echo) from that terminal. Each answer is written only once
its prompt has appeared: ``getpass`` flushes what was typed ahead.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Sequence


def run_at_terminal(
    argv: Sequence[str],
    answers: Sequence[tuple[str, str]],
    *,
    env: dict[str, str],
    cwd: str | os.PathLike[str],
    timeout: float = 120.0,
) -> tuple[int, str]:
    """Run ``argv``; for each (prompt, answer), wait for ``prompt`` in the output, then type
    ``answer`` and Enter. Returns the exit code and everything the terminal showed."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    pending = list(answers)
    searched = 0  # where the next prompt is looked for: after the last one answered
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk and proc.poll() is not None:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
            at = seen.find(pending[0][0].encode(), searched) if pending else -1
            if at >= 0:
                prompt, answer = pending.pop(0)
                searched = at + len(prompt.encode())
                os.write(master, answer.encode() + b"\n")
        else:
            proc.kill()
        code = proc.wait(timeout=10)
    finally:
        os.close(master)
    return code, seen.decode(errors="replace")
