"""Start Flower's own SuperLink or SuperNode (``python -m models.federated.launch superlink|
supernode ARGS``): Flower's entry points, run with two settings of Warden's.

- No telemetry: Warden sends nothing anywhere the user did not ask for.
- A wider claim window for app processes. Flower starts a fresh ``flwr-serverapp`` /
  ``flwr-clientapp`` process for each task and gives it 30 s to claim it; on a busy laptop
  (measured here: load 14 on 2 cores, 40 s to import flwr) the process misses the window,
  the task goes back to pending and is started again, and again. ``WARDEN_FL_CLAIM_SECONDS``
  (default 180) replaces that window; nothing else in Flower is changed.
"""

from __future__ import annotations

import os
import sys

CLAIM_ENV = "WARDEN_FL_CLAIM_SECONDS"


def widen_claim_window(seconds: float) -> None:
    """Flower's in-memory and SQL core states read the window from a module constant."""
    import importlib

    for name in (
        "flwr.supercore.corestate.in_memory_corestate",
        "flwr.supercore.corestate.sql_corestate",
    ):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        current = getattr(module, "HEARTBEAT_DEFAULT_INTERVAL", None)
        if isinstance(current, int | float):
            vars(module)["HEARTBEAT_DEFAULT_INTERVAL"] = max(seconds, current)


def main(argv: list[str]) -> int:
    os.environ["FLWR_TELEMETRY_ENABLED"] = "0"
    if not argv or argv[0] not in ("superlink", "supernode"):
        print("usage: python -m models.federated.launch superlink|supernode ARGS", file=sys.stderr)
        return 2
    try:
        seconds = float(os.environ.get(CLAIM_ENV, "180"))
    except ValueError:
        seconds = 180.0
    widen_claim_window(seconds)
    which, rest = argv[0], argv[1:]
    sys.argv = [f"flower-{which}", *rest]
    if which == "superlink":
        from flwr.superlink.cli.flower_superlink import flower_superlink

        flower_superlink()
    else:
        from flwr.supernode.cli.flower_supernode import flower_supernode

        flower_supernode()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
