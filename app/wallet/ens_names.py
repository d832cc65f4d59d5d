"""Primary ENS names of the addresses in the history, for showing only: cached in memory per
(chain, address) for a while, verified forward (``ens.reverse``), and silent on any failure
(the bare address is shown). A network without ENS (no code at the registry's address) is
remembered as such, so its history costs one call, not one per address."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from app.wallet import ens
from app.wallet.addresses import short
from app.wallet.chain import ChainClient

log = logging.getLogger(__name__)

TTL_S = 3600.0  # a name changes rarely; an hour-old answer is fine for a label
MAX_ENTRIES = 4096
RETRY_S = 60.0  # after a failed check for the registry
MAX_LOOKUPS = 200  # per call: a long history is named a page at a time, never all at once


class ReverseNames:
    """``names(client, addresses)`` -> {address: name} for those with a verified name."""

    def __init__(
        self,
        *,
        ttl_s: float = TTL_S,
        registry: str = ens.ENS_REGISTRY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.registry = registry
        self._clock = clock
        self._cache: dict[tuple[int, str], tuple[float, str | None]] = {}
        self._ens_on: dict[int, tuple[float, bool]] = {}  # chain id -> (until, has ENS)
        self._lock = threading.Lock()

    def name(self, client: ChainClient, address: str) -> str | None:
        return self.names(client, [address]).get(address)

    def names(self, client: ChainClient, addresses: Iterable[str]) -> dict[str, str]:
        chain = client.chain_id
        if not self._has_ens(client):
            return {}
        found: dict[str, str] = {}
        looked_up = 0
        for address in dict.fromkeys(a for a in addresses if isinstance(a, str) and a):
            key = (chain, address.lower())
            now = self._clock()
            with self._lock:
                hit = self._cache.get(key)
            if hit is None or hit[0] <= now:
                if looked_up >= MAX_LOOKUPS:
                    continue
                looked_up += 1
                hit = (now + self.ttl_s, self._lookup(client, address))
                with self._lock:
                    if len(self._cache) >= MAX_ENTRIES:
                        self._cache.clear()
                    self._cache[key] = hit
            if hit[1]:
                found[address] = hit[1]
        return found

    def _has_ens(self, client: ChainClient) -> bool:
        """Whether the network has an ENS registry (its code at the registry's address)."""
        now = self._clock()
        with self._lock:
            known = self._ens_on.get(client.chain_id)
        if known is not None and known[0] > now:
            return known[1]
        try:
            has, ttl = _has_code(client, self.registry), self.ttl_s
        except Exception as exc:  # unreachable now: ask again soon, show bare addresses
            log.debug("could not tell whether the network has ENS: %s", type(exc).__name__)
            has, ttl = False, RETRY_S
        with self._lock:
            self._ens_on[client.chain_id] = (now + ttl, has)
        return has

    def _lookup(self, client: ChainClient, address: str) -> str | None:
        try:
            return ens.reverse(client, address, registry=self.registry)
        except Exception as exc:  # a label is never worth a failure: show the address
            log.debug("no ENS name for a history address: %s", type(exc).__name__)
            return None


def _has_code(client: ChainClient, address: str) -> bool:
    return bool(client.run("reading code", lambda: client.w3.eth.get_code(address)))  # type: ignore[arg-type]


def labelled(address: str, name: str | None) -> str:
    """``vitalik.eth (0xd8dA…6045)``, or the short address when there is no name."""
    return f"{name} ({short(address)})" if name else short(address)
