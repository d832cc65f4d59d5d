"""The review's outcome as the core sees it: the signing step accepts only a request that
carries one, computed for exactly that request.

The review itself (decoders, rules, facts, explanations) lives in ``delegates.tx_review``;
the core states what it needs as the ``Reviewer`` port.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Verdict = Literal["safe", "caution", "danger"]
Severity = Literal["info", "caution", "danger"]

VERDICT_RANK: dict[str, int] = {"info": 0, "safe": 0, "caution": 1, "danger": 2}

# The typed confirmation a user must enter to sign a request whose verdict is danger.
DANGER_CONFIRMATION = "I understand the risk"


# Strings at least this long are hashed on their own and enter the canonical JSON as their
# digest: a 4 MB message costs one pass of SHA-256 instead of JSON escaping, lower-casing
# and encoding the whole text. Ordinary requests have no such string: their digest is the
# hash of the canonical JSON, as it always was.
_BIG_STRING = 1 << 16
# What stands for a hashed string. A request's own string that reads like one (in any case)
# is hashed as well, so that no short string can pose as the stand-in for a long one.
_HASHED = "\x00sha256:"


def request_digest(request: dict[str, Any]) -> str:
    """A stable fingerprint of a request (method, chain, from, params) to bind a review to it.

    Insensitive to key order and to ASCII case (checksummed and lower-case addresses are one
    request); linear in the size of the request.
    """
    core = {k: _hash_big(request.get(k)) for k in ("method", "chain_id", "from", "params")}
    blob = json.dumps(core, sort_keys=True, separators=(",", ":"), default=str).lower()
    return hashlib.sha256(blob.encode()).hexdigest()


def _hash_big(value: Any) -> Any:
    """``value`` with every long string (and every string posing as a stand-in) replaced by
    the stand-in for its hash; the same object when there is none."""
    if isinstance(value, str):
        if len(value) < _BIG_STRING and value[: len(_HASHED)].lower() != _HASHED:
            return value
        # ASCII case folded as the JSON text is; lone surrogates hashed as they are
        data = value.encode("utf-8", "surrogatepass").lower()
        return _HASHED + hashlib.sha256(data).hexdigest()
    if isinstance(value, dict):
        changed = {k: new for k, v in value.items() if (new := _hash_big(v)) is not v}
        return {**value, **changed} if changed else value
    if isinstance(value, list | tuple):
        items = [_hash_big(v) for v in value]
        if any(new is not old for new, old in zip(items, value, strict=True)):
            return items
    return value


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "detail": self.detail}


@dataclass(frozen=True)
class ReviewOutcome:
    verdict: Verdict
    findings: tuple[Finding, ...]
    summary: str
    request_digest: str
    id: str | None = None
    decoded: dict[str, Any] = field(default_factory=dict)
    simulation: dict[str, Any] | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "verdict": self.verdict,
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary,
        }
        return out


class Reviewer(Protocol):
    """Port: reviews a request (EIP-1193 shape, as in shared/spec/review-cases.md)."""

    def review(self, request: dict[str, Any]) -> ReviewOutcome: ...
