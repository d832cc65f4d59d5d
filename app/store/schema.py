"""Every table of the encrypted store. One ``Base``; Alembic migrations are made from it.

Amounts are stored as decimal strings of base units (uint256 does not fit an SQLite integer).
Addresses are stored checksummed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class AppMeta(Base):
    """The store's own facts: a format marker and version (migration 0002)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Preference(Base):
    """Small settings as key -> JSON value (theme, idle lock, model per task, …)."""

    __tablename__ = "preferences"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Secret(Base):
    """A recovery phrase or a private key. Lives only inside the encrypted database."""

    __tablename__ = "secrets"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "mnemonic" | "private_key"
    value: Mapped[str] = mapped_column(Text)
    passphrase: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(42), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))  # "hd" | "imported" | "watch"
    hd_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    secret_id: Mapped[int | None] = mapped_column(ForeignKey("secrets.id"), nullable=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Network(Base):
    __tablename__ = "networks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    rpc_url: Mapped[str] = mapped_column(Text)
    native_symbol: Mapped[str] = mapped_column(String(16), default="ETH")
    explorer_url: Mapped[str] = mapped_column(Text, default="")
    is_preset: Mapped[bool] = mapped_column(Boolean, default=False)


class Token(Base):
    __tablename__ = "tokens"
    __table_args__ = (UniqueConstraint("chain_id", "address"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(42))
    symbol: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128), default="")
    decimals: Mapped[int] = mapped_column(Integer)
    user_added: Mapped[bool] = mapped_column(Boolean, default=False)


class Contact(Base):
    """Address-book entry."""

    __tablename__ = "address_book"
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(42), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Label(Base):
    __tablename__ = "labels"
    address: Mapped[str] = mapped_column(String(42), primary_key=True)
    label: Mapped[str] = mapped_column(String(128))


class Transfer(Base):
    """One line of history: a sent transaction or an incoming native / ERC-20 transfer.

    ``log_index`` is -1 for a transaction's own native value; the unique key deduplicates
    what repeated scans find.
    """

    __tablename__ = "transfers"
    __table_args__ = (
        UniqueConstraint("chain_id", "tx_hash", "log_index", "account"),
        Index("ix_transfers_account_chain", "account", "chain_id"),  # migration 0002
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(42), index=True)
    tx_hash: Mapped[str] = mapped_column(String(66))
    log_index: Mapped[int] = mapped_column(Integer, default=-1)
    block_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timestamp: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    direction: Mapped[str] = mapped_column(String(8))  # "out" | "in" | "self"
    sender: Mapped[str] = mapped_column(String(42))
    recipient: Mapped[str | None] = mapped_column(String(42), nullable=True)
    token: Mapped[str | None] = mapped_column(String(42), nullable=True)  # None = native
    amount: Mapped[str] = mapped_column(String(80), default="0")
    nonce: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # e.g. address poisoning
    note: Mapped[str] = mapped_column(Text, default="")


class NonceState(Base):
    __tablename__ = "nonces"
    chain_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(42), primary_key=True)
    next_nonce: Mapped[int] = mapped_column(Integer)


class ScanState(Base):
    __tablename__ = "scan_state"
    chain_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(42), primary_key=True)
    last_block: Mapped[int] = mapped_column(Integer)


class ContractFacts(Base):
    """Cached facts about an address on a chain (code present, creation block, verified)."""

    __tablename__ = "contract_facts"
    chain_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(42), primary_key=True)
    is_contract: Mapped[bool] = mapped_column(Boolean)
    creation_block: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verified_source: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class BlocklistEntry(Base):
    __tablename__ = "blocklist"
    address: Mapped[str] = mapped_column(String(42), primary_key=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TrustedOrigin(Base):
    __tablename__ = "trusted_origins"
    origin: Mapped[str] = mapped_column(String(255), primary_key=True)


class DelegateSetting(Base):
    __tablename__ = "delegate_settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DelegateRun(Base):
    __tablename__ = "delegate_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    delegate: Mapped[str] = mapped_column(String(64), index=True)
    trigger: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), default="running")
    output: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class Proposal(Base):
    """An action a delegate proposes (a revoke, a transfer); only the user can confirm it."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    delegate: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")


class SignRequest(Base):
    """A request that can reach a key (a send, a delegate's proposal, a dapp's request), on
    its way through review, confirmation, signing and broadcast (``app.wallet.requests``).

    ``raw`` is the signed transaction, kept from the moment it is signed: after a crash the
    very same bytes are broadcast again, so a request is never signed twice. At most one
    request per proposal is open at a time (the partial unique index).
    """

    __tablename__ = "sign_requests"
    __table_args__ = (
        Index(
            "ux_sign_requests_open_proposal",
            "proposal_id",
            unique=True,
            sqlite_where=text("proposal_id IS NOT NULL AND status NOT IN ('failed', 'rejected')"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "send" | "proposal" | "dapp"
    source: Mapped[str] = mapped_column(String(64), default="")
    proposal_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(42))
    tx: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64), default="")
    review: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    danger_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    nonce: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tx_hash: Mapped[str | None] = mapped_column(String(66), nullable=True)
    raw: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Chat(Base):
    __tablename__ = "chats"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Feedback(Base):
    """The user's feedback on model output, used by on-device personalization."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Candle(Base):
    __tablename__ = "candles"
    symbol: Mapped[str] = mapped_column(String(32), primary_key=True)
    timeframe: Mapped[str] = mapped_column(String(8), primary_key=True)
    ts: Mapped[int] = mapped_column(Integer, primary_key=True)  # ms since epoch
    open: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    low: Mapped[float] = mapped_column(Float)
    close: Mapped[float] = mapped_column(Float)
    volume: Mapped[float] = mapped_column(Float)


class ThreatList(Base):
    """A phishing-domain / scam-address list as last fetched from a source the user chose
    (migration 0003). A failed update keeps the rows and records only when and why."""

    __tablename__ = "threat_lists"
    source: Mapped[str] = mapped_column(String(2048), primary_key=True)  # the URL
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str] = mapped_column(String(64))
    domains: Mapped[list[Any]] = mapped_column(JSON)
    addresses: Mapped[list[Any]] = mapped_column(JSON)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
