"""The provider's socket: JSON-RPC over HTTP (POST /) and WebSocket (GET /ws) on 127.0.0.1.

What a request must pass before the provider sees it: a loopback Host header (a page on a
rebound DNS name is refused), the size and nesting caps, the rate limit, and the pairing
token for anything but ``eth_chainId`` and ``net_version``. The origin of a paired request is
the one the extension reports (the browser's own record of the tab, not the page's word).
The provider's methods block (they wait for the user), so they run on worker threads.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from app.dapp.limits import MAX_BATCH, MAX_BODY_BYTES, RateLimit, parse_body
from app.dapp.permissions import normalize_origin
from app.dapp.provider import DappProvider
from app.dapp.rpc_errors import INTERNAL_ERROR, INVALID_REQUEST, LIMIT_EXCEEDED, ProviderRpcError
from app.errors import InvalidInput

log = logging.getLogger(__name__)

DEFAULT_PORT = 1248
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
TOKEN_HEADER = "X-Warden-Token"  # noqa: S105 - a header name, not a secret
MAX_IN_FLIGHT = 32  # requests waiting for a worker or the user; more are refused at once
MAX_WATCHED = 256  # origins one socket may watch
WATCH_METHOD = "warden_watch"  # the extension: send me this origin's events
EVENT_METHOD = "warden_event"  # pushed: {origin, event, data}


@dataclass
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: str = ""
    rate: float = 20.0
    burst: int = 60
    workers: int = 4


class ProviderServer:
    def __init__(self, provider: DappProvider, options: ServerOptions) -> None:
        if options.host not in ("127.0.0.1", "::1"):
            raise ValueError("The dapp provider listens on loopback only.")
        if len(options.token) < 16:
            raise ValueError("The pairing token is missing or too short.")
        self.provider = provider
        self.options = options
        self.limit = RateLimit(options.rate, options.burst)
        self._pool = ThreadPoolExecutor(options.workers, thread_name_prefix="dapp")
        self._in_flight = 0
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # paired sockets, by the origins whose events they forward (accountsChanged, ...)
        self._watchers: dict[str, set[web.WebSocketResponse]] = {}
        self.port = options.port
        self._token_digest = token_digest(options.token)
        provider.subscribe(self._on_event)

    def set_provider(self, provider: DappProvider) -> None:
        """Answer with ``provider`` from now on (the app swaps the unlocked provider and the
        locked one; the socket stays up)."""
        provider.subscribe(self._on_event)
        self.provider = provider

    def set_token_digest(self, digest: bytes) -> None:
        """Pair with the token whose SHA-256 is ``digest`` (known while locked, from the
        socket's record, without knowing the token itself)."""
        if len(digest) != hashlib.sha256().digest_size:
            raise ValueError("A pairing token digest is 32 bytes.")
        self._token_digest = digest

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post("/", self._http)
        app.router.add_get("/ws", self._ws)
        return app

    async def start(self) -> int:
        """Listen; returns the bound port (useful with port 0)."""
        # a request still waiting for the user must not hold the shutdown for a minute
        self._loop = asyncio.get_running_loop()
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.options.host, self.options.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("dapp provider listening on loopback port %d", self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- events ----------------------------------------------------------------------------------
    def _on_event(self, origin: str, event: str, data: Any) -> None:
        """From any thread: push ``event`` to the paired sockets that watch ``origin``."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._push, origin, event, data)

    def _push(self, origin: str, event: str, data: Any) -> None:
        message = {
            "jsonrpc": "2.0",
            "method": EVENT_METHOD,
            "params": {"origin": origin, "event": event, "data": data},
        }
        for ws in list(self._watchers.get(origin, ())):
            if not ws.closed:
                asyncio.ensure_future(ws.send_json(message))

    def _watch(self, ws: web.WebSocketResponse, origin: Any) -> bool:
        try:
            key = normalize_origin(origin)
        except InvalidInput:
            return False
        watched = [o for o, sockets in self._watchers.items() if ws in sockets]
        if key not in watched and len(watched) >= MAX_WATCHED:
            return False
        self._watchers.setdefault(key, set()).add(ws)
        return True

    def _unwatch(self, ws: web.WebSocketResponse) -> None:
        for origin in list(self._watchers):
            self._watchers[origin].discard(ws)
            if not self._watchers[origin]:
                del self._watchers[origin]

    # -- checks ----------------------------------------------------------------------------------
    def _host_ok(self, request: web.Request) -> bool:
        host = request.headers.get("Host", "")
        name, _, port = host.rpartition(":") if not host.startswith("[") else (host, "", "")
        return name in LOOPBACK_HOSTS and port == str(self.port)

    def _paired(self, token: str | None) -> bool:
        if not token or len(token) > 256:
            return False
        return hmac.compare_digest(token_digest(str(token)), self._token_digest)

    # -- HTTP ------------------------------------------------------------------------------------
    async def _http(self, request: web.Request) -> web.Response:
        if not self._host_ok(request):
            return web.json_response({"error": "forbidden host"}, status=403)
        token = request.headers.get(TOKEN_HEADER)
        paired = self._paired(token)
        key = "paired" if paired else f"peer:{request.remote}"
        if not self.limit.allow(key):
            return _error_response(
                None, ProviderRpcError(LIMIT_EXCEEDED, "Too many requests."), 429
            )
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return _error_response(
                None, ProviderRpcError(LIMIT_EXCEEDED, "Request too large."), 413
            )
        try:
            body = await request.content.read(MAX_BODY_BYTES + 1)
            payload = parse_body(body)
        except ProviderRpcError as exc:
            return _error_response(None, exc, 400)
        fallback_origin = request.headers.get("Origin", "")
        answer = await self._answer(payload, paired, fallback_origin)
        return web.json_response(answer)

    async def _answer(self, payload: Any, paired: bool, fallback_origin: str) -> Any:
        if isinstance(payload, list):
            if not payload or len(payload) > MAX_BATCH:
                return _error(None, ProviderRpcError(INVALID_REQUEST, "Bad batch size."))
            return [await self._one(item, paired, fallback_origin) for item in payload]
        return await self._one(payload, paired, fallback_origin)

    async def _one(self, item: Any, paired: bool, fallback_origin: str) -> dict[str, Any]:
        if not isinstance(item, dict):
            return _error(None, ProviderRpcError(INVALID_REQUEST, "A request must be an object."))
        rid = item.get("id")
        if not isinstance(rid, int | str | None) or isinstance(rid, bool):
            rid = None
        origin = item.get("origin") if paired else fallback_origin
        if self._in_flight >= MAX_IN_FLIGHT:
            return _error(rid, ProviderRpcError(LIMIT_EXCEEDED, "Warden is busy; try again."))
        self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(
                self._pool,
                lambda: self.provider.handle(
                    str(origin or ""), item.get("method"), item.get("params"), paired=paired
                ),
            )
        except ProviderRpcError as exc:
            return _error(rid, exc)
        except Exception:  # a bug must not leak details to the site or stop the server
            log.exception("the dapp provider failed on a request")
            return _error(rid, ProviderRpcError(INTERNAL_ERROR, "Warden failed on this request."))
        finally:
            self._in_flight -= 1
        return {"jsonrpc": "2.0", "id": rid, "result": result}

    # -- WebSocket -------------------------------------------------------------------------------
    async def _ws(self, request: web.Request) -> web.StreamResponse:
        if not self._host_ok(request):
            return web.json_response({"error": "forbidden host"}, status=403)
        paired = self._paired(request.query.get("token") or request.headers.get(TOKEN_HEADER))
        key = "paired" if paired else f"peer:{request.remote}"
        ws = web.WebSocketResponse(max_msg_size=MAX_BODY_BYTES, heartbeat=30)
        await ws.prepare(request)
        fallback_origin = request.headers.get("Origin", "")
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                if not self.limit.allow(key):
                    await ws.send_json(
                        _error(None, ProviderRpcError(LIMIT_EXCEEDED, "Too many requests."))
                    )
                    continue
                try:
                    payload = parse_body(msg.data.encode("utf-8", "surrogatepass"))
                except ProviderRpcError as exc:
                    await ws.send_json(_error(None, exc))
                    continue
                if isinstance(payload, dict) and payload.get("method") == WATCH_METHOD:
                    await ws.send_json(self._watch_request(ws, payload, paired))
                    continue
                if paired and isinstance(payload, dict):
                    self._watch(ws, payload.get("origin"))  # its events follow its requests
                await ws.send_json(await self._answer(payload, paired, fallback_origin))
        finally:
            self._unwatch(ws)
        return ws

    def _watch_request(
        self, ws: web.WebSocketResponse, payload: dict[str, Any], paired: bool
    ) -> dict[str, Any]:
        """``warden_watch``: the extension asks for the events of a page's origin (paired
        sockets only: an unpaired page learns nothing of the user)."""
        rid = payload.get("id") if isinstance(payload.get("id"), int | str) else None
        if not paired:
            return _error(rid, ProviderRpcError(4100, "Pair the Warden extension first."))
        if not self._watch(ws, payload.get("origin")):
            return _error(rid, ProviderRpcError(INVALID_REQUEST, "Not an origin to watch."))
        return {"jsonrpc": "2.0", "id": rid, "result": True}


def token_digest(token: str) -> bytes:
    """SHA-256 of a pairing token: what the server compares (and what may be kept on disk)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def _error(rid: Any, exc: ProviderRpcError) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "error": exc.to_json()}


def _error_response(rid: Any, exc: ProviderRpcError, status: int) -> web.Response:
    return web.json_response(_error(rid, exc), status=status)
