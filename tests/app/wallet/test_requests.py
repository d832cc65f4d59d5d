"""The one request lifecycle (app.wallet.requests) against a real node (anvil) and a real
encrypted store: a delegate's proposal approved from two windows, a crash between broadcast
and record, a crash between signing and broadcast, and a review without the node.

The review's verdict is fixed (FixedReviewer) except in the node-down test, which uses the
real review: these tests check the lifecycle, not the review's judgement."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Paths
from app.errors import NetworkError, ReviewRequired
from app.review_types import DANGER_CONFIRMATION
from app.store import Store
from app.store.schema import Proposal, SignRequest, Transfer
from app.wallet import accounts, transactions
from app.wallet.chain import ChainClient
from app.wallet.requests import RequestClosed, RequestPipeline, Status
from app.wallet.review_choice import ChosenReviewer
from tests.app.wallet.conftest import ADDR0, ADDR1, PHRASE, FixedReviewer
from tests.support.anvil import Anvil, start_anvil, stop_anvil

pytestmark = pytest.mark.anvil

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "pw-for-request-tests"  # noqa: S105
# A harmless proposal: account 0 sends 0.01 ETH to account 1 (a delegate's "transfer").
PROPOSAL_TX = {"from": ADDR0, "to": ADDR1, "value": str(10**16), "data": "0x"}


def _paths(root: Path) -> Paths:
    return Paths(root / "data", root / "config", root / "cache", root / "logs")


def _wallet(root: Path) -> Paths:
    """A store on disk (password only) holding anvil's test phrase and one proposal."""
    paths = _paths(root)
    store = Store.create(paths, PASSWORD, use_keyring=False)
    try:
        with store.session() as s:
            accounts.create_hd_wallet(s, PHRASE, name="Main")
            s.add(Proposal(delegate="test", kind="transfer", payload={"tx": PROPOSAL_TX}))
    finally:
        store.close()
    return paths


def _pipeline(store: Store, anvil: Anvil, reviewer: object | None = None) -> RequestPipeline:
    client = ChainClient.connect(anvil.url, anvil.chain_id, name="anvil", timeout=5)
    fixed = reviewer or FixedReviewer()
    return RequestPipeline(store, client, ChosenReviewer(lambda: fixed, None, lambda: True))  # type: ignore[arg-type, return-value]


def _sent_from(anvil: Anvil) -> int:
    """How many transactions account 0 has had mined or pending on the node."""
    return int(anvil.rpc("eth_getTransactionCount", ADDR0, "pending"), 16)


def test_a_proposal_approved_from_two_windows_is_sent_once(anvil: Anvil, tmp_path: Path) -> None:
    paths = _wallet(tmp_path)
    one, two = Store.open(paths, PASSWORD), Store.open(paths, PASSWORD)  # two windows
    try:
        a, b = _pipeline(one, anvil), _pipeline(two, anvil)
        seen_a = a.prepare_proposal(1)
        seen_b = b.prepare_proposal(1)
        assert seen_a.request_id == seen_b.request_id  # one open request per proposal
        b.confirm(seen_b)
        sent = b.send_confirmed(seen_b.request_id, wait_s=10)
        assert sent.status == "confirmed"
        # The first window still shows its dialog and says yes: nothing more is signed.
        with pytest.raises(ReviewRequired):
            a.confirm(seen_a)
            a.send_confirmed(seen_a.request_id, wait_s=10)
        with pytest.raises(RequestClosed, match="already sent"):
            a.prepare_proposal(1)
        assert _sent_from(anvil) == 1
        with one.session() as s:
            assert s.get(Proposal, 1).status == "approved"  # type: ignore[union-attr]
            rows = list(s.scalars(select(SignRequest)))
            assert [(r.status, r.tx_hash) for r in rows] == [("sent", sent.tx_hash)]
    finally:
        one.close()
        two.close()


def test_a_changed_review_is_not_confirmed(anvil: Anvil, tmp_path: Path) -> None:
    """Window B reviewed the proposal again (new fees): A's yes was for other bytes."""
    paths = _wallet(tmp_path)
    store = Store.open(paths, PASSWORD)
    try:
        a, b = _pipeline(store, anvil), _pipeline(store, anvil)
        seen_a = a.prepare_proposal(1)
        anvil.rpc("anvil_setNextBlockBaseFeePerGas", hex(50 * 10**9))
        anvil.mine()
        seen_b = b.prepare_proposal(1)
        assert seen_b.review.request_digest != seen_a.review.request_digest
        with pytest.raises(ReviewRequired, match="changed after you reviewed"):
            a.confirm(seen_a)
        assert a.status(seen_a.request_id) == Status.REVIEWED
        assert _sent_from(anvil) == 0
    finally:
        store.close()


