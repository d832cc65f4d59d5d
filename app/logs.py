"""Logging that never writes a secret.

Every handler Warden installs carries ``RedactingFilter``, and so does the root logger's
``lastResort``-style stderr path through ``setup_logging``. Before a record is formatted it is
scrubbed of:

- secrets registered when they are loaded or typed (``register_secret``: the wallet registers
  keys and phrases; the store registers every ``Secret`` row it builds or loads), in any case
  and with or without ``0x``;
- anything shaped like a private key next to a word such as "key" or "secret";
- a run of 12 or more BIP-39 words (every wordlist eth-account ships), however it is spaced,
  numbered or punctuated.

The message, its arguments, the exception traceback and the stack are all scrubbed.

The log file is plaintext, so the handlers also scrub what is personal without being secret
(``scrub_for_log``), at every level, ``-v`` and crash reports included: every hex literal
(addresses, transaction hashes, calldata, a node's hex quantities), long bare hex runs,
decimal fractions and long integers (amounts, balances, block numbers), ``.eth`` names, and
the names the store registers (contacts, account names, labels: ``register_personal``).
What a person needs for support is in the encrypted store, not here. The loggers that would
write request bodies or SQL parameters (web3, SQLAlchemy, websockets) are held at WARNING.
User-facing messages go through ``redact`` only: a person sees their own address in an error.
"""

from __future__ import annotations

import importlib.util
import logging
import logging.handlers
import os
import re
import sys
import threading
from pathlib import Path
from types import TracebackType

from app.config import default_paths
from app.fileio import private_dir, private_file

REDACTED = "[REDACTED]"
_MIN_SECRET = 8
_PHRASE_MIN_WORDS = 12

_registered: set[str] = set()
_personal: set[str] = set()
_personal_re: re.Pattern[str] | None = None
_MIN_PERSONAL = 2
_lock = threading.Lock()
_wordlist: frozenset[str] | None = None

# 64 hex digits (0x optional) after words like "key"/"secret"/"private" is a private key.
_KEY_NEAR_WORD = re.compile(
    r"(?i)((?:private|secret|key|seed|mnemonic)[^\n]{0,40}?)(0x)?[0-9a-f]{64}(?![0-9a-f])"
)
_WORD = re.compile(r"\w+")
# What may sit between two words of a written-down phrase: spaces, commas, numbering, quotes.
_GAP = re.compile(r"[\s,.;:'\"()\[\]\d#-]*")


def _bip39_words() -> frozenset[str]:
    """Every BIP-39 wordlist shipped with eth-account, read without importing eth-account."""
    global _wordlist
    if _wordlist is None:
        words: set[str] = set()
        spec = importlib.util.find_spec("eth_account")
        if spec is not None and spec.origin is not None:
            folder = Path(spec.origin).parent / "hdaccount" / "wordlist"
            for f in folder.glob("*.txt"):
                words.update(w.strip().lower() for w in f.read_text("utf-8").splitlines())
        words.discard("")
        _wordlist = frozenset(words)
    return _wordlist


def register_secret(value: str) -> None:
    """Make sure ``value`` (and its 0x-less and lower-case forms) never appears in a log."""
    if not value or len(value.strip()) < _MIN_SECRET:
        return
    forms = {value, value.strip(), value.lower()}
    if value.lower().startswith("0x"):
        forms.add(value[2:])
        forms.add(value[2:].lower())
    phrase = " ".join(value.split())
    if phrase != value:
        forms.add(phrase)
    with _lock:
        _registered.update(f for f in forms if len(f) >= _MIN_SECRET)


# Personal data by shape. A hex literal of any length (a pointer in a repr goes too); hex runs
# long enough to be a hash or an address without 0x; fractions not inside a dotted run (so
# 127.0.0.1 and 3.11.2 stay); integers of six or more digits; ENS-style names.
_PERSONAL_SHAPES = re.compile(
    r"0[xX][0-9a-fA-F]+"
    r"|(?<![0-9a-zA-Z])[0-9a-fA-F]{32,}(?![0-9a-zA-Z])"
    r"|(?<![\d.,])\d++[.,]\d++(?![.,]\d)"
    r"|(?<![\d.,])\d{1,3}(?:[,'\u00a0\u202f]\d{3})+(?![\d])"
    r"|(?<!\d)\d{6,}(?!\d)"
    r"|\b[\w-]+\.eth\b",
    re.IGNORECASE,
)


