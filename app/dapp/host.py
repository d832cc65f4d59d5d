"""The provider as one unlocked session of the app runs it: ``start(approval)`` attaches a
provider made with the app's approval port to the socket, ``stop()`` (lock, quit) takes it
away again.

The app hands in its ``ProviderSocket``, which stays up while locked (``listener.py``); a
host without one (a test, a script) opens a socket of its own and closes it on ``stop``.
A port another program holds is a ``NetworkError`` that says so and what to do; the app
shows it and keeps running without the provider."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.dapp.approval import ApprovalPort
from app.dapp.listener import ProviderSocket
from app.dapp.provider import DappProvider

log = logging.getLogger(__name__)


class ProviderHost:
    """``start(approval)`` answers sites on 127.0.0.1 and returns the port; ``stop()`` ends
    this session's answers."""

    def __init__(
        self,
        make_provider: Callable[[ApprovalPort], DappProvider],
        token: Callable[[], str],
        port: Callable[[], int],
    ) -> None:
        self._make_provider = make_provider
        self._token = token
        self._port = port
        self._guard = threading.Lock()
        self._socket: ProviderSocket | None = None
        self._own_socket = False
        self.provider: DappProvider | None = None

    @property
    def port(self) -> int | None:
        """The bound port while this session's provider answers, else None."""
        socket = self._socket
        return socket.port if socket is not None and self.provider is not None else None

    def start(self, approval: ApprovalPort, socket: ProviderSocket | None = None) -> int:
        with self._guard:
            if self._socket is not None and self.provider is not None:
                port = self._socket.port
                if port is not None:
                    return port
            provider = self._make_provider(approval)
            own = socket is None
            target = socket if socket is not None else ProviderSocket()
            try:
                port = target.attach(provider, self._token(), int(self._port()))
            except Exception:
                if own:
                    target.close()
                raise
            self._socket, self._own_socket, self.provider = target, own, provider
            return port

    def stop(self) -> None:
        with self._guard:
            socket, own, provider = self._socket, self._own_socket, self.provider
            self._socket, self.provider = None, None
        if socket is None:
            return
        if own:
            socket.close()
        else:
            socket.detach(provider)
            log.info("dapp provider locked")
