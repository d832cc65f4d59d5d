"""Build native and ERC-20 transfers: recipient and amount checked, EIP-1559 fees and gas from
the node. A built transaction has no nonce and no signature yet; its EIP-1193 ``request()`` is
what the review sees and what the signing step checks the review against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.errors import InsufficientFunds, InvalidInput
from app.wallet import erc20
from app.wallet.addresses import validate_address
from app.wallet.amounts import format_short, parse_amount
from app.wallet.chain import ChainClient
from app.wallet.tokens import TokenInfo

# Headroom on the node's gas estimate: state can shift a little between estimate and inclusion.
GAS_MARGIN = 1.2


@dataclass(frozen=True)
class BuiltTransaction:
    chain_id: int
    sender: str
    to: str
    value: int
    data: bytes
    gas: int
    max_fee_per_gas: int
    max_priority_fee_per_gas: int
    # What the user meant, for history and display (the token transfer's real recipient).
    recipient: str
    amount: int
    token: TokenInfo | None = None
    origin: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def max_cost_wei(self) -> int:
        return self.value + self.gas * self.max_fee_per_gas

    def request(self) -> dict[str, Any]:
        """The EIP-1193 request this transaction is (the review's input; hex strings)."""
        return {
            "method": "eth_sendTransaction",
            "chain_id": self.chain_id,
            "origin": self.origin,
            "from": self.sender,
            "params": {
                "to": self.to,
                "value": hex(self.value),
                "data": "0x" + self.data.hex(),
                "gas": hex(self.gas),
                "maxFeePerGas": hex(self.max_fee_per_gas),
                "maxPriorityFeePerGas": hex(self.max_priority_fee_per_gas),
            },
        }

    def tx_dict(self, nonce: int) -> dict[str, Any]:
        """The EIP-1559 transaction fields eth_account signs."""
        return {
            "type": 2,
            "chainId": self.chain_id,
            "nonce": nonce,
            "to": self.to,
            "value": self.value,
            "data": self.data,
            "gas": self.gas,
            "maxFeePerGas": self.max_fee_per_gas,
            "maxPriorityFeePerGas": self.max_priority_fee_per_gas,
        }


def build_transfer(
    client: ChainClient,
    sender: str,
    to: str,
    amount: str | int,
    *,
    token: TokenInfo | None = None,
    native_symbol: str = "ETH",
) -> BuiltTransaction:
    """A transfer of ``amount`` (text in whole units, or int base units) to ``to``.

    Raises InvalidInput for a bad address or amount, InsufficientFunds when the balance does not
    cover the amount (and, for native coin, the maximum fee), NetworkError when the node fails.
    """
    sender = validate_address(sender, what="sender address")
    recipient = validate_address(to, what="recipient address")
    decimals = token.decimals if token else 18
    symbol = token.symbol if token else native_symbol
    units = amount if isinstance(amount, int) else parse_amount(amount, decimals, symbol=symbol)
    if units < 0:
        raise InvalidInput(f"The amount {units} is negative.")
    if token is not None and token.chain_id != client.chain_id:
        raise InvalidInput(
            f"{token.symbol} is a token of chain {token.chain_id}, not {client.name}."
        )

    if token is None:
        tx_to, value, data = recipient, units, b""
    else:
        held = erc20.balance_of(client, token.address, sender)
        if units > held:
            raise InsufficientFunds(
                f"The amount {format_short(units, decimals, distinct_from=held)} {symbol} is above "
                f"the balance of {format_short(held, decimals, distinct_from=units)} {symbol}."
            )
        tx_to, value, data = token.address, 0, erc20.transfer_data(recipient, units)

    native = client.balance(sender)
    if value > native:
        raise InsufficientFunds(
            f"The amount {format_short(units, 18, distinct_from=native)} {symbol} is above the "
            f"balance of {format_short(native, 18, distinct_from=units)} {symbol}."
        )
    fees = client.fees()
    if value + 21_000 * fees.max_fee_per_gas > native:  # say so before the node refuses to estimate
        raise InsufficientFunds(
            f"The amount plus the maximum fee is above the balance of "
            f"{format_short(native, 18)} {native_symbol}."
        )
    estimate = client.estimate_gas({"from": sender, "to": tx_to, "value": value, "data": data})
    gas = estimate if estimate == 21000 and not data else int(estimate * GAS_MARGIN)
    built = BuiltTransaction(
        chain_id=client.chain_id,
        sender=sender,
        to=tx_to,
        value=value,
        data=data,
        gas=gas,
        max_fee_per_gas=fees.max_fee_per_gas,
        max_priority_fee_per_gas=fees.max_priority_fee_per_gas,
        recipient=recipient,
        amount=units,
        token=token,
    )
    if built.max_cost_wei > native:
        raise InsufficientFunds(
            f"The amount plus the maximum fee ({format_short(built.max_cost_wei, 18)} "
            f"{native_symbol}) is above the balance of {format_short(native, 18)} "
            f"{native_symbol}."
        )
    return built
