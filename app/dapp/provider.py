"""The provider's methods (EIP-1193, EIP-2255 permissions, EIP-3326 chain switching), one
synchronous call per request: the server runs it on a worker thread.

A site sees nothing of the wallet until the user connects it (``eth_accounts`` is empty, the
signing methods answer 4100); a connected site's transactions and messages go through the
request pipeline with ``kind="dapp"`` and the site's origin, are reviewed, and reach a key
only after the approval port says yes for exactly that review."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.dapp import params as p
from app.dapp.approval import ApprovalPort, SigningPrompt
from app.dapp.chains import ChainSource
from app.dapp.permissions import Permissions, normalize_origin
from app.dapp.readonly import READ_ONLY, proxy
from app.dapp.rpc_errors import (
    CHAIN_DISCONNECTED,
    INTERNAL_ERROR,
    UNRECOGNIZED_CHAIN,
    ProviderRpcError,
    invalid_params,
    rejected,
    unauthorized,
    unsupported,
)
from app.errors import InvalidInput, NetworkError, ReviewRequired, TransactionFailed
from app.events import EventBus
from app.lookalike import lookalike_origin
from app.store.schema import Account, TrustedOrigin
from app.wallet.chain import ChainClient
from app.wallet.ports import SessionSource
from app.wallet.requests import RequestPipeline, ReviewSource
from app.wallet.transactions import GAS_MARGIN, BuiltTransaction

log = logging.getLogger(__name__)

# Answered for any caller, paired or not: they tell a page nothing about the user.
PUBLIC = frozenset({"eth_chainId", "net_version"})
REFUSED = {
    "eth_sign": "eth_sign asks for a blind signature over a raw hash; Warden never signs one.",
    "eth_signTransaction": "Warden signs and sends in one step (eth_sendTransaction).",
    "eth_sendRawTransaction": "Send transactions through eth_sendTransaction to be reviewed.",
}


class DappProvider:
    """``handle(origin, method, params)`` -> result, or ProviderRpcError for the site."""

    def __init__(
        self,
        store: SessionSource,
        chains: ChainSource,
        reviewer_for: Callable[[ChainClient], ReviewSource],
        approval: ApprovalPort,
        *,
        chain_id: int,
        bus: EventBus | None = None,
    ) -> None:
        self.store = store
        self.chains = chains
        self.reviewer_for = reviewer_for
        self.approval = approval
        self.default_chain_id = chain_id
        self.bus = bus
        self.permissions = Permissions(store)
        self._chain_of: dict[str, int] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._listeners: list[Callable[[str, str, Any], None]] = []

    # -- events (EIP-1193 accountsChanged / chainChanged, pushed by the server) -----------------
    def subscribe(self, listener: Callable[[str, str, Any], None]) -> None:
        """``listener(origin, event, data)`` for each change a connected page should hear."""
        self._listeners.append(listener)

    def _emit(self, origin: str, event: str, data: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(origin, event, data)
            except Exception:  # a closed socket must not fail the request that changed things
                log.exception("a dapp event listener failed")

    def permissions_changed(self, origin: str) -> None:
        """The user changed ``origin``'s connection in the app (limited or revoked it)."""
        self._emit(origin, "accountsChanged", self.eth_accounts(origin, []))

    # -- dispatch ------------------------------------------------------------------------------
    def handle(self, origin: str, method: Any, params: Any, *, paired: bool = True) -> Any:
        if not isinstance(method, str) or not method or len(method) > 64:
            raise ProviderRpcError(-32600, "The request has no method name.")
        if params is None:
            params = []
        if not isinstance(params, list | dict):
            raise invalid_params("params must be a list.")
        if method in PUBLIC:
            return self._public(origin, method)
        if not paired:
            raise unauthorized("Pair the Warden extension with the app first.")
        try:
            origin = normalize_origin(origin)
        except InvalidInput as exc:
            raise unauthorized(str(exc)) from None
        if method in REFUSED:
            raise ProviderRpcError(4200, REFUSED[method])
        handler = _METHODS.get(method)
        if handler is not None:
            return getattr(self, handler)(origin, params)
        if method in READ_ONLY:
            # Only a connected site reads the chain through Warden: an answer or an error here
            # would otherwise tell a site that is not connected whether Warden is unlocked.
            self._connected(origin)
            return proxy(self._client(origin), method, list(params))
        raise unsupported(method)

    def chain_id(self, origin: str) -> int:
        return self._chain_of.get(origin, self.default_chain_id)

    def _public(self, origin: str, method: str) -> str:
        try:
            chain = self.chain_id(normalize_origin(origin))
        except InvalidInput:
            chain = self.default_chain_id
        return hex(chain) if method == "eth_chainId" else str(chain)

    def _lock(self, origin: str) -> threading.Lock:
        """Requests queue per origin: one prompt of a site at a time."""
        with self._locks_guard:
            return self._locks.setdefault(origin, threading.Lock())

    def _client(self, origin: str) -> ChainClient:
        try:
            return self.chains.client(self.chain_id(origin))
        except (NetworkError, InvalidInput):
            raise ProviderRpcError(
                CHAIN_DISCONNECTED, "Warden cannot reach the node of the selected network."
            ) from None

    def _connected(self, origin: str) -> tuple[str, ...]:
        conn = self.permissions.get(origin)
        if conn is None:
            raise unauthorized()
        return conn.accounts

    def _ask(
        self,
        pipeline: RequestPipeline,
        origin: str,
        what: str,
        request: dict[str, Any],
        prepared: Any,
        confirm: Callable[[Any, str | None], None],
    ) -> None:
        """Show the review to the user; a no (or a yes the pipeline refuses) rejects the
        request and answers the site 4001."""
        prompt = SigningPrompt(
            origin, what, request, prepared.review, prepared.limited, self._lookalike(origin)
        )
        decision = self.approval.review(prompt)
        try:
            if not decision.approved:
                raise ReviewRequired("The user said no.")
            confirm(prepared, decision.confirmation)
        except ReviewRequired:
            pipeline.reject(prepared.request_id)
            raise rejected() from None

    def _lookalike(self, origin: str) -> str | None:
        with self.store.session() as s:
            trusted = list(s.scalars(select(TrustedOrigin.origin)))
        trusted += [c.origin for c in self.permissions.all() if c.origin != origin]
        found = lookalike_origin(origin, trusted)
        return f"{found[0]} ({found[1]})" if found else None

    # -- accounts and permissions ----------------------------------------------------------------
    def eth_accounts(self, origin: str, _params: Any) -> list[str]:
        conn = self.permissions.get(origin)
        return list(conn.accounts) if conn is not None else []

    def eth_request_accounts(self, origin: str, _params: Any) -> list[str]:
        conn = self.permissions.get(origin)
        if conn is not None:
            return list(conn.accounts)
        with self._lock(origin):
            conn = self.permissions.get(origin)
            if conn is not None:
                return list(conn.accounts)
            with self.store.session() as s:
                own = [
                    a.address
                    for a in s.scalars(select(Account).where(Account.hidden.is_(False)))
                    if a.kind != "watch"
                ]
            if not own:
                raise unauthorized("Warden has no account to connect yet.")
            chosen = self.approval.connect(origin, own, self._lookalike(origin))
            if not chosen:
                raise rejected()
            conn = self.permissions.connect(origin, chosen)
            log.info("a site was connected")
            self._emit(origin, "accountsChanged", list(conn.accounts))
            return list(conn.accounts)

    def wallet_get_permissions(self, origin: str, _params: Any) -> list[dict[str, Any]]:
        conn = self.permissions.get(origin)
        if conn is None:
            return []
        return [_permission(origin, conn.accounts)]

    def wallet_request_permissions(self, origin: str, params: Any) -> list[dict[str, Any]]:
        wanted = params[0] if isinstance(params, list) and params else None
        if not isinstance(wanted, dict) or set(wanted) != {"eth_accounts"}:
            raise invalid_params("Warden grants only the eth_accounts permission.")
        accounts = self.eth_request_accounts(origin, [])
        return [_permission(origin, tuple(accounts))]

    def wallet_revoke_permissions(self, origin: str, _params: Any) -> None:
        if self.permissions.revoke(origin):
            self._emit(origin, "accountsChanged", [])
        return None

    # -- chains ----------------------------------------------------------------------------------
    def wallet_switch_chain(self, origin: str, params: Any) -> None:
        self._connected(origin)
        arg = params[0] if isinstance(params, list) and params else None
        if not isinstance(arg, dict):
            raise invalid_params("wallet_switchEthereumChain takes [{chainId}].")
        chain_id = p.quantity(arg.get("chainId"), "chainId", high=2**64)
        if chain_id == self.chain_id(origin):
            return None
        names = self.chains.names()
        if chain_id not in names:
            raise ProviderRpcError(
                UNRECOGNIZED_CHAIN, f"Chain {chain_id} is not set up in Warden; add it first."
            )
        with self._lock(origin):
            if not self.approval.switch_chain(origin, chain_id, names[chain_id]):
                raise rejected()
            self._chain_of[origin] = chain_id
        self._emit(origin, "chainChanged", hex(chain_id))
        return None

    def wallet_add_chain(self, origin: str, params: Any) -> None:
        """EIP-3085: a network the user does not have is added (and switched to) only after
        the user's yes; one the user has is a switch. A site never renames or re-points a
        network the user has."""
        self._connected(origin)
        arg = params[0] if isinstance(params, list) and params else None
        if not isinstance(arg, dict):
            raise invalid_params("wallet_addEthereumChain takes [{chainId, chainName, rpcUrls}].")
        chain_id = p.quantity(arg.get("chainId"), "chainId", high=2**53)
        if chain_id <= 0:
            raise invalid_params("chainId must be positive.")
        if chain_id in self.chains.names():
            return self.wallet_switch_chain(origin, [{"chainId": hex(chain_id)}])
        name, rpc_url, symbol = p.new_chain(arg)
        if name.lower() in {n.lower() for n in self.chains.names().values()}:
            raise invalid_params("A network with that name exists already in Warden.")
        with self._lock(origin):
            if not self.approval.add_chain(origin, chain_id, name, rpc_url, symbol):
                raise rejected()
            from app.wallet import networks

            try:
                with self.store.session() as s:
                    networks.add_network(s, name, chain_id, rpc_url, native_symbol=symbol)
            except InvalidInput as exc:
                raise invalid_params(str(exc)) from None
            self._chain_of[origin] = chain_id
        log.info("a site added a network")
        self._emit(origin, "chainChanged", hex(chain_id))
        return None

    # -- signing ---------------------------------------------------------------------------------
    def _pipeline(self, client: ChainClient) -> RequestPipeline:
        return RequestPipeline(
            self.store, client, self.reviewer_for(client), source="dapp", bus=self.bus
        )

    def eth_send_transaction(self, origin: str, params: Any) -> str:
        connected = self._connected(origin)
        fields = p.transaction(params)
        sender = p.own_account(fields["from"], connected)
        client = self._client(origin)
        if fields["chain_id"] is not None and fields["chain_id"] != client.chain_id:
            raise invalid_params("the transaction's chainId is not the site's current chain.")
        with self._lock(origin):
            try:
                built = self._build(client, origin, sender, fields)
                pipeline = self._pipeline(client)
                prepared = pipeline.prepare(built, kind="dapp")
            except (NetworkError, ReviewRequired, InvalidInput) as exc:
                raise _internal("The transaction could not be prepared", exc) from None
            self._ask(pipeline, origin, "transaction", built.request(), prepared, pipeline.confirm)
            try:
                rid = prepared.request_id
                pipeline.sign(rid, pipeline.pending_nonce(rid))
                tx_hash = pipeline.broadcast(rid)
                pipeline.mark_sent(rid)
            except (NetworkError, TransactionFailed, ReviewRequired) as exc:
                raise _internal("The transaction was not sent", exc) from None
        log.info("a site's transaction was sent on chain %d", client.chain_id)
        return tx_hash

    def _build(
        self, client: ChainClient, origin: str, sender: str, fields: dict[str, Any]
    ) -> BuiltTransaction:
        fees = client.fees()
        gas = fields["gas"]
        if gas is None:
            estimate = client.estimate_gas(
                {
                    "from": sender,
                    "to": fields["to"],
                    "value": fields["value"],
                    "data": fields["data"],
                }
            )
            gas = int(estimate * GAS_MARGIN)
        return BuiltTransaction(
            chain_id=client.chain_id,
            sender=sender,
            to=fields["to"],
            value=fields["value"],
            data=fields["data"],
            gas=gas,
            max_fee_per_gas=fees.max_fee_per_gas,
            max_priority_fee_per_gas=fees.max_priority_fee_per_gas,
            recipient=fields["to"],
            amount=fields["value"],
            origin=origin,
        )

    def personal_sign(self, origin: str, params: Any) -> str:
        who, message = p.personal_sign(params)
        return self._sign_message(origin, "personal_sign", who, {"message": message})

    def sign_typed_data_v4(self, origin: str, params: Any) -> str:
        who, data = p.typed_data(params)
        return self._sign_message(origin, "eth_signTypedData_v4", who, data)

    def _sign_message(self, origin: str, method: str, who: Any, body: dict[str, Any]) -> str:
        sender = p.own_account(who, self._connected(origin))
        client = self._client(origin)
        request = {
            "method": method,
            "chain_id": client.chain_id,
            "origin": origin,
            "from": sender,
            "params": body,
        }
        with self._lock(origin):
            pipeline = self._pipeline(client)
            try:
                prepared = pipeline.prepare_message(request, kind="dapp_message")
            except (NetworkError, ReviewRequired, InvalidInput) as exc:
                raise _internal("The message could not be reviewed", exc) from None
            self._ask(pipeline, origin, "message", request, prepared, pipeline.confirm_message)
            try:
                return pipeline.sign_message(prepared.request_id)
            except (InvalidInput, ReviewRequired) as exc:
                raise _internal("The message was not signed", exc) from None


def _permission(origin: str, accounts: tuple[str, ...]) -> dict[str, Any]:
    return {
        "invoker": origin,
        "parentCapability": "eth_accounts",
        "caveats": [{"type": "restrictReturnedAccounts", "value": list(accounts)}],
    }


def _internal(what: str, exc: Exception) -> ProviderRpcError:
    log.warning("%s: %s", what, type(exc).__name__)
    return ProviderRpcError(INTERNAL_ERROR, f"{what}. Details are in Warden.")


# method -> the name of the provider's method that answers it (looked up on the instance,
# so the provider answering while Warden is locked can answer differently)
_METHODS: dict[str, str] = {
    "eth_accounts": "eth_accounts",
    "eth_requestAccounts": "eth_request_accounts",
    "wallet_getPermissions": "wallet_get_permissions",
    "wallet_requestPermissions": "wallet_request_permissions",
    "wallet_revokePermissions": "wallet_revoke_permissions",
    "wallet_switchEthereumChain": "wallet_switch_chain",
    "wallet_addEthereumChain": "wallet_add_chain",
    "eth_sendTransaction": "eth_send_transaction",
    "personal_sign": "personal_sign",
    "eth_signTypedData_v4": "sign_typed_data_v4",
}
