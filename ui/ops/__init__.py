"""Background work for the windows.

``ui.ops.core`` holds the machinery (``Op``, ``run_steps``, the task manager); each
``ui.ops.<domain>`` module has functions that return an ``Op`` already bound to the right
worker: store reads and writes on the serial store worker, node and model calls on the
network pool. Screens call those, never ``Op(lambda: ..., lane=...)`` themselves.
"""

from __future__ import annotations

from ui.ops.core import Lane, Op, TaskManager, reset_tasks, run_steps, tasks

__all__ = ["Lane", "Op", "TaskManager", "reset_tasks", "run_steps", "tasks"]
