"""The privacy a wallet has spent on federated training, kept across rounds and runs.

Each DP-SGD step is recorded as (noise multiplier, sample rate); opacus's RDP accountant turns
the whole history into epsilon at the configured delta. A round that would take epsilon past
the user's ceiling is refused before any training happens, so the ceiling is never crossed.
The ledger is a small JSON file in the node's folder, written atomically, owner-only.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import InvalidInput


@dataclass
class PrivacyLedger:
    path: Path
    delta: float
    steps: list[tuple[float, float, int]]  # (noise multiplier, sample rate, steps)

    @classmethod
    def open(cls, path: Path, delta: float) -> PrivacyLedger:
        steps: list[tuple[float, float, int]] = []
        if path.exists():
            try:
                raw = json.loads(path.read_text())
                steps = [(float(s), float(q), int(n)) for s, q, n in raw["steps"]]
                if float(raw["delta"]) != delta:
                    # a different delta makes the old history incomparable: fail closed
                    raise InvalidInput(
                        f"The privacy ledger was kept at delta {raw['delta']}, not {delta}.",
                        hint="Use the same delta as before, or start a new node folder.",
                    )
            except (OSError, ValueError, KeyError, TypeError) as e:
                raise InvalidInput(
                    "The privacy ledger of this node cannot be read.",
                    hint="Nothing was trained. Restore the file or start a new node folder.",
                ) from e
        return cls(path, delta, steps)

    def epsilon(self, extra: tuple[float, float, int] | None = None) -> float:
        """Epsilon spent so far (plus ``extra`` steps, if given); inf when a step had no noise."""
        history = [*self.steps, *([extra] if extra else [])]
        history = [h for h in history if h[2] > 0]
        if not history:
            return 0.0
        if any(s <= 0 for s, _, _ in history):
            return math.inf
        from opacus.accountants import RDPAccountant

        acc = RDPAccountant()
        acc.history = list(history)
        return float(acc.get_epsilon(delta=self.delta))

    def check(self, noise: float, rate: float, steps: int, ceiling: float) -> float:
        """Epsilon after these steps; InvalidInput when that would pass ``ceiling``."""
        after = self.epsilon((noise, rate, steps))
        if after > ceiling:
            raise InvalidInput(
                f"This round would spend epsilon {after:.2f}, past the ceiling of {ceiling:g}.",
                hint="Nothing was trained or sent. Raise the ceiling in the settings, or leave.",
            )
        return after

    def record(self, noise: float, rate: float, steps: int) -> None:
        self.steps.append((noise, rate, steps))
        write_json(self.path, {"delta": self.delta, "steps": self.steps})


def write_json(path: Path, data: Any) -> None:
    """Atomic, owner-only JSON write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; ``{}`` when it is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
