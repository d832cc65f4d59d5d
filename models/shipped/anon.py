"""Training text through the runtime's anonymization layer (``models.anonymize``).

Identifying values (addresses, hashes, other hex, e-mail, IPs, ENS names, address-book names,
exact amounts of an asset) become the layer's stable placeholders; the numbers a review
reasons about (ages in days, shares of a balance, chain ids, deadlines) are not identifying and
stay, or the model could not learn the rules' thresholds. One ``Scrubber`` per example keeps
the placeholders of its prompt and its answer in agreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from models.anonymize import Anonymizer

# An exact amount: a number followed by a unit (a token symbol, ETH, USD) or after a currency sign.
_AMOUNT = re.compile(
    r"(?<![\w.])(?:[$€£]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?(?=\s+(?:[A-Z][A-Za-z0-9]{1,9}\b)))"
)
_IDENT = re.compile(
    r"0x[0-9a-fA-F]{8,}|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|(?<![\w.-])(?:[A-Za-z0-9-]+\.)+eth(?![\w-])|(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"
)


class Scrubber:
    """Replaces identifying values in a text by the anonymizer's placeholders."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = [n for n in names if n and n.strip()]
        self.anonymizer = Anonymizer(self.names)

    def __call__(self, text: str) -> str:
        sub = self.anonymizer.anonymize
        out = _IDENT.sub(lambda m: sub(m.group(0)), text)
        for name in sorted(self.names, key=len, reverse=True):
            out = re.sub(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", lambda m: sub(m.group(0)), out)
        return _AMOUNT.sub(lambda m: sub(m.group(0)), out)

    def restore(self, text: str) -> str:
        return self.anonymizer.restore(text)
