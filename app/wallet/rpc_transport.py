"""HTTP for JSON-RPC with one deadline per call and a cap on the answer's size.

requests' timeout applies to each socket read, so a node that drips one byte a second holds a
call for as long as it likes, and a body is read whole however large it is. Here every POST
gets an absolute deadline: a timer shuts the call's socket down when it passes (that wakes a
read blocked inside the HTTP client, even while the status line or the headers are dripping),
and the body is streamed and refused as soon as it passes ``max_bytes`` (at once when the
declared Content-Length does).

The sockets are found through connection classes that note themselves on the calling
thread's current call; connections stay pooled (keep-alive) as usual.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from web3 import HTTPProvider
from web3._utils.http_session_manager import HTTPSessionManager

DEFAULT_DEADLINE_S = 10.0
# eth_getLogs over a scan window and full blocks stay well below this on public chains.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024
# JSON's parser recurses in C: a body of 200,000 '[' can overflow the stack and kill the
# process. No answer the wallet reads nests this deep (a call trace ~100 frames deep does;
# it is then not read, and the review goes without a simulation).
MAX_NESTING = 200


class ResponseTooLarge(requests.exceptions.RequestException):
    """The node's answer is larger than the cap; it was not read whole."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"answer larger than {limit} bytes")
        self.limit = limit


class DeadlinePassed(requests.exceptions.Timeout):
    """The call's overall deadline passed before the whole answer arrived."""


class AnswerTooDeep(ValueError):
    """The answer nests lists and objects deeper than any JSON-RPC result the wallet reads."""


_current = threading.local()


class _Call:
    """One POST: the sockets it uses and whether its deadline has passed. Sockets, not
    connections: http.client drops a connection's socket as soon as the headers say
    "Connection: close", while the body is still being read from it."""

    def __init__(self) -> None:
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def attach(self, conn: HTTPConnection) -> None:
        sock = getattr(conn, "sock", None)
        if sock is None:
            return  # not connected yet: connect() notes it
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        # socket.socket's own shutdown, also for an SSLSocket: it wakes a blocked read
        # without tearing down the TLS object under the reading thread.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _note(conn: HTTPConnection) -> None:
    call = getattr(_current, "call", None)
    if call is not None:
        call.attach(conn)


class _NotedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _note(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _note(self)  # a pooled connection is already connected
        super().request(*args, **kwargs)


class _NotedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _note(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _note(self)
        super().request(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _NotedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _NotedHTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _NotingAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def bounded_session() -> requests.Session:
    session = requests.Session()
    adapter = _NotingAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def post(
    session: requests.Session,
    url: str,
    data: bytes | dict[str, Any],
    *,
    deadline_s: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
) -> bytes:
    """POST and return the body, within ``deadline_s`` in all and at most ``max_bytes``."""
    return _bounded(
        lambda timeout: session.post(
            url, data=data, headers=headers, timeout=timeout, stream=True, allow_redirects=False
        ),
        deadline_s=deadline_s,
        max_bytes=max_bytes,
    )


def get(
    session: requests.Session,
    url: str,
    params: dict[str, str],
    *,
    deadline_s: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
) -> bytes:
    """GET (an explorer's API) with the same deadline and cap as ``post``."""
    return _bounded(
        lambda timeout: session.get(
            url, params=params, headers=headers, timeout=timeout, stream=True, allow_redirects=False
        ),
        deadline_s=deadline_s,
        max_bytes=max_bytes,
    )


def _bounded(
    send: Callable[[tuple[float, float]], requests.Response], *, deadline_s: float, max_bytes: int
) -> bytes:
    end = time.monotonic() + deadline_s
    call = _Call()
    timer = threading.Timer(deadline_s, call.expire)
    timer.daemon = True
    previous = getattr(_current, "call", None)
    _current.call = call
    timer.start()
    try:
        # A server that sends us elsewhere is not followed (allow_redirects=False above).
        response = send((deadline_s, deadline_s))
        with response:
            if not 200 <= response.status_code < 300:
                raise requests.exceptions.HTTPError(
                    f"HTTP status {response.status_code}", response=response
                )
            declared = _content_length(response)
            if declared is not None and declared > max_bytes:
                raise ResponseTooLarge(max_bytes)
            body = bytearray()
            for chunk in response.iter_content(CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise ResponseTooLarge(max_bytes)
                if time.monotonic() > end:
                    raise DeadlinePassed(f"no whole answer within {deadline_s:g} s")
            return bytes(body)
    except ResponseTooLarge:
        raise
    except Exception as exc:
        if call.expired or time.monotonic() > end:
            # the timer cut the socket: whatever broke, the reason is the deadline
            raise DeadlinePassed(f"no whole answer within {deadline_s:g} s") from None
        if isinstance(exc, requests.exceptions.RequestException):
            raise
        raise requests.exceptions.ConnectionError(type(exc).__name__) from None
    finally:
        timer.cancel()
        _current.call = previous


def _content_length(response: requests.Response) -> int | None:
    text = response.headers.get("Content-Length")
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None  # a nonsense header: the streaming cap still holds


class _BoundedSessionManager(HTTPSessionManager):
    def __init__(self, *, deadline_s: float, max_bytes: int) -> None:
        super().__init__()
        self.deadline_s = deadline_s
        self.max_bytes = max_bytes
        self.session = bounded_session()

    def make_post_request(
        self, endpoint_uri: Any, data: bytes | dict[str, Any], **kwargs: Any
    ) -> bytes:
        return post(
            self.session,
            str(endpoint_uri),
            data,
            deadline_s=self.deadline_s,
            max_bytes=self.max_bytes,
            headers=kwargs.get("headers"),
        )


class BoundedHTTPProvider(HTTPProvider):
    """web3's HTTPProvider with one deadline per JSON-RPC call and a cap on each answer."""

    def __init__(
        self,
        url: str,
        *,
        deadline_s: float = DEFAULT_DEADLINE_S,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        # No automatic retries: a dead node should say so at once, and the user retries later.
        super().__init__(url, exception_retry_configuration=None)
        self.deadline_s = deadline_s
        self.max_bytes = max_bytes
        # web3 sends single and batch requests through its session manager's
        # make_post_request; this one streams with the cap and the deadline.
        self._request_session_manager = _BoundedSessionManager(
            deadline_s=deadline_s, max_bytes=max_bytes
        )

    def decode_rpc_response(self, raw_response: bytes) -> Any:  # type: ignore[override]
        if too_deep(raw_response):
            raise AnswerTooDeep(f"nested deeper than {MAX_NESTING}")
        return super().decode_rpc_response(raw_response)


_OPENS_CLOSES = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
_STEP[ord("(")], _STEP[ord(")")] = 1, -1
QUICK_PASSES = 8


def too_deep(body: bytes, limit: int = MAX_NESTING) -> bool:
    """Whether JSON nests deeper than ``limit``: no recursion, only passes in C.

    Brackets inside strings count too (a node's answers are numbers and hex; at worst an
    answer with hundreds of open brackets in its text is refused). A usual answer is a few
    levels deep and is cleared by removing the innermost pairs a few times; anything else
    gets one linear running count."""
    if body.count(b"[") + body.count(b"{") <= limit:  # the usual answer: too few brackets
        return False
    brackets = body.translate(_OPENS_CLOSES, _NOT_BRACKETS)
    rest = brackets
    for _ in range(QUICK_PASSES):
        inner = rest.replace(b"()", b"")
        if not inner:
            return False
        if inner == rest:
            break
        rest = inner
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit
