"""What leaves the device for a larger host: identifying values replaced by placeholders.

Addresses, ENS names, transaction hashes, other hex data, exact amounts, account labels and
address-book names, e-mail and IP addresses become ``ADDR_1``, ``AMOUNT_1``, ... The same
string always gets the same placeholder within one ``Anonymizer``, and the answer gets the real
values back. Private keys, extended keys and recovery phrases are refused outright: nothing is
sent at all.
"""

from __future__ import annotations

import functools
import importlib.util
import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.errors import InvalidInput

KINDS = ("EMAIL", "TX", "ADDR", "HEX", "NAME", "ENS", "IP", "AMOUNT")
PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(KINDS) + r")_(\d+)(?!\d)")
# A stream may end in the middle of a placeholder: hold back a trailing run of these.
_TAIL = re.compile(r"[A-Z0-9_]{1,24}$")

_REFUSAL_HINT = (
    "Warden never sends private keys or recovery phrases anywhere; nothing was sent. "
    "Remove it from the text and try again."
)
_RAW_KEY = re.compile(r"(?<![0-9a-fA-Fx])[0-9a-fA-F]{64}(?![0-9a-fA-F])")
_LABELLED_KEY = re.compile(
    r"(?:private|priv|secret|signing)[\s_-]*key\W{0,10}(?:is\W{0,5})?(?:0x)?[0-9a-fA-F]{64}",
    re.IGNORECASE,
)
_EXTENDED_KEY = re.compile(r"\b[xyzt]prv[1-9A-HJ-NP-Za-km-z]{100,}")
MNEMONIC_MIN_WORDS = 12

