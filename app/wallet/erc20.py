"""The few ERC-20 pieces the wallet needs: ABI, calldata, metadata reads, the Transfer topic."""

from __future__ import annotations

from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address

from app.errors import InvalidInput, NetworkError
from app.wallet.chain import ChainClient

TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
_TRANSFER = function_signature_to_4byte_selector("transfer(address,uint256)")
_BALANCE_OF = function_signature_to_4byte_selector("balanceOf(address)")
_DECIMALS = function_signature_to_4byte_selector("decimals()")
_SYMBOL = function_signature_to_4byte_selector("symbol()")
_NAME = function_signature_to_4byte_selector("name()")


def transfer_data(to: str, amount: int) -> bytes:
    return _TRANSFER + encode(["address", "uint256"], [to, amount])


def decode_transfer_data(data: bytes) -> tuple[str, int] | None:
    """(recipient, amount) when ``data`` is an ERC-20 ``transfer`` call, else None."""
    if len(data) != 68 or data[:4] != _TRANSFER:
        return None
    to, amount = decode(["address", "uint256"], data[4:])
    return to_checksum_address(to), int(amount)


def balance_of(client: ChainClient, token: str, owner: str) -> int:
    out = client.call({"to": token, "data": _BALANCE_OF + encode(["address"], [owner])})
    if len(out) < 32:
        raise NetworkError(f"{token} did not answer balanceOf; it may not be an ERC-20 token.")
    return int(decode(["uint256"], out[:32])[0])


def _string(client: ChainClient, token: str, selector: bytes) -> str:
    out = client.call({"to": token, "data": selector})
    if len(out) == 32:  # a few old tokens (MKR) return bytes32
        return out.rstrip(b"\0").decode("utf-8", "replace")
    return str(decode(["string"], out)[0])


def read_metadata(client: ChainClient, token: str) -> dict[str, Any]:
    """symbol, name and decimals read from the contract; InvalidInput when it is not ERC-20."""
    try:
        out = client.call({"to": token, "data": _DECIMALS})
        decimals = int(decode(["uint8"], out[:32])[0])
        symbol = _string(client, token, _SYMBOL)
        try:
            name = _string(client, token, _NAME)
        except Exception:
            name = ""
    except NetworkError as exc:
        raise InvalidInput(
            f"{token} on {client.name} does not look like an ERC-20 token ({exc}).",
            hint="Check the token's address and the network.",
        ) from None
    except Exception:
        raise InvalidInput(
            f"{token} on {client.name} does not look like an ERC-20 token.",
            hint="Check the token's address and the network.",
        ) from None
    return {"symbol": symbol[:32], "name": name[:128], "decimals": decimals}
