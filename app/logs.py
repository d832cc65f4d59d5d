"""Logging that never writes a secret.

Every handler Warden installs carries ``RedactingFilter``: known secrets (registered when a key
or phrase is loaded) and anything shaped like a private key or a recovery phrase are replaced
before a record is formatted.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

from app.config import default_paths

_registered: set[str] = set()
_lock = threading.Lock()

# 0x-prefixed or bare 64-hex after words like "key"/"secret"/"private" is a private key.
_KEY_NEAR_WORD = re.compile(
    r"(?i)((?:private|secret|key|seed)[^\n]{0,40}?)(0x)?[0-9a-f]{64}(?![0-9a-f])"
)
# 12 to 24 lowercase words in a row looks like a recovery phrase.
_PHRASE = re.compile(r"\b(?:[a-z]{3,8} ){11,23}[a-z]{3,8}\b")
REDACTED = "[REDACTED]"


def register_secret(value: str) -> None:
    """Make sure ``value`` (and its 0x-less form) never appears in a log line."""
    if not value or len(value) < 8:
        return
    with _lock:
        _registered.add(value)
        if value.startswith("0x"):
            _registered.add(value[2:])


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_registered, key=len, reverse=True)
    for s in secrets:
        if s in text:
            text = text.replace(s, REDACTED)
    text = _KEY_NEAR_WORD.sub(lambda m: m.group(1) + REDACTED, text)
    return _PHRASE.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw template only
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def setup_logging(*, verbose: bool = False, log_dir: Path | None = None) -> Path:
    """Log to a rotating file in the log folder (owner-only) and warnings to stderr."""
    log_dir = log_dir or default_paths().log_dir
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / "warden.log"
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_warden", False):
            root.removeHandler(h)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3)
    path.chmod(0o600)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for h in (file_handler, console):
        h.setFormatter(fmt)
        h.addFilter(RedactingFilter())
        setattr(h, "_warden", True)  # noqa: B010 - marks our handlers for reconfiguration
        root.addHandler(h)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path
