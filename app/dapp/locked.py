"""What the provider's socket answers while Warden is locked: exactly what a site that is not
connected gets while Warden is unlocked, so that no page learns the lock state.

It is the same ``DappProvider`` (same dispatch, same checks in the same order) over a view
that knows no connected site, no account and no node: ``eth_accounts`` is ``[]``,
``wallet_getPermissions`` is ``[]``, whatever needs a connection is 4100, and the chain id is
the one the unlocked provider answered last (``ProviderSocket`` remembers it). Only
``eth_requestAccounts`` (and ``wallet_requestPermissions``) differs in what happens, never in
what the page sees: Warden comes to the front asking to be unlocked, and once it is, the
unlocked provider shows the usual connect prompt; a page waits for that as it waits for the
prompt while unlocked. Not unlocked in time: the page gets 4001, as if the user closed the
prompt. Anything that would need the store fails closed with 4100."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from app.dapp.approval import Decision, SigningPrompt
from app.dapp.permissions import Connection, Permissions
from app.dapp.provider import DappProvider
from app.dapp.rpc_errors import DISCONNECTED, ProviderRpcError, rejected, unauthorized
from app.errors import NetworkError
from app.wallet.chain import ChainClient

log = logging.getLogger(__name__)

# How long a site's connect request waits for the user to unlock Warden (the connect prompt
# itself then waits as long as it does while unlocked).
UNLOCK_WAIT_S = 300.0


class LockedProvider(DappProvider):
    """``wake()`` asks the user to unlock; ``wait_unlocked(timeout)`` returns the unlocked
    provider, or None when Warden stayed locked."""

    def __init__(
        self,
        chain_id: int,
        wake: Callable[[], None],
        wait_unlocked: Callable[[float], DappProvider | None],
        *,
        unlock_wait_s: float = UNLOCK_WAIT_S,
    ) -> None:
        super().__init__(_NoStore(), _NoChains(), _no_reviewer, _NoApproval(), chain_id=chain_id)
        self.permissions = _NoConnections(self.store)
        self._wake = wake
        self._wait_unlocked = wait_unlocked
        self.unlock_wait_s = unlock_wait_s

    def permissions_changed(self, origin: str) -> None:
        return None  # nothing is connected while locked

    def eth_request_accounts(self, origin: str, params: Any) -> list[str]:
        with self._lock(origin):  # one wake-up per site at a time, as one prompt per site
            try:
                self._wake()
            except Exception:  # the page must not see a failure the unlocked app would not have
                log.exception("asking the user to unlock for a site failed")
            unlocked = self._wait_unlocked(self.unlock_wait_s)
        if unlocked is None:
            raise rejected()
        return unlocked.eth_request_accounts(origin, params)


class _NoConnections(Permissions):
    """No site is connected while locked (the list is in the encrypted store)."""

    def get(self, origin: str) -> Connection | None:
        return None

    def all(self) -> list[Connection]:
        return []

    def revoke(self, origin: str) -> bool:
        return False


class _NoStore:
    """The store is closed: any use answers as for a site that is not connected."""

    @contextmanager
    def session(self) -> Iterator[Any]:
        raise unauthorized()
        yield  # pragma: no cover - a generator for contextmanager


class _NoChains:
    def names(self) -> dict[int, str]:
        return {}

    def client(self, chain_id: int) -> ChainClient:
        raise NetworkError("Warden is locked.")


def _no_reviewer(_client: ChainClient) -> NoReturn:
    raise ProviderRpcError(DISCONNECTED, "Warden cannot review this now.")


class _NoApproval:
    """Nobody to ask while locked: every question is a no."""

    def connect(self, origin: str, accounts: list[str], lookalike: str | None) -> list[str]:
        return []

    def review(self, prompt: SigningPrompt) -> Decision:
        return Decision(False)

    def switch_chain(self, origin: str, chain_id: int, name: str) -> bool:
        return False

    def add_chain(self, origin: str, chain_id: int, name: str, rpc_url: str, symbol: str) -> bool:
        return False
