"""The provider as the app runs it: the server on its own event loop in a thread, started
after unlocking with the app's approval port, stopped on lock and quit, restartable.

A port another program holds is a ``NetworkError`` that says so and what to do; the app shows
it and keeps running without the provider."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from app.dapp.approval import ApprovalPort
from app.dapp.provider import DappProvider
from app.dapp.server import ProviderServer, ServerOptions
from app.errors import NetworkError

log = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0


class ProviderHost:
    """``start(approval)`` listens on 127.0.0.1 and returns the port; ``stop()`` closes it."""

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
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: ProviderServer | None = None
        self.provider: DappProvider | None = None

    @property
    def port(self) -> int | None:
        """The bound port while running, else None."""
        server = self._server
        return server.port if server is not None else None

    def start(self, approval: ApprovalPort) -> int:
        with self._guard:
            if self._server is not None:
                return self._server.port
            port = int(self._port())
            provider = self._make_provider(approval)
            server = ProviderServer(provider, ServerOptions(port=port, token=self._token()))
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="dapp-provider", daemon=True)
            thread.start()
            try:
                asyncio.run_coroutine_threadsafe(server.start(), loop).result(START_TIMEOUT_S)
            except OSError:
                _close_loop(loop, thread, server)
                raise NetworkError(
                    f"Port {port} on 127.0.0.1 is taken; the dapp provider did not start.",
                    hint="Close the program that uses it (another Warden or Frame?), or choose "
                    "another dapp provider port in Settings and lock and unlock Warden.",
                ) from None
            except Exception:
                _close_loop(loop, thread, server)
                raise
            self._loop, self._thread, self._server = loop, thread, server
            self.provider = provider
            return server.port

    def stop(self) -> None:
        with self._guard:
            loop, thread, server = self._loop, self._thread, self._server
            self._loop = self._thread = self._server = None
            self.provider = None
        if loop is not None and thread is not None and server is not None:
            _close_loop(loop, thread, server)
            log.info("dapp provider stopped")


def _close_loop(
    loop: asyncio.AbstractEventLoop, thread: threading.Thread, server: ProviderServer
) -> None:
    try:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(STOP_TIMEOUT_S)
    except Exception:
        log.warning("the dapp provider did not stop cleanly", exc_info=True)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(STOP_TIMEOUT_S)
    if not thread.is_alive():
        loop.close()
