from __future__ import annotations

import pytest
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider

from app.store.schema import Account
from app.wallet.demo import deploy_demo_token
from delegates.routine import approvals, danger, gas, incoming  # noqa: F401 - registers them
from delegates.runtime.registry import REGISTRY
from delegates.runtime.runner import Runner


@pytest.fixture
def w3() -> Web3:
    return Web3(EthereumTesterProvider())


@pytest.fixture
def me(w3, db) -> str:
    address = w3.eth.accounts[1]
    with db.session() as s:
        s.add(Account(address=address, name="me", kind="imported"))
    return address


@pytest.fixture
def token(w3) -> str:
    return deploy_demo_token(w3, w3.eth.accounts[0], "Demo Dollar", "dUSD", 6, 10**12)


@pytest.fixture
def runner(db, bus, notifier, w3):
    r = Runner(REGISTRY, db, bus, notifier, chain=w3)
    yield r
    r.shutdown()
