"""The chains a site can use: the networks in the store, each dialled once and kept."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from app.wallet import networks
from app.wallet.chain import ChainClient
from app.wallet.ports import SessionSource


class ChainSource(Protocol):
    def names(self) -> dict[int, str]:
        """chain id -> network name, for every network the user has."""
        ...

    def client(self, chain_id: int) -> ChainClient:
        """A connected client for ``chain_id`` (NetworkError when the node cannot be reached)."""
        ...


class StoreChains:
    """The store's networks; ``connect`` dials one (``networks.connect`` by default)."""

    def __init__(
        self,
        store: SessionSource,
        connect: Callable[[networks.NetworkInfo], ChainClient] = networks.connect,
    ) -> None:
        self.store = store
        self._connect = connect
        self._clients: dict[int, ChainClient] = {}
        self._lock = threading.Lock()

    def _networks(self) -> dict[int, networks.NetworkInfo]:
        with self.store.session() as s:
            found = networks.list_networks(s)
        out: dict[int, networks.NetworkInfo] = {}
        for n in found:
            out.setdefault(n.chain_id, n)
        return out

    def names(self) -> dict[int, str]:
        return {cid: n.name for cid, n in self._networks().items()}

    def client(self, chain_id: int) -> ChainClient:
        with self._lock:
            cached = self._clients.get(chain_id)
        if cached is not None:
            return cached
        info = self._networks().get(chain_id)
        if info is None:
            from app.errors import InvalidInput

            raise InvalidInput(f"No network with chain id {chain_id} is set up in Warden.")
        client = self._connect(info)
        with self._lock:
            return self._clients.setdefault(chain_id, client)
