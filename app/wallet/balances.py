"""Balances: the native coin and each known ERC-20 token of an account."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import NetworkError
from app.wallet import erc20
from app.wallet.amounts import format_amount
from app.wallet.chain import ChainClient
from app.wallet.tokens import TokenInfo


@dataclass(frozen=True)
class Balance:
    symbol: str
    amount: int | None  # None: the token did not answer
    decimals: int
    token: TokenInfo | None = None

    def text(self, places: int = 6) -> str:
        if self.amount is None:
            return f"? {self.symbol}"
        return f"{format_amount(self.amount, self.decimals, places=places)} {self.symbol}"


def balances(
    client: ChainClient, address: str, tokens: list[TokenInfo], *, native_symbol: str = "ETH"
) -> list[Balance]:
    """Native first, then each token. A dead node raises; one broken token shows as unknown."""
    out = [Balance(native_symbol, client.balance(address), 18)]
    for t in tokens:
        try:
            amount: int | None = erc20.balance_of(client, t.address, address)
        except NetworkError:
            client.block_number()  # re-raise if the node itself is gone, not just this token
            amount = None
        out.append(Balance(t.symbol, amount, t.decimals, t))
    return out
