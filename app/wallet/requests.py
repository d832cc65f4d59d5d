"""The one lifecycle of every request that can reach a key: a send, a delegate's proposal,
(later) a dapp's request. The CLI, the app and the daemon all go through it.

::

    pending --review--> reviewed --confirm--> confirmed --sign--> signing --broadcast--> sent
       |                   |                      |                  '--node refused--> failed
       '-------------------'---- reject ----------'--> rejected

Every step is a small function over the stored row and is guarded by the row's status, so a
step taken twice (a second window, a retry after a crash) does nothing or says why not:

- *sign* moves ``confirmed -> signing`` with one conditional UPDATE, and in the same database
  transaction takes the nonce, signs, stores the signed bytes and the history row. Two callers
  can never both sign one request; a kill before the commit leaves nothing signed.
- *broadcast* sends the stored bytes. After a crash between broadcast and record, ``resume``
  asks the node what became of those bytes and sends the very same bytes again if the node
  forgot them. The request is signed at most once, so it can be mined at most once.

Steps that ask the node run on the network lane, steps that write the store on the store lane
(``STEPS`` names them); ``send_confirmed`` runs them in order for callers without lanes.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.errors import InvalidInput, NetworkError, ReviewRequired, TransactionFailed
from app.events import EventBus
from app.review_types import DANGER_CONFIRMATION, Finding, ReviewOutcome
from app.store.schema import Proposal, SignRequest
from app.wallet import nonce_health, nonces, replace, sender, signing
from app.wallet.chain import ChainClient
from app.wallet.nonce_health import NonceView
from app.wallet.ports import SessionSource
from app.wallet.transactions import BuiltTransaction
from app.wallet.tx_json import tx_from_json, tx_to_json

log = logging.getLogger(__name__)

Lane = Literal["store", "network"]


class Status(StrEnum):
    PENDING = "pending"
    REVIEWED = "reviewed"
    CONFIRMED = "confirmed"
    SIGNING = "signing"
    SENT = "sent"
    FAILED = "failed"
    REJECTED = "rejected"


OPEN = (Status.PENDING, Status.REVIEWED, Status.CONFIRMED)
CLOSED = (Status.FAILED, Status.REJECTED)


class RequestClosed(ReviewRequired):
    """The request is past the step asked for: already sent, being signed, or rejected."""


class ReviewSource(Protocol):
    """Port: a review, and what it could not check (empty when the review is complete)."""

    def review(self, request: dict[str, Any]) -> tuple[ReviewOutcome, tuple[str, ...]]: ...


@dataclass(frozen=True)
class Prepared:
    """A stored, reviewed request: what the review dialog shows and confirming needs."""

    request_id: int
    built: BuiltTransaction
    review: ReviewOutcome
    limited: tuple[str, ...] = ()

    @property
    def fee_wei(self) -> int:
        return self.built.gas * self.built.max_fee_per_gas


@dataclass(frozen=True)
class Sent:
    request_id: int
    tx_hash: str
    nonce: int
    status: str  # the transaction's status on chain: pending, confirmed, reverted, ...
    block_number: int | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _fault(point: str) -> None:
    """A fault-injection point for the crash tests: the process dies here, as under kill -9."""
    if os.environ.get("WARDEN_TEST_FAULT") == point:
        os._exit(137)


def limited_outcome(outcome: ReviewOutcome, missing: tuple[str, ...]) -> ReviewOutcome:
    """``outcome`` of a review that could not check ``missing``: never safe, and it says so."""
    if not missing:
        return outcome
    detail = (
        "Warden could not reach the node, so this review is limited. It could not check "
        + "; ".join(missing)
        + ". Only your address book, your own past sends and the blocklist were checked."
    )
    verdict = "caution" if outcome.verdict == "safe" else outcome.verdict
    findings = (*outcome.findings, Finding("limited_review", "caution", detail))
    return dataclasses.replace(outcome, verdict=verdict, findings=findings)  # type: ignore[arg-type]


def _review_json(outcome: ReviewOutcome, limited: tuple[str, ...]) -> dict[str, Any]:
    out = outcome.to_json()
    out["request_digest"] = outcome.request_digest
    out["limited"] = list(limited)
    return out


def _outcome_from(row: SignRequest) -> ReviewOutcome:
    data = dict(row.review or {})
    findings = tuple(
        Finding(str(f.get("code", "")), f.get("severity", "caution"), str(f.get("detail", "")))
        for f in data.get("findings") or []
    )
    return ReviewOutcome(
        data.get("verdict", "danger"),
        findings,
        str(data.get("summary", "")),
        str(data.get("request_digest", "")),
        id=data.get("id"),
    )


def _closed_message(row: SignRequest) -> RequestClosed:
    what = "This proposal" if row.proposal_id is not None else "This request"
    if row.status == Status.SENT:
        return RequestClosed(
            f"{what} was already sent ({row.tx_hash}).",
            hint="Nothing more was signed. Its progress is in the history.",
        )
    if row.status == Status.SIGNING:
        return RequestClosed(
            f"{what} is being signed or sent by another window ({row.tx_hash or 'no hash yet'}).",
            hint="Wait for it to finish; nothing more will be signed.",
        )
    if row.status == Status.REJECTED:
        return RequestClosed(f"{what} was rejected.", hint="Start a new one if you still want it.")
    if row.status == Status.FAILED:
        return RequestClosed(
            f"{what} failed: {row.error or 'the node refused it'}.",
            hint="Nothing was sent. Start it again after fixing the cause.",
        )
    return RequestClosed(
        f"{what} is {row.status}, not ready for this step.", hint="Review it again first."
    )


class RequestPipeline:
    """Review, confirm, sign and send requests against one chain and one store."""

    def __init__(
        self,
        store: SessionSource,
        client: ChainClient | Callable[[], ChainClient],
        reviewer: ReviewSource,
        *,
        source: str = "app",
        bus: EventBus | None = None,
    ) -> None:
        self.store = store
        self._client = client
        self.reviewer = reviewer
        self.source = source
        self.bus = bus

    @property
    def client(self) -> ChainClient:
        if not isinstance(self._client, ChainClient):
            self._client = self._client()
        return self._client

    # -- open and review ------------------------------------------------------------------
    def open(self, built: BuiltTransaction, *, kind: str = "send") -> int:
        """Store a new request for ``built``; returns its id (store lane)."""
        with self.store.session() as s:
            row = SignRequest(
                kind=kind,
                source=self.source,
                chain_id=built.chain_id,
                sender=built.sender,
                tx=tx_to_json(built),
                digest="",
                status=Status.PENDING,
                error="",
            )
            s.add(row)
            s.flush()
            return int(row.id)

    def review(self, request_id: int, built: BuiltTransaction) -> Prepared:
        """Review ``built`` and store the outcome on the request (asks the node)."""
        outcome, limited = self.reviewer.review(built.request())
        outcome = limited_outcome(outcome, limited)
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status not in OPEN:
                raise _closed_message(row)
            row.tx = tx_to_json(built)
            row.digest = outcome.request_digest
            row.review = _review_json(outcome, limited)
            row.status = Status.REVIEWED
            row.danger_confirmed = False
            row.updated_at = _now()
        return Prepared(request_id, built, outcome, limited)

    def prepare(self, built: BuiltTransaction, *, kind: str = "send") -> Prepared:
        """Open and review a request in one call."""
        return self.review(self.open(built, kind=kind), built)

    def prepare_proposal(self, proposal_id: int) -> Prepared:
        """Build and review the transaction a delegate proposed. A proposal has at most one
        open request: approving it again (another window, after a crash) reuses that one,
        and a proposal already signed is resumed, never signed again."""
        with self.store.session() as s:
            proposal = s.get(Proposal, proposal_id)
            if proposal is None:
                raise InvalidInput(f"There is no proposal {proposal_id}.")
            existing = self._open_for_proposal(s, proposal_id)
            if existing is None and proposal.status != "pending":
                raise InvalidInput(f"Proposal {proposal_id} is no longer waiting.")
            payload = dict(proposal.payload or {})
            state = (existing.id, existing.status) if existing is not None else None
        if state is not None and state[1] in (Status.SIGNING, Status.SENT):
            self.resume(state[0])
            with self.store.session() as s:
                raise _closed_message(self._row(s, state[0]))
        built = self._build_proposal(payload)
        request_id = state[0] if state is not None else self._open_proposal(built, proposal_id)
        return self.review(request_id, built)

    def _open_for_proposal(self, s: Any, proposal_id: int) -> SignRequest | None:
        return s.scalars(
            select(SignRequest).where(
                SignRequest.proposal_id == proposal_id,
                SignRequest.status.not_in([str(c) for c in CLOSED]),
            )
        ).first()

    def _open_proposal(self, built: BuiltTransaction, proposal_id: int) -> int:
        try:
            with self.store.session() as s:
                row = SignRequest(
                    kind="proposal",
                    source=self.source,
                    proposal_id=proposal_id,
                    chain_id=built.chain_id,
                    sender=built.sender,
                    tx=tx_to_json(built),
                    digest="",
                    status=Status.PENDING,
                    error="",
                )
                s.add(row)
                s.flush()
                return int(row.id)
        except IntegrityError:  # another window opened it a moment ago: use that one
            with self.store.session() as s:
                other = self._open_for_proposal(s, proposal_id)
                if other is None:
                    raise
                return int(other.id)

    def _build_proposal(self, payload: dict[str, Any]) -> BuiltTransaction:
        from app.wallet.addresses import validate_address

        tx = dict(payload.get("tx") or {})
        if not tx.get("to") or not tx.get("from"):
            raise InvalidInput("This proposal carries no transaction to sign.")
        frm = validate_address(str(tx["from"]), what="sender address")
        to = validate_address(str(tx["to"]), what="contract address")
        try:
            data = bytes.fromhex(str(tx.get("data") or "0x").removeprefix("0x"))
            value = int(tx.get("value") or 0)
        except ValueError:
            raise InvalidInput(
                "This proposal's transaction is malformed; it was not signed."
            ) from None
        client = self.client
        fees = client.fees()
        estimate = client.estimate_gas({"from": frm, "to": to, "value": value, "data": data})
        return BuiltTransaction(
            chain_id=client.chain_id,
            sender=frm,
            to=to,
            value=value,
            data=data,
            gas=int(estimate * 1.2),
            max_fee_per_gas=fees.max_fee_per_gas,
            max_priority_fee_per_gas=fees.max_priority_fee_per_gas,
            recipient=to,
            amount=0,
        )

    # -- confirm, reject --------------------------------------------------------------------
    def confirm(self, prepared: Prepared, confirmation: str | None = None) -> None:
        """The user's yes to exactly the reviewed transaction (store lane)."""
        signing.check_review(prepared.built, prepared.review, confirmation)
        self._confirm_row(
            prepared.request_id,
            prepared.review,
            "The request changed after you reviewed it (another window reviewed it again).",
        )

    def _confirm_row(self, request_id: int, review: ReviewOutcome, changed: str) -> None:
        """``reviewed -> confirmed`` for exactly the reviewed digest; the same yes twice is
        one yes, a digest reviewed again elsewhere is refused with ``changed``."""
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status == Status.CONFIRMED and row.digest == review.request_digest:
                return  # confirmed twice: the same yes
            if row.status != Status.REVIEWED:
                raise _closed_message(row)
            if row.digest != review.request_digest:
                raise ReviewRequired(changed, hint="Review it again; nothing was signed.")
            row.status = Status.CONFIRMED
            row.danger_confirmed = review.verdict == "danger"
            row.updated_at = _now()

    def reject(self, request_id: int) -> None:
        """The user's no. A proposal's request rejects the proposal too (store lane)."""
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status not in OPEN:
                raise _closed_message(row)
            row.status = Status.REJECTED
            row.updated_at = _now()
            if row.proposal_id is not None:
                proposal = s.get(Proposal, row.proposal_id)
                if proposal is not None and proposal.status == "pending":
                    proposal.status = "rejected"

    def reject_proposal(self, proposal_id: int) -> None:
        with self.store.session() as s:
            row = self._open_for_proposal(s, proposal_id)
            request_id = row.id if row is not None and row.status in OPEN else None
            if row is not None and request_id is None:
                raise _closed_message(row)
            if request_id is None:
                proposal = s.get(Proposal, proposal_id)
                if proposal is None:
                    raise InvalidInput(f"There is no proposal {proposal_id}.")
                if proposal.status == "pending":
                    proposal.status = "rejected"
                return
        self.reject(request_id)

    # -- sign and broadcast -----------------------------------------------------------------
    def pending_nonce(self, request_id: int) -> NonceView:
        """What the node says about the sender's nonces (network lane)."""
        with self.store.session() as s:
            address = self._row(s, request_id).sender
        return nonce_health.look(self.store, self.client, address)

    def sign(self, request_id: int, view: NonceView) -> str:
        """``confirmed -> signing``: take the nonce, sign, keep the bytes and the history row,
        all in one database transaction (store lane). Returns the transaction hash."""
        with self.store.session() as s:
            row = self._take_for_signing(s, request_id)
            built = tx_from_json(row.tx)
            outcome = _outcome_from(row)
            fixed = built.extra.get("nonce")  # a replacement (speed up, cancel) keeps its nonce
            if isinstance(fixed, int) and not isinstance(fixed, bool):
                nonce = fixed
            else:
                nonce = nonce_health.heal(s, built.chain_id, built.sender, view)
            confirmation = DANGER_CONFIRMATION if row.danger_confirmed else None
            signed = signing.sign_in(
                s, built, outcome, nonce=nonce, danger_confirmation=confirmation
            )
            sender.record_in(s, signed)
            row.nonce = nonce
            row.tx_hash = signed.tx_hash
            row.raw = signed.raw.hex()
            s.flush()
            _fault("before_sign_commit")  # nonce taken, signed, recorded: not yet committed
        _fault("after_sign")
        return signed.tx_hash

    def broadcast(self, request_id: int) -> str:
        """Send the stored signed bytes (network lane). A node that refuses them marks the
        request failed; a node that cannot be reached leaves it ``signing`` for ``resume``."""
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status == Status.SENT:
                return str(row.tx_hash)
            if row.status != Status.SIGNING or not row.raw:
                raise _closed_message(row)
            raw, tx_hash = bytes.fromhex(row.raw), str(row.tx_hash)
            chain_id, address, nonce = row.chain_id, row.sender, row.nonce
        try:
            self.client.send_raw(raw)
        except TransactionFailed as exc:
            # The node may refuse because it already has these very bytes (a retry after a
            # lost answer): then they are out, not failed.
            status, _block = sender.check_status(self.client, tx_hash, address, int(nonce or 0))
            if status in (sender.PENDING, "confirmed", "reverted"):
                return tx_hash
            self.fail(request_id, str(exc))
            nonces.release(self.store, chain_id, address, int(nonce or 0))
            raise
        _fault("after_broadcast")
        log.info("request %d broadcast on chain %d", request_id, chain_id)
        return tx_hash

    def mark_sent(self, request_id: int) -> None:
        """``signing -> sent``; a proposal's request approves the proposal (store lane)."""
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status == Status.SENT:
                return
            if row.status != Status.SIGNING:
                raise _closed_message(row)
            row.status = Status.SENT
            row.updated_at = _now()
            if row.proposal_id is not None:
                proposal = s.get(Proposal, row.proposal_id)
                if proposal is not None:
                    proposal.status = "approved"
            replaces = (dict(row.tx or {}).get("extra") or {}).get("replaces")
            if isinstance(replaces, str) and row.tx_hash:  # a speed-up or cancel is out
                replace.mark_replaced_in(s, row.chain_id, replaces, str(row.tx_hash))
        _fault("after_mark_sent")

    def fail(self, request_id: int, reason: str) -> None:
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status in (Status.SENT, *CLOSED):
                return
            row.status = Status.FAILED
            row.error = reason[:500]
            row.updated_at = _now()
            if row.tx_hash:
                for t in sender.sent_rows(s, row.chain_id, row.tx_hash):
                    t.status = "failed"
                    t.note = reason[:500]

    def track(
        self,
        request_id: int,
        wait_s: float = 30.0,
        poll_s: float = 1.0,
        stop: threading.Event | None = None,
    ) -> Sent:
        """Wait up to ``wait_s`` for the receipt, or until ``stop`` is set (network lane)."""
        with self.store.session() as s:
            row = self._row(s, request_id)
            tx_hash, nonce = str(row.tx_hash), int(row.nonce or 0)
        status, block = sender.track(
            self.store,
            self.client,
            tx_hash,
            wait_s=wait_s,
            poll_s=poll_s,
            bus=self.bus,
            stop=stop,
        )
        return Sent(request_id, tx_hash, nonce, status, block)

    def send_confirmed(
        self,
        request_id: int,
        *,
        wait_s: float = 30.0,
        poll_s: float = 1.0,
        stop: threading.Event | None = None,
    ) -> Sent:
        """Every step after the user's yes, in order, on the calling thread. ``stop`` (a
        Ctrl-C) ends the wait for the receipt; the steps before it finish first, so a stop
        never lands inside a write."""
        self.sign(request_id, self.pending_nonce(request_id))
        self.broadcast(request_id)
        self.mark_sent(request_id)
        return self.track(request_id, wait_s, poll_s, stop)

    # -- after a crash ------------------------------------------------------------------------
    def resume(self, request_id: int) -> str:
        """Finish a request left ``signing`` (a crash or a lost node between signing and the
        record of its broadcast): the node is asked what became of the signed bytes, and the
        same bytes are sent again if it forgot them. Returns the request's status."""
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status != Status.SIGNING:
                return str(row.status)
            tx_hash, address, nonce = str(row.tx_hash), row.sender, int(row.nonce or 0)
        status, _block = sender.check_status(self.client, tx_hash, address, nonce)
        if status == "replaced":
            self.fail(request_id, "another transaction with the same nonce was mined instead")
            return Status.FAILED
        if status == "dropped":
            self.broadcast(request_id)
        self.mark_sent(request_id)
        return Status.SENT

    def resume_unfinished(self) -> dict[int, str]:
        """``resume`` every request of this chain left ``signing``; on start and before a
        send. A node that cannot be reached leaves them for next time."""
        with self.store.session() as s:
            ids = list(
                s.scalars(
                    select(SignRequest.id).where(
                        SignRequest.status == Status.SIGNING,
                        SignRequest.chain_id == self.client.chain_id,
                    )
                )
            )
        out: dict[int, str] = {}
        for request_id in ids:
            try:
                out[request_id] = self.resume(request_id)
            except NetworkError as exc:  # left for next time
                log.warning("could not resume a request: %s", type(exc).__name__)
            except TransactionFailed:  # the node refused the old bytes: recorded as failed
                out[request_id] = Status.FAILED
        return out

    # -- messages (personal_sign, eth_signTypedData_v4) ------------------------------------
    # A message goes through the same rows and statuses as a transaction; it has no nonce and
    # no broadcast, so *sign_message* moves ``confirmed -> sent`` in one database transaction
    # with the signature kept in ``raw``: a message is signed at most once.

    def open_message(self, request: dict[str, Any], *, kind: str = "message") -> int:
        """Store a new message request (EIP-1193 shape, as the review reads it)."""
        try:
            chain_id = int(request.get("chain_id") or 0)
        except (TypeError, ValueError):
            raise InvalidInput("The message request names no chain.") from None
        with self.store.session() as s:
            row = SignRequest(
                kind=kind,
                source=self.source,
                chain_id=chain_id,
                sender=str(request.get("from") or "")[:42],
                tx={"message_request": request},
                digest="",
                status=Status.PENDING,
                error="",
            )
            s.add(row)
            s.flush()
            return int(row.id)

    def review_message(self, request_id: int) -> PreparedMessage:
        """Review the stored message request and keep the outcome on it (may ask the node)."""
        with self.store.session() as s:
            request = _message_of(self._row(s, request_id))
        outcome, limited = self.reviewer.review(request)
        outcome = limited_outcome(outcome, limited)
        with self.store.session() as s:
            row = self._row(s, request_id)
            if row.status not in OPEN:
                raise _closed_message(row)
            row.digest = outcome.request_digest
            row.review = _review_json(outcome, limited)
            row.status = Status.REVIEWED
            row.danger_confirmed = False
            row.updated_at = _now()
        return PreparedMessage(request_id, request, outcome, limited)

    def prepare_message(self, request: dict[str, Any], *, kind: str = "message") -> PreparedMessage:
        """Open and review a message request in one call."""
        return self.review_message(self.open_message(request, kind=kind))

    def confirm_message(self, prepared: PreparedMessage, confirmation: str | None = None) -> None:
        """The user's yes to exactly the reviewed message (store lane)."""
        signing.check_message_review(prepared.request, prepared.review, confirmation)
        self._confirm_row(
            prepared.request_id,
            prepared.review,
            "The message changed after you reviewed it (it was reviewed again).",
        )

    def sign_message(self, request_id: int) -> str:
        """``confirmed -> sent`` with the signature, in one database transaction (store
        lane). A second call finds the request closed: nothing is signed twice."""
        with self.store.session() as s:
            row = self._take_for_signing(s, request_id)
            request = _message_of(row)
            confirmation = DANGER_CONFIRMATION if row.danger_confirmed else None
            signature = signing.sign_message_in(
                s, request, _outcome_from(row), danger_confirmation=confirmation
            )
            row.raw = signature.removeprefix("0x")
            row.status = Status.SENT
            row.updated_at = _now()
        log.info("message request %d signed", request_id)
        return signature

    def status(self, request_id: int) -> str:
        with self.store.session() as s:
            return str(self._row(s, request_id).status)

    def _take_for_signing(self, s: Any, request_id: int) -> SignRequest:
        """``confirmed -> signing`` by one conditional UPDATE inside the caller's transaction:
        of two callers, only one ever gets the row; the other learns why not."""
        taken = s.execute(
            update(SignRequest)
            .where(SignRequest.id == request_id, SignRequest.status == Status.CONFIRMED)
            .values(status=Status.SIGNING, updated_at=_now())
        )
        if getattr(taken, "rowcount", 0) != 1:
            raise _closed_message(self._row(s, request_id))
        return self._row(s, request_id)

    @staticmethod
    def _row(s: Any, request_id: int) -> SignRequest:
        row = s.get(SignRequest, request_id)
        if row is None:
            raise InvalidInput(f"There is no request {request_id}.")
        return row  # type: ignore[no-any-return]


def _message_of(row: SignRequest) -> dict[str, Any]:
    request = (row.tx or {}).get("message_request")
    if not isinstance(request, dict):
        raise InvalidInput(f"Request {row.id} is not a message request.")
    return request


@dataclass(frozen=True)
class PreparedMessage:
    """A stored, reviewed message request: what the review dialog shows."""

    request_id: int
    request: dict[str, Any]
    review: ReviewOutcome
    limited: tuple[str, ...] = ()


class _Given:
    """A review made before the request was opened (``send_reviewed``)."""

    def __init__(self, outcome: ReviewOutcome | None) -> None:
        self.outcome = outcome

    def review(self, request: dict[str, Any]) -> tuple[ReviewOutcome, tuple[str, ...]]:
        if self.outcome is None:
            raise ReviewRequired(
                "This transaction has not been reviewed.",
                hint="Every transaction passes the review before it can be signed.",
            )
        return self.outcome, ()


def send_reviewed(
    store: SessionSource,
    client: ChainClient,
    built: BuiltTransaction,
    outcome: ReviewOutcome | None,
    *,
    danger_confirmation: str | None = None,
    bus: EventBus | None = None,
    wait_s: float = 30.0,
    poll_s: float = 1.0,
    source: str = "core",
) -> Sent:
    """Open, confirm and send ``built`` with a review already made for it: the whole
    lifecycle in one call, for callers that reviewed and asked the user themselves."""
    if built.chain_id != client.chain_id:
        raise TransactionFailed(
            f"The transaction is for chain {built.chain_id}, not {client.name}."
        )
    signing.check_review(built, outcome, danger_confirmation)  # before anything is stored
    pipeline = RequestPipeline(store, client, _Given(outcome), source=source, bus=bus)
    prepared = pipeline.prepare(built)
    pipeline.confirm(prepared, danger_confirmation)
    return pipeline.send_confirmed(prepared.request_id, wait_s=wait_s, poll_s=poll_s)


# The lane of each step after the user's yes, in order (the app chains them as operations).
STEPS: tuple[tuple[str, Lane], ...] = (
    ("pending_nonce", "network"),
    ("sign", "store"),
    ("broadcast", "network"),
    ("mark_sent", "store"),
    ("track", "network"),
)
