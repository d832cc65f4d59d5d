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


def request_digest(request: dict[str, Any]) -> str:
    """A stable fingerprint of a request (method, chain, from, params) to bind a review to it."""
    core = {k: request.get(k) for k in ("method", "chain_id", "from", "params")}
    blob = json.dumps(core, sort_keys=True, separators=(",", ":"), default=str).lower()
    return hashlib.sha256(blob.encode()).hexdigest()


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
