"""Tooltips that wrap: Qt shows a plain-text tooltip on one line, cut off at the screen's
edge mid-sentence; rich text is word-wrapped. The text is escaped, so it stays data."""

from __future__ import annotations

import html


def wrapped(text: str) -> str:
    """``text`` as a tooltip Qt word-wraps (empty stays empty: no tooltip at all)."""
    if not text:
        return ""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
