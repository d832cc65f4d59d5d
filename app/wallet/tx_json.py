"""A built transaction as JSON and back, to store a request between its review and signing.
The round trip is exact: the stored transaction's ``request()`` has the reviewed digest."""

from __future__ import annotations

from typing import Any

from app.errors import InvalidInput
from app.wallet.tokens import TokenInfo
from app.wallet.transactions import BuiltTransaction


def tx_to_json(built: BuiltTransaction) -> dict[str, Any]:
    token = built.token
    return {
        "chain_id": built.chain_id,
        "sender": built.sender,
        "to": built.to,
        "value": str(built.value),
        "data": built.data.hex(),
        "gas": built.gas,
        "max_fee_per_gas": str(built.max_fee_per_gas),
        "max_priority_fee_per_gas": str(built.max_priority_fee_per_gas),
        "recipient": built.recipient,
        "amount": str(built.amount),
        "token": None
        if token is None
        else {
            "chain_id": token.chain_id,
            "address": token.address,
            "symbol": token.symbol,
            "decimals": token.decimals,
            "name": token.name,
        },
        "origin": built.origin,
        "extra": dict(built.extra),
    }


def tx_from_json(data: dict[str, Any]) -> BuiltTransaction:
    try:
        token = data.get("token")
        return BuiltTransaction(
            chain_id=int(data["chain_id"]),
            sender=str(data["sender"]),
            to=str(data["to"]),
            value=int(data["value"]),
            data=bytes.fromhex(str(data["data"])),
            gas=int(data["gas"]),
            max_fee_per_gas=int(data["max_fee_per_gas"]),
            max_priority_fee_per_gas=int(data["max_priority_fee_per_gas"]),
            recipient=str(data["recipient"]),
            amount=int(data["amount"]),
            token=None
            if not token
            else TokenInfo(
                int(token["chain_id"]),
                str(token["address"]),
                str(token["symbol"]),
                int(token["decimals"]),
                str(token.get("name") or ""),
            ),
            origin=data.get("origin"),
            extra=dict(data.get("extra") or {}),
        )
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(
            "A stored request is damaged and was not signed.", hint="Start the send again."
        ) from None
