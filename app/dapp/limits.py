"""What a request from a site may weigh: bytes, nesting and how often.

The process's recursion limit is raised (py_ecc does it on import), so ``json.loads`` of a
body of 100,000 '[' could overflow the C stack and take the app down: nesting is counted
before anything is parsed, with the same linear count the node's answers get
(``rpc_transport.too_deep``)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from app.dapp.rpc_errors import INVALID_REQUEST, LIMIT_EXCEEDED, PARSE_ERROR, ProviderRpcError
from app.wallet.rpc_transport import too_deep

MAX_BODY_BYTES = 1024 * 1024  # a typed-data request with a long message fits many times over
MAX_NESTING = 64  # EIP-712 structs nest a few levels; a batch or a call a few more
MAX_BATCH = 20


def parse_body(body: bytes) -> Any:
    """The JSON of a request body, or ProviderRpcError: too large, too deep, or not JSON."""
    if len(body) > MAX_BODY_BYTES:
        raise ProviderRpcError(
            LIMIT_EXCEEDED, f"The request is larger than {MAX_BODY_BYTES} bytes."
        )
    if too_deep(body, MAX_NESTING):
        raise ProviderRpcError(INVALID_REQUEST, f"The request nests deeper than {MAX_NESTING}.")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ProviderRpcError(PARSE_ERROR, "The request is not JSON.") from None


def parse_text(text: str, what: str) -> Any:
    """JSON inside a request (eth_signTypedData_v4 sends the typed data as a string)."""
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_BODY_BYTES or too_deep(raw, MAX_NESTING):
        raise ProviderRpcError(INVALID_REQUEST, f"The {what} is too large or nests too deep.")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ProviderRpcError(INVALID_REQUEST, f"The {what} is not JSON.") from None


class RateLimit:
    """A token bucket per key (the pairing token, or the peer when there is none): ``rate``
    requests a second on average, bursts up to ``burst``. Thread-safe; the table of keys is
    bounded so that many keys cannot grow it without end."""

    def __init__(self, rate: float = 20.0, burst: int = 60, max_keys: int = 1024) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if len(self._buckets) >= self.max_keys and key not in self._buckets:
                self._buckets.clear()  # forget idle keys rather than grow
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True