def register_personal(value: str) -> None:
    """Keep ``value`` (a contact's or an account's name, a label) out of every log line,
    as a whole word, in any case."""
    global _personal_re
    value = " ".join(str(value).split())
    if len(value) < _MIN_PERSONAL:
        return
    with _lock:
        if value.lower() in _personal:
            return
        _personal.add(value.lower())
        words = sorted(_personal, key=len, reverse=True)
        _personal_re = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
        )


def scrub_for_log(text: str) -> str:
    """``redact`` plus everything personal: what the log file may hold."""
    if not text:
        return text
    text = redact(text)
    with _lock:
        names = _personal_re
    if names is not None:
        text = names.sub(REDACTED, text)
    return _PERSONAL_SHAPES.sub(REDACTED, text)


def _redact_phrases(text: str) -> str:
    words = _bip39_words()
    if not words:
        return text
    spans: list[tuple[int, int]] = []
    run_start = run_end = -1
    count = 0
    for m in _WORD.finditer(text):
        token = m.group().lower()
        joined = count > 0 and _GAP.fullmatch(text, run_end, m.start()) is not None
        if token in words:
            if joined:
                count += 1
            else:
                if count >= _PHRASE_MIN_WORDS:
                    spans.append((run_start, run_end))
                run_start, count = m.start(), 1
            run_end = m.end()
        elif token.isdigit() and joined:
            continue  # "1. abandon 2. ability": numbering inside a phrase
        else:
            if count >= _PHRASE_MIN_WORDS:
                spans.append((run_start, run_end))
            count = 0
    if count >= _PHRASE_MIN_WORDS:
        spans.append((run_start, run_end))
    for start, end in reversed(spans):
        text = text[:start] + REDACTED + text[end:]
    return text


def redact(text: str) -> str:
    if not text:
        return text
    with _lock:
        secrets = sorted(_registered, key=len, reverse=True)
    lowered = text.lower()
    for s in secrets:
        if s.lower() in lowered:
            text = re.sub(re.escape(s), REDACTED, text, flags=re.IGNORECASE)
            lowered = text.lower()
    text = _KEY_NEAR_WORD.sub(lambda m: m.group(1) + REDACTED, text)
    return _redact_phrases(text)


class RedactingFilter(logging.Filter):
    """Scrubs a record before any handler formats it: secrets, and (``personal``, the
    default) everything ``scrub_for_log`` removes."""

    def __init__(self, *, personal: bool = True) -> None:
        super().__init__()
        self._scrub = scrub_for_log if personal else redact

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw template only
            message = str(record.msg)
        record.msg = self._scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self._scrub(record.stack_info)
        return True


# Loggers whose DEBUG/INFO lines carry request bodies, responses or SQL with its parameters.
QUIET_LOGGERS = (
    "web3",
    "sqlalchemy",
    "websockets",
    "urllib3",
    "httpx",
    "httpcore",
    "aiohttp",
    "filelock",  # not personal, but a line per acquire
)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens, the first and each one after a rollover, is owner-only."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def _redacting_excepthook(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """An exception that escapes everything is logged (scrubbed), never printed raw."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("warden").critical("uncaught exception", exc_info=(kind, value, tb))


def _redacting_thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    logging.getLogger("warden").critical(
        "uncaught exception in a thread",
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
    )


def setup_logging(*, verbose: bool = False, log_dir: Path | None = None) -> Path:
    """Log to a rotating file in the log folder (owner-only) and warnings to stderr."""
    log_dir = private_dir(log_dir or default_paths().log_dir)
    path = log_dir / "warden.log"
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_warden", False):
            root.removeHandler(h)
            h.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = _PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=3)
    for old in (path, *log_dir.glob("warden.log.*")):  # older versions' files, rotated ones
        private_file(old)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for h in (file_handler, console):
        h.setFormatter(fmt)
        h.addFilter(RedactingFilter())
        setattr(h, "_warden", True)  # noqa: B010 (marks our own handlers for replacement)
        root.addHandler(h)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in QUIET_LOGGERS:  # -v too: their detail is the user's data
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)  # warnings.warn text goes through the same filter
    sys.excepthook = _redacting_excepthook
    threading.excepthook = _redacting_thread_excepthook
    return path
