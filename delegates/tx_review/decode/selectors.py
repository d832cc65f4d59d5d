"""The bundled 4-byte table: common function signatures by selector (names only).

A name from this table tells the user what is being called; it does not make the call
understood, so it never clears a finding by itself.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).with_name("selectors.json")


@cache
def table() -> dict[str, str]:
    data = json.loads(_TABLE.read_text(encoding="utf-8"))
    return {k.lower(): v for k, v in data.items() if isinstance(v, str)}


def lookup(selector: str) -> str | None:
    """The signature for an 8-hex-digit selector (with or without 0x), or None."""
    key = selector.lower().removeprefix("0x")
    return table().get(key)
