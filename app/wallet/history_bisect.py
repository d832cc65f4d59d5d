"""Where an account's native state changed, found by bisection over past blocks.

An externally owned account's balance goes down only in a transaction it signs, and each
such transaction raises its nonce; so when both the balance and the nonce are the same at two
blocks, nothing moved in between (nothing came in either: incoming value only adds). Halving a
range whose two ends differ finds every block where something changed with about
2·log2(range) reads per change, instead of one full block per block.

This needs a node that keeps past state (an archive node, or anvil); one that refuses raises
``NetworkError`` from the first read, and the scan falls back to another method.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.wallet.chain import ChainClient


class StateProbe:
    """Reads an account's balance and nonce at past blocks, each at most once."""

    def __init__(self, client: ChainClient, account: str) -> None:
        self.client = client
        self.account = account
        self._balances: dict[int, int] = {}
        self._nonces: dict[int, int] = {}

    def balance(self, block: int) -> int:
        if block not in self._balances:
            self._balances[block] = self.client.balance(self.account, block)
        return self._balances[block]

    def nonce(self, block: int) -> int:
        if block not in self._nonces:
            self._nonces[block] = self.client.nonce(self.account, block)
        return self._nonces[block]

    def same(self, a: int, b: int) -> bool:
        """Whether nothing moved between blocks ``a`` and ``b``. The balance first: when it
        differs the nonce is never read."""
        return self.balance(a) == self.balance(b) and self.nonce(a) == self.nonce(b)


class Bisection:
    """The blocks in (lo, hi] where the account's state changed, oldest first.

    ``resolved`` is the highest block up to which every change has been yielded: if a read
    fails part way, everything in (lo, resolved] is known and a later scan resumes there."""

    def __init__(self, probe: StateProbe, lo: int, hi: int) -> None:
        self.probe = probe
        self.lo = lo
        self.hi = hi
        self.resolved = lo

    def __iter__(self) -> Iterator[int]:
        if self.hi <= self.lo:
            return
        # Depth first, left half before right half, so that blocks come out in order and
        # ``resolved`` only grows.
        stack = [(self.lo, self.hi)]
        while stack:
            a, b = stack.pop()
            if self.probe.same(a, b):
                self.resolved = b
                continue
            if b == a + 1:
                yield b
                self.resolved = b
                continue
            mid = (a + b) // 2
            stack.append((mid, b))
            stack.append((a, mid))
