"""A send's fee chosen by the user (``--max-fee``, ``--priority-fee`` in gwei) and a send of
everything (``--max``): all of the native coin minus the largest fee the transaction can
cost, or a token's whole balance."""

from __future__ import annotations

import dataclasses

from app.errors import InsufficientFunds, InvalidInput
from app.wallet import erc20
from app.wallet.amounts import CANONICAL, NumberFormat, format_amount, format_short, parse_amount
from app.wallet.chain import ChainClient
from app.wallet.tokens import TokenInfo
from app.wallet.transactions import BuiltTransaction, build_transfer

GWEI = 10**9


def parse_gwei(text: str, what: str, fmt: NumberFormat = CANONICAL) -> int:
    """``text`` gwei as wei; more than zero."""
    wei = parse_amount(text, 9, symbol="gwei", fmt=fmt)
    if wei <= 0:
        raise InvalidInput(f"The {what} must be more than 0 gwei.")
    return wei


def with_fees(
    built: BuiltTransaction, max_fee: int | None = None, priority_fee: int | None = None
) -> BuiltTransaction:
    """``built`` with the user's fees. Given only a tip, the cap moves by as much as the tip;
    given only a cap, the tip is the node's suggestion, or the cap if that is lower."""
    if max_fee is None and priority_fee is None:
        return built
    tip = built.max_priority_fee_per_gas
    if priority_fee is not None and max_fee is not None:
        if priority_fee > max_fee:
            raise InvalidInput(
                f"The priority fee ({format_amount(priority_fee, 9)} gwei) is above the "
                f"maximum fee ({format_amount(max_fee, 9)} gwei).",
                hint="The maximum fee includes the priority fee: raise it or lower the tip.",
            )
        cap, tip = max_fee, priority_fee
    elif priority_fee is not None:
        cap, tip = max(built.max_fee_per_gas - tip + priority_fee, priority_fee), priority_fee
    else:
        assert max_fee is not None
        cap, tip = max_fee, min(tip, max_fee)
    return dataclasses.replace(built, max_fee_per_gas=cap, max_priority_fee_per_gas=tip)


def check_affordable(client: ChainClient, built: BuiltTransaction, native_symbol: str) -> None:
    """The native balance covers the value and the largest fee the transaction can cost."""
    native = client.balance(built.sender)
    if built.max_cost_wei > native:
        raise InsufficientFunds(
            f"The amount plus the maximum fee ({format_short(built.max_cost_wei, 18)} "
            f"{native_symbol}) is above the balance of {format_short(native, 18)} "
            f"{native_symbol}."
        )


def build_everything(
    client: ChainClient,
    sender: str,
    to: str,
    *,
    token: TokenInfo | None = None,
    native_symbol: str = "ETH",
    max_fee: int | None = None,
    priority_fee: int | None = None,
) -> BuiltTransaction:
    """A send of everything: a token's whole balance, or the native balance minus the largest
    fee (gas limit times the maximum fee; what the fee does not use stays in the account)."""
    if token is not None:
        held = erc20.balance_of(client, token.address, sender)
        if held <= 0:
            raise InsufficientFunds(f"This account holds no {token.symbol}; nothing to send.")
        built = build_transfer(client, sender, to, held, token=token, native_symbol=native_symbol)
        built = with_fees(built, max_fee, priority_fee)
        check_affordable(client, built, native_symbol)
        return built
    probe = build_transfer(client, sender, to, 0, native_symbol=native_symbol)
    probe = with_fees(probe, max_fee, priority_fee)
    native = client.balance(sender)
    value = native - probe.gas * probe.max_fee_per_gas
    if value <= 0:
        raise InsufficientFunds(
            f"The balance of {format_short(native, 18)} {native_symbol} does not cover the "
            f"maximum fee ({format_short(probe.gas * probe.max_fee_per_gas, 18)} "
            f"{native_symbol}); nothing is left to send."
        )
    return dataclasses.replace(probe, value=value, amount=value)