# Naming-service suffixes (ENS and others) whose names identify a person or a wallet.
_NAME_SUFFIXES = (
    "eth|xyz|crypto|nft|wallet|x|bnb|arb|id|lens|sol|dao|blockchain|bitcoin|888|zil|polygon"
    "|base|kred|luxe|box|bit|avax|ens"
)
_BASE_PATTERNS: list[tuple[str, str]] = [
    ("EMAIL", r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("TX", r"0[xX][0-9a-fA-F]{64}(?![0-9a-fA-F])"),
    ("ADDR", r"(?<![0-9a-zA-Z])(?:0[xX])?[0-9a-fA-F]{40}(?![0-9a-zA-Z])"),
    ("HEX", r"0[xX][0-9a-fA-F]{8,}"),
    ("ENS", rf"(?i:(?<![\w.-])(?:[^\W_][\w-]*\.)+(?:{_NAME_SUFFIXES})(?![\w-]))"),
    (
        "IP",
        r"(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})(?![\w.:])",
    ),
    (
        "AMOUNT",
        r"(?<![\w.])(?:[$€£]\s?|[A-Za-z]{2,6}(?=\d+\.\d))?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
        r"(?:[eE][+-]?\d+)?(?:[kKmM](?![A-Za-z]))?(?!\d)",
    ),
]
_AMOUNT = re.compile(_BASE_PATTERNS[-1][1])


# A key split in halves or groups ("abcd ef01 ...", "0123...:...") still spells 64 hex digits.
_HEX_GROUPS = re.compile(
    r"(?<![0-9a-zA-Z])(?:[0-9a-fA-F]{2,}[\s:,_'\"-]+){1,32}[0-9a-fA-F]{2,}(?![0-9a-zA-Z])"
)
# 32 bytes in base64 (standard or URL-safe), with or without padding.
_BASE64_KEY = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{43}={0,1}(?![A-Za-z0-9+/_=-])")
_WORD = re.compile(r"[^\W\d_]+")

# Letters of other scripts drawn like Latin ones (Cyrillic, Greek, a few Latin variants),
# after Unicode's confusables list: 'vitalik.\u0435th' with a Cyrillic 'e' is vitalik.eth.
# One character for one, so that a match in the folded text is a span of the original.
_CONFUSABLES = str.maketrans(
    "\u0430\u0432\u0435\u0456\u0458\u043e\u0440\u0441\u0443\u0445\u0455\u04bb\u0501\u051b\u051d\u04cf"
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423\u0406\u0408\u0405"
    "\u03b1\u03bf\u03bd\u03c1\u03b9\u03ba\u03c5\u03c7\u03f2\u03b5\u03b3"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7"
    "\u0131\u0261\u01c0\u0251\u03c2",
    "aBeijopcyxshdqwlABEKMHOPCTXYIJSaovpikuxceyABEZHIKMNOPTYXiglac",
)
# An 'O' or 'o' (a look-alike, folded) in front of 'x' and hex digits is the 0 of '0x'.
_OX = re.compile(r"(?<![0-9A-Za-z])[Oo](?=[xX][0-9a-fA-F])")


def fold_confusables(text: str) -> str:
    """``text`` with look-alike letters as the Latin ones they imitate; same length."""
    return _OX.sub("0", text.translate(_CONFUSABLES))


def _fold(word: str) -> str:
    """Case, width and accents folded: 'Ábaco' and 'abaco' are the same BIP-39 word."""
    text = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@functools.cache
def _bip39_lists() -> tuple[frozenset[str], ...]:
    """Every BIP-39 list shipped with eth-account (a dependency): nine languages."""
    spec = importlib.util.find_spec("eth_account")
    if spec is None or spec.origin is None:
        raise RuntimeError("eth-account is required to recognise recovery phrases")
    folder = Path(spec.origin).parent / "hdaccount" / "wordlist"
    lists = [
        frozenset(_fold(w) for w in path.read_text(encoding="utf-8").split())
        for path in sorted(folder.glob("*.txt"))
    ]
    if not lists:
        raise RuntimeError("no BIP-39 word lists found")
    return tuple(lists)


def _bip39_words() -> frozenset[str]:
    return frozenset().union(*_bip39_lists())


def _looks_like_phrase(text: str) -> bool:
    """A run of BIP-39 words of one language however separated (commas, numbers, hyphens,
    quotes, line breaks), allowing one unknown word in twelve (a typo)."""
    tokens = [_fold(w) for w in _WORD.findall(text)]
    if len(tokens) < MNEMONIC_MIN_WORDS - 1:
        return False
    for words in _bip39_lists():
        hits = [t in words for t in tokens]
        run = 0
        for i, hit in enumerate(hits):
            run = run + 1 if hit else 0
            if run >= MNEMONIC_MIN_WORDS - 1:
                return True
            if (
                i >= MNEMONIC_MIN_WORDS - 1
                and sum(hits[i - MNEMONIC_MIN_WORDS + 1 : i + 1]) >= MNEMONIC_MIN_WORDS - 1
            ):
                return True
    return False


def _looks_like_key(text: str) -> bool:
    if _RAW_KEY.search(text) or _LABELLED_KEY.search(text) or _EXTENDED_KEY.search(text):
        return True
    for m in _HEX_GROUPS.finditer(text):
        digits = re.sub(r"[^0-9a-fA-F]", "", m.group(0))
        if len(digits) == 64:
            return True
    for m in _BASE64_KEY.finditer(text):
        token = m.group(0)
        has_case = any(c.islower() for c in token) and any(c.isupper() for c in token)
        if has_case and any(c.isdigit() for c in token):
            return True
    return False


def refuse_secrets(text: str) -> None:
    """Raise ``InvalidInput`` when the text holds a private key or a recovery phrase.

    Fails closed: split, grouped and base64 keys, and phrases in any BIP-39 language with
    any separators, are refused; nothing is sent.
    """
    text = fold_confusables(unicodedata.normalize("NFKC", text))
    if _looks_like_key(text):
        raise InvalidInput("The text contains what looks like a private key.", hint=_REFUSAL_HINT)
    if _looks_like_phrase(text):
        raise InvalidInput(
            "The text contains what looks like a recovery phrase.", hint=_REFUSAL_HINT
        )


class Anonymizer:
    """One conversation's placeholders: anonymize what goes out, restore what comes back."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        full = {
            fold_confusables(unicodedata.normalize("NFKC", n)).strip()
            for n in names
            if n and n.strip()
        }
        # A contact is also named by a part of the name alone ("Alice" of "Alice Smith").
        parts = {p for n in full for p in re.split(r"[\s,]+", n) if len(p) >= 3}
        cleaned = sorted(full | parts, key=len, reverse=True)
        patterns = list(_BASE_PATTERNS)
        if cleaned:
            alt = "|".join(re.escape(n) for n in cleaned)
            # Names go before ENS and amounts: a label like "Savings 2" stays one name.
            patterns.insert(4, ("NAME", rf"(?i:(?<!\w)(?:{alt})(?!\w))"))
        self._pattern = re.compile("|".join(f"(?P<{k}>{p})" for k, p in patterns))
        self._by_value: dict[str, str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder -> original value, for the preview."""
        return dict(self._by_placeholder)

    def _placeholder(self, kind: str, value: str) -> str:
        found = self._by_value.get(value)
        if found is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            found = f"{kind}_{self._counts[kind]}"
            self._by_value[value] = found
            self._by_placeholder[found] = value
        return found

    def anonymize(self, text: str) -> str:
        # NFKC first: full-width and compatibility forms match like the plain ones. Matching
        # runs on the text with look-alike letters folded; what is replaced is the original.
        text = unicodedata.normalize("NFKC", text)
        refuse_secrets(text)
        folded = fold_confusables(text)
        out: list[str] = []
        done = 0
        for match in self._pattern.finditer(folded):
            kind = match.lastgroup or "HEX"
            start, end = match.span()
            value = text[start:end]
            out.append(text[done:start])
            done = end
            if kind == "IP" and not _is_ip(match.group(0)):
                # e.g. a time "12:30:45": not an address, but its numbers still count
                value = _AMOUNT.sub(lambda m: self._placeholder("AMOUNT", m.group(0)), value)
                out.append(value)
            else:
                out.append(self._placeholder(kind, value))
        out.append(text[done:])
        return "".join(out)

    def anonymize_messages(self, messages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**m, "content": self.anonymize(str(m.get("content", "")))} for m in messages]

    def restore(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self._by_placeholder.get(m.group(0), m.group(0)), text)

    def restore_obj(self, obj: Any) -> Any:
        """Restore inside a parsed JSON answer (strings anywhere in lists and objects)."""
        if isinstance(obj, str):
            return self.restore(obj)
        if isinstance(obj, list):
            return [self.restore_obj(v) for v in obj]
        if isinstance(obj, dict):
            return {k: self.restore_obj(v) for k, v in obj.items()}
        return obj

    def stream_restorer(self) -> StreamRestorer:
        return StreamRestorer(self)


class StreamRestorer:
    """Restores a streamed answer chunk by chunk, holding back a half-received placeholder."""

    def __init__(self, anonymizer: Anonymizer) -> None:
        self._anonymizer = anonymizer
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        tail = _TAIL.search(text)
        cut = tail.start() if tail else len(text)
        self._pending = text[cut:]
        return self._anonymizer.restore(text[:cut])

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._anonymizer.restore(text)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
