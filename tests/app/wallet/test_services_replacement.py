"""``WalletServices.prepare_replacement``: the core of the app's "Speed up" and "Cancel" on a
pending row, against a real anvil node and a real encrypted store (no window: the buttons
are another screen's work). The review's verdict is fixed (FixedReviewer): this checks what
is signed, not the review's judgement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.config import Paths
from app.store import Store
from app.wallet import accounts, history, requests, transactions
from app.wallet.chain import ChainClient
from app.wallet.networks import NetworkInfo
from app.wallet.services import WalletServices
from tests.app.wallet.conftest import ADDR0, ADDR1, PHRASE, FixedReviewer
from tests.support.anvil import Anvil

pytestmark = pytest.mark.anvil


class _Reviewer:
    def __init__(self) -> None:
        self.fixed = FixedReviewer()

    def review(self, request: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
        return self.fixed.review(request), ()


@pytest.mark.parametrize("cancel", [False, True])
def test_a_pending_send_is_sped_up_or_cancelled_with_its_nonce(
    anvil: Anvil, tmp_path: Path, cancel: bool
) -> None:
    paths = Paths(*(tmp_path / d for d in ("data", "config", "cache", "logs")))
    store = Store.create(paths, "a long password", use_keyring=False)
    try:
        with store.session() as s:
            accounts.create_hd_wallet(s, PHRASE)
        client = ChainClient.connect(anvil.url, anvil.chain_id, name="anvil", timeout=5)
        network = NetworkInfo("anvil", anvil.chain_id, anvil.url)
        services = WalletServices(store, client, network, _Reviewer(), wait_s=0)
        anvil.automine(False)
        built = transactions.build_transfer(client, ADDR0, ADDR1, "0.3")
        outcome = FixedReviewer().review(built.request())
        first = requests.send_reviewed(store, client, built, outcome, wait_s=0)

        prepared = services.prepare_replacement(first.tx_hash, cancel=cancel)
        assert prepared.built.extra == {"nonce": 0, "replaces": first.tx_hash}
        assert prepared.built.max_priority_fee_per_gas > built.max_priority_fee_per_gas
        assert (prepared.built.to, prepared.built.value) == (
            (ADDR0, 0) if cancel else (ADDR1, 3 * 10**17)
        )
        new_hash = services.sign_and_send(prepared, None)
        assert anvil.rpc("eth_getTransactionByHash", first.tx_hash) is None  # replaced in the pool
        anvil.mine()
        receipt = anvil.rpc("eth_getTransactionReceipt", new_hash)
        assert receipt is not None and int(receipt["status"], 16) == 1
        assert int(anvil.rpc("eth_getTransactionCount", ADDR0, "latest"), 16) == 1
        statuses = {r.tx_hash: r.status for r in history.list_history(store)}
        assert statuses[first.tx_hash] == "replaced"
    finally:
        store.close()