# The child approves proposal 1 and dies at the fault point (WARDEN_TEST_FAULT), as under
# kill -9: after the broadcast but before the request is recorded as sent, or after signing
# but before the broadcast.
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.config import Paths
    from app.store import Store
    from app.wallet.chain import ChainClient
    from app.wallet.requests import RequestPipeline
    from app.wallet.review_choice import ChosenReviewer
    from tests.app.wallet.conftest import FixedReviewer

    root, url = Path(sys.argv[1]), sys.argv[2]
    paths = Paths(root / "data", root / "config", root / "cache", root / "logs")
    store = Store.open(paths, sys.argv[3])
    client = ChainClient.connect(url, 31337, name="anvil", timeout=5)
    fixed = FixedReviewer()
    pipeline = RequestPipeline(store, client, ChosenReviewer(lambda: fixed, None, lambda: True))
    prepared = pipeline.prepare_proposal(1)
    pipeline.confirm(prepared)
    pipeline.send_confirmed(prepared.request_id, wait_s=5)
    print("survived")
    """
)


def _approve_in_a_child_that_dies(tmp_path: Path, anvil: Anvil, fault: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WARDEN_TEST_FAULT": fault}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), anvil.url, PASSWORD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 137, done.stderr[-2000:]
    assert "survived" not in done.stdout


def test_a_kill_between_broadcast_and_record_still_sends_once(anvil: Anvil, tmp_path: Path) -> None:
    paths = _wallet(tmp_path)
    _approve_in_a_child_that_dies(tmp_path, anvil, "after_broadcast")
    assert _sent_from(anvil) == 1  # the node has it
    store = Store.open(paths, PASSWORD)
    try:
        with store.session() as s:
            assert s.get(Proposal, 1).status == "pending"  # type: ignore[union-attr]
            (row,) = s.scalars(select(SignRequest))
            assert row.status == Status.SIGNING and row.raw
        # Approving it again (after the restart) finds the signed request and finishes it.
        pipeline = _pipeline(store, anvil)
        with pytest.raises(RequestClosed, match="already sent"):
            pipeline.prepare_proposal(1)
        assert _sent_from(anvil) == 1
        with store.session() as s:
            assert s.get(Proposal, 1).status == "approved"  # type: ignore[union-attr]
            assert s.get(SignRequest, row.id).status == Status.SENT  # type: ignore[union-attr]
    finally:
        store.close()


def test_a_kill_between_signing_and_broadcast_sends_the_same_bytes_once(
    anvil: Anvil, tmp_path: Path
) -> None:
    paths = _wallet(tmp_path)
    _approve_in_a_child_that_dies(tmp_path, anvil, "after_sign")
    assert _sent_from(anvil) == 0  # signed, never broadcast
    store = Store.open(paths, PASSWORD)
    try:
        with store.session() as s:
            (row,) = s.scalars(select(SignRequest))
            signed_hash = row.tx_hash
        pipeline = _pipeline(store, anvil)
        assert pipeline.resume_unfinished() == {row.id: Status.SENT}
        assert pipeline.resume_unfinished() == {}
        assert _sent_from(anvil) == 1
        receipt = anvil.rpc("eth_getTransactionReceipt", signed_hash)
        assert receipt is not None  # the very bytes signed before the crash were mined
        with store.session() as s:
            assert s.get(Proposal, 1).status == "approved"  # type: ignore[union-attr]
            history = list(s.scalars(select(Transfer).where(Transfer.tx_hash == signed_hash)))
            assert len(history) == 1
    finally:
        store.close()


def test_danger_needs_the_typed_words_and_a_rejected_request_stays_closed(
    anvil: Anvil, tmp_path: Path
) -> None:
    paths = _wallet(tmp_path)
    store = Store.open(paths, PASSWORD)
    try:
        pipeline = _pipeline(store, anvil, FixedReviewer("danger"))
        prepared = pipeline.prepare_proposal(1)
        with pytest.raises(ReviewRequired, match="typed confirmation"):
            pipeline.confirm(prepared, "yes")
        pipeline.confirm(prepared, DANGER_CONFIRMATION)
        sent = pipeline.send_confirmed(prepared.request_id, wait_s=10)
        assert sent.status == "confirmed"
        # A second proposal, rejected: it cannot be confirmed or signed afterwards.
        with store.session() as s:
            s.add(Proposal(delegate="test", kind="transfer", payload={"tx": PROPOSAL_TX}))
        second = pipeline.prepare_proposal(2)
        pipeline.reject_proposal(2)
        with pytest.raises(RequestClosed, match="rejected"):
            pipeline.confirm(second, DANGER_CONFIRMATION)
        with store.session() as s:
            assert s.get(Proposal, 2).status == "rejected"  # type: ignore[union-attr]
        assert _sent_from(anvil) == 1
    finally:
        store.close()


def test_with_the_node_down_the_review_is_limited_and_says_what_it_could_not_check(
    tmp_path: Path,
) -> None:
    """The real review (delegates.tx_review), as the CLI and the app choose it."""
    from delegates.tx_review.review_source import review_source

    node = start_anvil()
    paths = _wallet(tmp_path)
    store = Store.open(paths, PASSWORD)
    try:
        client = ChainClient.connect(node.url, node.chain_id, name="anvil", timeout=2)
        built = transactions.build_transfer(client, ADDR0, ADDR1, "0.5")
        pipeline = RequestPipeline(store, client, review_source(store, client, "ETH", 31337))
        full = pipeline.prepare(built)
        assert full.limited == () and "limited_review" not in full.review.codes
        stop_anvil(node)  # the node goes away between building and reviewing
        limited = pipeline.prepare(built)
        assert limited.limited and limited.review.verdict in ("caution", "danger")
        finding = next(f for f in limited.review.findings if f.code == "limited_review")
        assert "could not reach the node" in finding.detail
        assert "simulation" in finding.detail and "contract" in finding.detail
        # Confirming is allowed (the user saw the limits); sending needs the node.
        pipeline.confirm(limited)
        with pytest.raises(NetworkError):
            pipeline.send_confirmed(limited.request_id, wait_s=1)
        assert pipeline.status(limited.request_id) == Status.CONFIRMED  # nothing signed
    finally:
        store.close()
        if node.process.poll() is None:
            stop_anvil(node)
