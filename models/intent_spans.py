"""Values a sentence gives exactly: numbers, token symbols, addresses, hashes, ENS names,
chain names and the wallet's own names. Nothing here guesses: each value comes with the span
of the sentence it was read from, so a caller can check that it really occurs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

KNOWN_SYMBOLS = frozenset(
    "ETH WETH USDC USDT DAI WBTC BTC LINK UNI ARB OP POL MATIC AAVE LDO MKR CRV PEPE SHIB "
    "SOL GRT COMP SNX RPL CBETH STETH RETH FRAX LUSD GHO".split()
)
SYMBOL_ALIASES = {"ether": "ETH", "bitcoin": "BTC", "tether": "USDT"}
CHAIN_ALIASES = {
    "ethereum": "ethereum",
    "mainnet": "ethereum",
    "base": "base",
    "arbitrum": "arbitrum",
    "optimism": "optimism",
    "polygon": "polygon",
    "sepolia": "sepolia",
}
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}

ADDRESS_RE = re.compile(r"(?<![0-9a-zA-Z])0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])")
HASH_RE = re.compile(r"(?<![0-9a-zA-Z])0x[0-9a-fA-F]{64}(?![0-9a-zA-Z])")
ENS_RE = re.compile(r"(?<![\w.-])[a-z0-9][a-z0-9-]*\.eth(?![\w.-])", re.IGNORECASE)
_NUMBER_RE = re.compile(
    r"(?<![\w.])\$?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<suffix>[kKmM])?(?![\w]|\.\d)"
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CHAIN_RE = re.compile(
    r"\b(?:on|via|using|over|through|in)\s+(?:the\s+)?(?P<a>[a-z]+)\b"
    r"|\b(?P<b>[a-z]+)\s+(?:network|chain|mainnet)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WalletWords:
    """What the wallet knows: its tokens' symbols and the names of its contacts and accounts."""

    symbols: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    value: str
    start: int
    end: int


@dataclass
class Spans:
    """Everything read from one sentence, in the order it occurs."""

    text: str
    masked: str  # the text with addresses, hashes and ENS names blanked out
    addresses: list[Span] = field(default_factory=list)
    hashes: list[Span] = field(default_factory=list)
    ens: list[Span] = field(default_factory=list)
    amounts: list[Span] = field(default_factory=list)  # value: a plain decimal string
    assets: list[Span] = field(default_factory=list)  # value: an upper-case symbol
    chain: str | None = None
    names: list[Span] = field(default_factory=list)  # the wallet's names, as written

    def first_asset_after(self, pos: int) -> Span | None:
        return next((a for a in self.assets if a.start >= pos), None)


def _blank(text: str, spans: list[Span]) -> str:
    chars = list(text)
    for s in spans:
        chars[s.start : s.end] = " " * (s.end - s.start)
    return "".join(chars)


def _decimal(raw: str, suffix: str | None) -> str | None:
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None
    if suffix:
        value *= 1000 if suffix.lower() == "k" else 1_000_000
    return format(value.normalize(), "f")


def read_spans(text: str, wallet: WalletWords | None = None) -> Spans:
    wallet = wallet or WalletWords()
    hashes = [Span(m.group(), m.start(), m.end()) for m in HASH_RE.finditer(text)]
    addresses = [Span(m.group(), m.start(), m.end()) for m in ADDRESS_RE.finditer(text)]
    ens = [Span(m.group().lower(), m.start(), m.end()) for m in ENS_RE.finditer(text)]
    masked = _blank(text, hashes + addresses + ens)
    out = Spans(text, masked, addresses, hashes, ens)
    for m in _NUMBER_RE.finditer(masked):
        value = _decimal(m.group("num"), m.group("suffix"))
        if value is not None:
            out.amounts.append(Span(value, m.start(), m.end()))
    symbols = KNOWN_SYMBOLS | {s.upper() for s in wallet.symbols}
    after_amount = {a.end for a in out.amounts}
    for m in _WORD_RE.finditer(masked):
        word = m.group()
        low = word.lower()
        if low in NUMBER_WORDS and not any(a.start <= m.start() < a.end for a in out.amounts):
            out.amounts.append(Span(str(NUMBER_WORDS[low]), m.start(), m.end()))
            continue
        symbol = SYMBOL_ALIASES.get(low, word.upper())
        # An unknown symbol counts only written in capitals right after an amount ("40 FOO").
        unknown_ok = word.isupper() and len(word) >= 2 and m.start() - 1 in after_amount
        if symbol in symbols or low in SYMBOL_ALIASES or unknown_ok:
            out.assets.append(Span(symbol, m.start(), m.end()))
    out.amounts.sort(key=lambda s: s.start)
    for m in _CHAIN_RE.finditer(masked):
        word = (m.group("a") or m.group("b") or "").lower()
        if word in CHAIN_ALIASES:
            out.chain = CHAIN_ALIASES[word]
            break
    low_masked = masked.lower()
    for name in sorted(wallet.names, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w.-]){re.escape(name.lower())}(?![\w-])", low_masked):
            out.names.append(Span(text[m.start() : m.end()], m.start(), m.end()))
    return out


def occurs(text: str, value: str) -> bool:
    """``value`` occurs in ``text`` as whole words (letter case aside)."""
    if not value.strip():
        return False
    pattern = rf"(?<![\w.-]){re.escape(value.strip())}(?![\w-]|\.\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None
