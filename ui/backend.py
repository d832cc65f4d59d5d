"""What the windows need from the core, in one place, as plain data.

Screens never touch SQLAlchemy sessions, web3 or the model runtime themselves: they call a
``Backend`` on a worker (``ui.ops.Op``) and draw the rows it returns. Reads come straight from
the encrypted store's tables; actions go to the services the composition root plugs in
(wallet, reviewer, delegates, model runtime). A service that is not plugged in gives a clear
``WardenError`` instead of a half-working screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import preferences
from app.errors import InvalidInput, WardenError
from app.events import EventBus
from app.store import schema as s
from ui.market_view import MarketView, compute_market_view
from ui.rows import (  # the plain data the screens draw; re-exported for them
    AccountRow,
    BalanceRow,
    Candles,
    ContactRow,
    DelegateRow,
    HistoryRow,
    ModelRow,
    NetworkRow,
    ProposalRow,
    RemotePreview,
    RemoteSettings,
    RunRow,
    SendDraft,
    WalletAction,
)


class SessionSource(Protocol):
    def session(self) -> AbstractContextManager[Session]: ...


def _not_available(what: str) -> WardenError:
    return WardenError(
        f"{what} is not available in this session.",
        hint="It needs a part of Warden that did not start; see the log for why.",
    )


def checksum_address(text: str) -> str:
    """The checksummed form, or a clear InvalidInput (the wallet's own rules)."""
    from app.wallet.addresses import validate_address

    return validate_address(text)


def proposal_title(
    kind: str, payload: dict[str, Any], symbols: dict[str, str], names: dict[str, str]
) -> str:
    """One line a person can read: what the proposal would do and why."""
    if payload.get("title"):
        return str(payload["title"])
    if kind == "revoke":
        token = str(payload.get("token") or "")
        spender = str(payload.get("spender") or "")
        what = symbols.get(token.lower(), token[:6] + "…" + token[-4:] if token else "a token")
        who = names.get(spender.lower()) or (f"{spender[:6]}…{spender[-4:]}" if spender else "")
        amount = "unlimited " if payload.get("unlimited") else ""
        reasons = payload.get("reasons") or []
        why = (
            f" ({payload.get('level', '')} risk: {', '.join(map(str, reasons))})" if reasons else ""
        )
        return f"Revoke the {amount}{what} allowance of {who}{why}"
    return str(payload.get("summary") or kind)


def _units(amount: str, decimals: int) -> Decimal:
    try:
        return Decimal(int(amount)).scaleb(-decimals)
    except (ValueError, ArithmeticError):
        return Decimal(0)


class Backend:
    """The store plus whatever services the composition root could start.

    Every method may block (disk, network, model): call it through ``ui.ops.Op``.
    """

    def __init__(
        self,
        store: SessionSource,
        bus: EventBus | None = None,
        *,
        chain_id: int | None = None,
        services: dict[str, Any] | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.bus = bus or EventBus()
        self.chain_id = chain_id
        self.services: dict[str, Any] = dict(services or {})
        self._on_close = on_close

    # -- plumbing -------------------------------------------------------------------------
    def service(self, name: str) -> Any:
        svc = self.services.get(name)
        if svc is None:
            raise _not_available(name.replace("_", " ").capitalize())
        return svc

    def has(self, name: str) -> bool:
        return self.services.get(name) is not None

    def add_closers(self, closers: list[Callable[[], None]]) -> None:
        """Run these, in order, when the backend closes (the store locks)."""
        self._closers = closers  # the same list: parts started later add themselves

    def close(self) -> None:
        """Stop what runs on the store and drop the key; a second call does nothing."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        for fn in getattr(self, "_closers", []):
            try:
                fn()
            except Exception:
                import logging

                logging.getLogger(__name__).exception("closing %r failed", fn)
        if self._on_close is not None:
            self._on_close()

    def _session(self) -> AbstractContextManager[Session]:
        return self.store.session()

    # -- preferences ----------------------------------------------------------------------
    def pref(self, key: str) -> Any:
        """The value of a preference declared in app/preferences.py, or its default."""
        return preferences.get(self.store, key)

    def set_pref(self, key: str, value: Any) -> None:
        preferences.set(self.store, key, value)

    # -- accounts, contacts, networks -----------------------------------------------------
    def accounts(self) -> list[AccountRow]:
        with self._session() as ses:
            rows = ses.scalars(
                select(s.Account).where(s.Account.hidden.is_(False)).order_by(s.Account.id)
            )
            return [AccountRow(a.address, a.name, a.kind) for a in rows]

    def rename_account(self, address: str, name: str) -> None:
        from app.wallet import accounts

        with self._session() as ses:
            accounts.rename_account(ses, address, name)  # not a contact's name

    def add_account(self, name: str) -> AccountRow:
        wallet = self.service("wallet")
        acc = wallet.derive_account(name)
        return AccountRow(acc.address, acc.name, getattr(acc, "kind", "hd"))

    def contacts(self) -> list[ContactRow]:
        with self._session() as ses:
            rows = ses.scalars(select(s.Contact).order_by(s.Contact.name))
            return [ContactRow(c.name, c.address, c.note) for c in rows]

    def add_contact(self, name: str, address: str, note: str = "") -> ContactRow:
        from app.wallet import contacts

        with self._session() as ses:
            c = contacts.add_contact(ses, address, name, note)
        return ContactRow(c.name, c.address, c.note)

    def networks(self) -> list[NetworkRow]:
        with self._session() as ses:
            rows = ses.scalars(select(s.Network).order_by(s.Network.id))
            return [NetworkRow(n.name, n.chain_id, n.rpc_url, n.native_symbol) for n in rows]

    def set_rpc_url(self, name: str, url: str) -> None:
        url = url.strip()
        if not url.startswith(("http://", "https://", "ws://", "wss://")):
            raise WardenError(
                f"{url!r} is not an RPC URL.", hint="It starts with https:// (or http:// locally)."
            )
        with self._session() as ses:
            net = ses.scalar(select(s.Network).where(s.Network.name == name))
            if net is None:
                raise WardenError(f"No network named {name}.")
            net.rpc_url = url

    # -- balances and history -------------------------------------------------------------
    def prices(self) -> dict[str, Decimal]:
        """USD price per symbol: the market service when there is one, else the latest
        recorded candle, and 1 for dollar stablecoins."""
        out: dict[str, Decimal] = {"USDC": Decimal(1), "USDT": Decimal(1), "DAI": Decimal(1)}
        market = self.services.get("prices")
        if market is not None:
            out.update({k: Decimal(str(v)) for k, v in market().items()})
            return out
        with self._session() as ses:
            for sym in ("ETH", "BTC"):
                last = ses.scalar(
                    select(s.Candle)
                    .where(s.Candle.symbol.in_([f"{sym}/USD", f"{sym}-USD", sym]))
                    .order_by(s.Candle.ts.desc())
                    .limit(1)
                )
                if last is not None:
                    out[sym] = Decimal(str(last.close))
        out.setdefault("WETH", out.get("ETH", Decimal(0)))
        return out

    def balances(self, address: str) -> list[BalanceRow]:
        rows: list[BalanceRow] = self.service("balances")(address)
        prices = self.prices()
        return [
            r
            if r.fiat is not None or r.symbol not in prices
            else BalanceRow(r.symbol, r.amount, r.token, r.decimals, r.amount * prices[r.symbol])
            for r in rows
        ]

    def history(self, address: str | None = None) -> list[HistoryRow]:
        with self._session() as ses:
            tokens = {
                (t.chain_id, t.address.lower()): (t.symbol, t.decimals)
                for t in ses.scalars(select(s.Token))
            }
            names = {c.address.lower(): c.name for c in ses.scalars(select(s.Contact))}
            names.update({a.address.lower(): a.name for a in ses.scalars(select(s.Account))})
            native = {n.chain_id: n.native_symbol for n in ses.scalars(select(s.Network))}
            q = select(s.Transfer).order_by(s.Transfer.block_number.desc(), s.Transfer.id.desc())
            if address:
                q = q.where(s.Transfer.account == address)
            out = []
            for t in ses.scalars(q):
                if t.token:
                    sym, dec = tokens.get((t.chain_id, t.token.lower()), (t.token[:8], 18))
                else:
                    sym, dec = native.get(t.chain_id, "ETH"), 18
                other = (t.sender if t.direction == "in" else t.recipient) or ""
                out.append(
                    HistoryRow(
                        when=t.timestamp,
                        direction=t.direction,
                        counterparty=other,
                        counterparty_name=names.get(other.lower(), ""),
                        asset=sym,
                        amount=_units(t.amount, dec),
                        status=t.status,
                        tx_hash=t.tx_hash,
                        hidden=t.hidden,
                        note=t.note,
                        account=t.account,
                    )
                )
            return out

    # -- send and review ------------------------------------------------------------------
    def prepare_send(self, draft: SendDraft) -> Any:
        """Build the transaction and review it; returns the wallet's prepared send, which
        carries a ``ReviewOutcome`` as ``.review``."""
        return self.service("prepare_send")(draft)

    def sign_and_send(self, prepared: Any, confirmation: str | None) -> str:
        """Sign the reviewed transaction and broadcast it; returns the transaction hash."""
        return str(self.service("sign_and_send")(prepared, confirmation))

    def send_steps(self, prepared: Any, confirmation: str | None) -> list[Any]:
        """``sign_and_send`` as (lane, step) pairs for ``ui.ops.run_steps``."""
        wallet = self.services.get("wallet")
        if wallet is None or not hasattr(wallet, "send_steps"):
            return [("network", lambda _: self.sign_and_send(prepared, confirmation))]
        return list(wallet.send_steps(prepared, confirmation))

    def cancel_request(self, prepared: Any) -> None:
        """The review was closed without signing: the request is rejected (store lane)."""
        wallet = self.services.get("wallet")
        if wallet is not None and getattr(prepared, "request_id", None):
            wallet.cancel(prepared)

    def max_amount(self, address: str, asset: str) -> Decimal:
        return Decimal(self.service("max_amount")(address, asset))

    # -- delegates ------------------------------------------------------------------------
    def delegates(self) -> list[DelegateRow]:
        svc = self.services.get("delegates")
        if svc is not None:
            return list(svc.list())
        with self._session() as ses:
            return [
                DelegateRow(d.name, "", d.enabled, (), dict(d.settings or {}))
                for d in ses.scalars(select(s.DelegateSetting).order_by(s.DelegateSetting.name))
            ]

    def set_delegate_enabled(self, name: str, enabled: bool) -> None:
        svc = self.services.get("delegates")
        if svc is not None:
            svc.set_enabled(name, enabled)
            return
        with self._session() as ses:
            row = ses.get(s.DelegateSetting, name)
            if row is None:
                ses.add(s.DelegateSetting(name=name, enabled=enabled, settings={}))
            else:
                row.enabled = enabled

    def save_delegate_settings(self, name: str, settings: dict[str, Any]) -> None:
        svc = self.services.get("delegates")
        if svc is not None and hasattr(svc, "save_settings"):
            svc.save_settings(name, settings)
            return
        with self._session() as ses:
            row = ses.get(s.DelegateSetting, name)
            if row is None:
                ses.add(s.DelegateSetting(name=name, enabled=True, settings=settings))
            else:
                row.settings = dict(settings)

    def run_delegate(self, name: str) -> RunRow:
        return self.service("delegates").run_now(name)  # type: ignore[no-any-return]

    def runs(self, name: str | None = None, limit: int = 50) -> list[RunRow]:
        with self._session() as ses:
            q = select(s.DelegateRun).order_by(s.DelegateRun.id.desc()).limit(limit)
            if name:
                q = q.where(s.DelegateRun.delegate == name)
            out = []
            for r in ses.scalars(q):
                msg = r.error or ""
                if not msg and isinstance(r.output, dict):
                    msg = str(r.output.get("message") or r.output.get("summary") or "")
                out.append(
                    RunRow(r.id, r.delegate, r.trigger, r.started_at, r.ended_at, r.outcome, msg)
                )
            return out

    def proposals(self) -> list[ProposalRow]:
        with self._session() as ses:
            symbols = {t.address.lower(): t.symbol for t in ses.scalars(select(s.Token))}
            names = {c.address.lower(): c.name for c in ses.scalars(select(s.Contact))}
            q = select(s.Proposal).where(s.Proposal.status == "pending").order_by(s.Proposal.id)
            return [
                ProposalRow(
                    p.id,
                    p.delegate,
                    p.kind,
                    proposal_title(p.kind, dict(p.payload), symbols, names),
                    dict(p.payload),
                    p.created_at,
                )
                for p in ses.scalars(q)
            ]

    def review_proposal(self, proposal_id: int) -> Any:
        """Build and review the transaction a proposal stands for (same as a send)."""
        return self.service("prepare_proposal")(proposal_id)

    def reject_proposal(self, proposal_id: int) -> None:
        """The user's no to a delegate's proposal (and to its open request, if any)."""
        self.service("reject_proposal")(proposal_id)

    # -- market ---------------------------------------------------------------------------
    def candles(self, symbol: str, limit: int = 365) -> Candles:
        with self._session() as ses:
            rows = list(
                ses.scalars(
                    select(s.Candle)
                    .where(s.Candle.symbol == symbol)
                    .order_by(s.Candle.ts.desc())
                    .limit(limit)
                )
            )
        rows.reverse()
        return Candles(
            symbol,
            [r.ts for r in rows],
            [r.open for r in rows],
            [r.high for r in rows],
            [r.low for r in rows],
            [r.close for r in rows],
            [r.volume for r in rows],
        )

    def market_view(self, symbol: str, days: int = 365) -> MarketView:
        svc = self.services.get("market")
        if svc is not None:
            return svc(symbol, days)  # type: ignore[no-any-return]
        return compute_market_view(self, symbol, days)

    def market_symbols(self) -> list[str]:
        with self._session() as ses:
            return list(ses.scalars(select(s.Candle.symbol).distinct().order_by(s.Candle.symbol)))

    # -- assistant ------------------------------------------------------------------------
    def chat(self, messages: list[dict[str, str]], on_token: Callable[[str], None]) -> Any:
        """Start a streamed answer; returns a reply with ``.future`` and ``.cancel()``.
        Returns at once: the model works on its own thread."""
        return self.service("assistant").chat(messages, on_token)

    def remote_preview(self, text: str) -> RemotePreview | None:
        svc = self.services.get("assistant")
        return svc.remote_preview(text) if svc is not None else None

    def parse_intent(self, text: str) -> WalletAction | None:
        svc = self.services.get("assistant")
        return svc.parse_intent(text) if svc is not None else None

    def save_chat(self, question: str, answer: str) -> None:
        with self._session() as ses:
            chat = ses.scalar(select(s.Chat).order_by(s.Chat.id.desc()).limit(1))
            if chat is None:
                chat = s.Chat(title=question[:80])
                ses.add(chat)
                ses.flush()
            ses.add(s.ChatMessage(chat_id=chat.id, role="user", content=question))
            ses.add(s.ChatMessage(chat_id=chat.id, role="assistant", content=answer))

    # -- models ---------------------------------------------------------------------------
    def models(self) -> list[ModelRow]:
        catalog = self.service("catalog")
        from models.gguf_info import estimate_memory

        out = []
        for e in catalog.entries():
            try:
                mem: float | None = estimate_memory(e.info, e.settings.n_ctx) / 1_048_576
            except Exception:  # an odd file: show it, without an estimate
                mem = None
            out.append(
                ModelRow(
                    name=e.name,
                    path=str(e.info.path),
                    size_mb=e.info.size_bytes / 1_048_576,
                    memory_mb=mem,
                    context=e.info.context_length,
                    source=e.source,
                    licence=e.info.license or "",
                )
            )
        return out

    def memory_text(self) -> str:
        try:
            from models.gguf_info import available_memory

            return f"Memory available for a model: {available_memory() / 1_073_741_824:.1f} GB"
        except Exception:
            return ""

    def import_model(self, path: Any, progress: Callable[[float], None] | None = None) -> ModelRow:
        """Check and copy a GGUF into the catalog; ``progress`` gets the copied fraction,
        read from the size of the catalog's temporary copy as it grows."""
        import threading
        from pathlib import Path

        catalog = self.service("catalog")
        src = Path(path)
        total = max(src.stat().st_size, 1) if src.exists() else 1
        done = threading.Event()

        def watch() -> None:
            folder = Path(catalog.models_dir)
            while not done.wait(0.1):
                sizes = [
                    p.stat().st_size
                    for p in (folder.glob(".*.gguf.*") if folder.exists() else [])
                    if p.is_file()
                ]
                if sizes and progress is not None:
                    progress(min(max(sizes) / total, 0.99))

        watcher = threading.Thread(target=watch, name="import-progress", daemon=True)
        watcher.start()
        try:
            entry = catalog.import_model(src)
        finally:
            done.set()
            watcher.join()
        if progress is not None:
            progress(1.0)
        return next(r for r in self.models() if r.name == entry.name)

    def model_choices(self) -> dict[str, str]:
        from models.choice import ModelChoices

        choices = ModelChoices(self.store)
        return {
            task: choices.get(task)
            for task in ("tx_review", "market_analysis", "assistant", "intent")
        }

    def set_model_choice(self, task: str, name: str) -> None:
        from models.choice import ModelChoices

        known = [r.name for r in self.models()] if self.has("catalog") else None
        ModelChoices(self.store, known).set(task, name)

    def remote_settings(self) -> RemoteSettings:
        from models import remote_config

        saved = remote_config.load_settings(self.store)
        has_key = bool(saved.url and remote_config.get_api_key(saved.url))
        model = "" if saved.model == "default" else saved.model
        return RemoteSettings(saved.enabled, saved.url, model, has_key)

    def save_remote_settings(self, settings: RemoteSettings, api_key: str | None) -> None:
        """Kept with the model runtime's own settings; the API key goes to the keyring only."""
        from models import remote_config

        if settings.enabled and not settings.url:
            raise InvalidInput("Type the host's URL first.", hint="For example https://host/v1")
        remote_config.save_settings(
            self.store,
            remote_config.RemoteSettings(
                enabled=settings.enabled, url=settings.url, model=settings.model or "default"
            ),
        )
        if api_key:
            remote_config.set_api_key(settings.url, api_key)

    # -- store security -------------------------------------------------------------------
    def change_password(self, old: str, new: str) -> None:
        change = getattr(self.store, "change_password", None)
        if change is None:
            raise _not_available("Changing the password")
        change(old, new)

    def backup(self, dest: Any, password: str) -> None:
        backup = getattr(self.store, "backup", None)
        if backup is None:
            raise _not_available("Backup")
        backup(dest, password)

    def restore(self, backup_file: Any, password: str) -> None:
        self.service("restore")(backup_file, password)

    # -- chats ----------------------------------------------------------------------------
    def chat_messages(self, limit: int = 100) -> Iterator[tuple[str, str]]:
        with self._session() as ses:
            q = select(s.ChatMessage).order_by(s.ChatMessage.id.desc()).limit(limit)
            rows = [(m.role, m.content) for m in ses.scalars(q)]
        return iter(reversed(rows))


__all__ = [
    "Backend",
    "MarketView",
    "SessionSource",
    "checksum_address",
    "proposal_title",
    "AccountRow",
    "BalanceRow",
    "Candles",
    "ContactRow",
    "DelegateRow",
    "HistoryRow",
    "ModelRow",
    "NetworkRow",
    "ProposalRow",
    "RemotePreview",
    "RemoteSettings",
    "RunRow",
    "SendDraft",
    "WalletAction",
]
