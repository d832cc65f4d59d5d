"""A chain with a known past on anvil: transfers to and from one account scattered over many
blocks, native, token, and native sent by a contract inside a transaction (internal).

Used by the history tests and by ``bench/history.py``. The account is anvil's account 1, an
"imported" wallet: its key signs its sends (anvil holds it unlocked), and its genesis balance
is a starting balance, not a transfer.
"""

from __future__ import annotations

import json
import random
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from web3 import Web3

from tests.support.anvil import Anvil

ACCOUNT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # anvil's account 1
BANK = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # anvil's account 0
OTHER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"  # anvil's account 2
KINDS = ("native in", "native out", "token in", "token out", "internal in")


@dataclass(frozen=True)
class Expected:
    kind: str
    tx_hash: str
    block: int
    amount: int


@dataclass
class HistoryChain:
    node: Anvil
    token: str
    forwarder: str
    expected: list[Expected] = field(default_factory=list)
    nodes: list[Anvil] = field(default_factory=list)

    def rpc(self, method: str, *params: Any, timeout: float = 600) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
        req = urllib.request.Request(
            self.node.url, body.encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            out = json.loads(resp.read())
        if "error" in out:
            raise RuntimeError(out["error"])
        return out["result"]

    def height(self) -> int:
        return int(self.rpc("eth_blockNumber"), 16)

    def mine(self, blocks: int) -> None:
        if blocks > 0:
            self.rpc("anvil_mine", hex(blocks))

    def send(self, kind: str, amount: int) -> Expected:
        """One transfer of ``kind`` in a block of its own; returns what a scan must find."""
        w3 = Web3(Web3.HTTPProvider(self.node.url))
        if kind == "native in":
            tx = {"from": BANK, "to": ACCOUNT, "value": amount}
        elif kind == "native out":
            tx = {"from": ACCOUNT, "to": OTHER, "value": amount}
        elif kind == "internal in":  # the bank pays a contract, which pays the account
            tx = {"from": BANK, "to": self.forwarder, "value": amount}
        else:
            frm, to = (BANK, ACCOUNT) if kind == "token in" else (ACCOUNT, OTHER)
            data = "0xa9059cbb" + _word(int(to, 16)) + _word(amount)
            tx = {"from": frm, "to": self.token, "data": data}
        tx_hash = w3.eth.send_transaction(tx)  # type: ignore[arg-type]
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash)
        assert receipt["status"] == 1
        done = Expected(kind, "0x" + bytes(tx_hash).hex(), int(receipt["blockNumber"]), amount)
        self.expected.append(done)
        return done


def _word(n: int) -> str:
    return n.to_bytes(32, "big").hex()


def forwarder_code(to: str) -> str:
    """Init code of a contract that sends whatever it is paid on to ``to`` (an internal
    transfer: CALL(gas, to, callvalue, 0, 0, 0, 0))."""
    runtime = "6000600060006000" + "34" + "73" + to[2:].lower() + "5a" + "f1" + "00"
    size = len(runtime) // 2
    init = f"60{size:02x}600c60003960{size:02x}6000f3"
    assert len(init) // 2 == 12
    return "0x" + init + runtime


def build(
    node: Anvil,
    *,
    blocks: int,
    transfers: int,
    seed: int = 17,
    segment: int = 0,
    fork: Callable[[Anvil, int], Anvil] | None = None,
) -> HistoryChain:
    """Deploy a token and a forwarder, then ``transfers`` transfers (every kind in turn) at
    random heights, the chain padded with empty blocks to ``blocks`` in all.

    With ``segment`` and ``fork``, every ``segment`` blocks the chain moves on to a new node
    that forks the last one at its head (``fork(node, height)``): anvil keeps each past state
    whole, so one node's archive grows with the square of its length; a chain of nodes, each
    answering for its own blocks and passing older questions up, keeps it linear. The last
    node is ``chain.node``; all of them are in ``chain.nodes``."""
    from app.wallet.demo import deploy_demo_token

    w3 = Web3(Web3.HTTPProvider(node.url))
    token = deploy_demo_token(w3, BANK, "Test Dollar", "tUSD", 6, 10**18)
    deployed = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_transaction({"from": BANK, "data": forwarder_code(ACCOUNT)})  # type: ignore[typeddict-item]
    )
    chain = HistoryChain(node, token, str(deployed["contractAddress"]), nodes=[node])
    # The account needs tokens to send some: the first "token out" follows a "token in".
    rng = random.Random(seed)
    start = int(w3.eth.block_number)
    room = max(0, blocks - start - transfers)
    heights = sorted(rng.sample(range(room), transfers)) if room >= transfers else [0] * transfers
    at = 0

    def advance(to: int) -> None:
        """Mine up to chain height ``to``, moving on to a forked node at each boundary."""
        while True:
            height = chain.height()
            boundary = (height // segment + 1) * segment if segment and fork else None
            if boundary is None or boundary > to:
                chain.mine(to - height)
                return
            chain.mine(boundary - height)
            assert fork is not None
            chain.node = fork(chain.node, boundary)
            chain.nodes.append(chain.node)

    for n, gap in enumerate(heights):
        advance(chain.height() + gap - at)
        at = gap
        kind = KINDS[n % len(KINDS)]
        chain.send(kind, n + 1 if kind == "token out" else 10**15 + n)
    advance(blocks)
    return chain
