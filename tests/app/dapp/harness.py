"""A running provider for the tests: a real encrypted store holding anvil's test phrase, a
real anvil node as its network, the real review, and the real aiohttp server on a free
loopback port in a thread of its own.

The one stand-in is ``ScriptedApproval``: it plays the user's clicks in the approval dialog
(connect, approve or reject a review) so that a test can say what the user answered."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.dapp.approval import Decision, SigningPrompt
from app.dapp.chains import StoreChains
from app.dapp.permissions import Permissions
from app.dapp.provider import DappProvider
from app.dapp.server import TOKEN_HEADER, ProviderServer, ServerOptions
from app.review_types import DANGER_CONFIRMATION
from app.store import Store
from app.wallet import accounts, networks
from app.wallet.chain import ChainClient
from tests.support.anvil import ANVIL_PHRASE, Anvil

PASSWORD = "dapp-test-password"  # noqa: S105
ORIGIN = "https://dapp.example"


@dataclass
class ScriptedApproval:
    """The user's answers: connect with all offered accounts (or none), approve reviews
    whose verdict is in ``approve`` (typing the danger words when ``type_danger``)."""

    connect_all: bool = True
    approve: tuple[str, ...] = ("safe", "caution")
    type_danger: bool = False
    allow_switch: bool = True
    allow_add: bool = True
    added: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    prompts: list[SigningPrompt] = field(default_factory=list)
    connects: list[tuple[str, str | None]] = field(default_factory=list)

    def connect(self, origin: str, offered: list[str], lookalike: str | None) -> list[str]:
        self.connects.append((origin, lookalike))
        return list(offered) if self.connect_all else []

    def review(self, prompt: SigningPrompt) -> Decision:
        self.prompts.append(prompt)
        verdict = prompt.review.verdict
        if verdict not in self.approve:
            return Decision(False)
        words = DANGER_CONFIRMATION if verdict == "danger" and self.type_danger else None
        return Decision(True, words)

    def switch_chain(self, origin: str, chain_id: int, name: str) -> bool:
        return self.allow_switch

    def add_chain(self, origin: str, chain_id: int, name: str, rpc_url: str, symbol: str) -> bool:
        self.added.append((origin, chain_id, name, rpc_url, symbol))
        return self.allow_add


def make_store(directory: Path, anvil: Anvil) -> Store:
    store = Store.throwaway(directory, password=PASSWORD)
    with store.session() as s:
        accounts.create_hd_wallet(s, ANVIL_PHRASE, name="Main")
        networks.add_network(s, "Anvil", anvil.chain_id, anvil.url)
    return store


def make_provider(store: Store, anvil: Anvil, approval: Any) -> DappProvider:
    from delegates.tx_review.review_source import review_source

    chains = StoreChains(
        store,
        lambda info: ChainClient.connect(info.rpc_url, info.chain_id, name=info.name, timeout=5),
    )
    return DappProvider(
        store,
        chains,
        lambda client: review_source(store, client, "ETH", client.chain_id),
        approval,
        chain_id=anvil.chain_id,
    )


class RunningServer:
    """The aiohttp server on its own event loop thread."""

    def __init__(self, provider: DappProvider, **options: Any) -> None:
        self.token = Permissions(provider.store).pairing_token()
        self.server = ProviderServer(provider, ServerOptions(port=0, token=self.token, **options))
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def post(
        self, body: Any, *, token: str | None = "", headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json"}
        if token is not None:
            all_headers[TOKEN_HEADER] = token or self.token
        all_headers.update(headers or {})
        req = urllib.request.Request(self.url, data=data, headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def call(self, method: str, *params: Any, origin: str = ORIGIN, **kw: Any) -> dict[str, Any]:
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": method,
            "params": list(params),
            "origin": origin,
        }
        _status, answer = self.post(body, **kw)
        return answer  # type: ignore[no-any-return]
