"""A site's parameters turned into what the wallet signs: checked types and ranges, the
account one of the site's connected accounts. Anything else is ``invalid_params``."""

from __future__ import annotations

from typing import Any

from app.dapp.limits import parse_text
from app.dapp.rpc_errors import invalid_params, unauthorized
from app.wallet.rpc_checks import GAS_MAX

MAX_DATA_BYTES = 512 * 1024
UINT256 = 2**256


def quantity(value: Any, what: str, *, high: int = UINT256) -> int:
    if not isinstance(value, str) or not value.startswith(("0x", "0X")) or len(value) > 66:
        raise invalid_params(f"{what} must be a 0x-hex quantity.")
    try:
        number = int(value, 16)
    except ValueError:
        raise invalid_params(f"{what} must be a 0x-hex quantity.") from None
    if not 0 <= number < high:
        raise invalid_params(f"{what} is out of range.")
    return number


def hex_data(value: Any, what: str) -> bytes:
    if value is None:
        return b""
    if not isinstance(value, str) or not value.startswith(("0x", "0X")):
        raise invalid_params(f"{what} must be 0x-hex bytes.")
    if len(value) > 2 + 2 * MAX_DATA_BYTES:
        raise invalid_params(f"{what} is larger than {MAX_DATA_BYTES} bytes.")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise invalid_params(f"{what} must be 0x-hex bytes.") from None


def own_account(value: Any, connected: tuple[str, ...]) -> str:
    """The connected account ``value`` names, in the store's spelling; 4100 for any other."""
    if not isinstance(value, str):
        raise invalid_params("the account must be an address.")
    for account in connected:
        if account.lower() == value.strip().lower():
            return account
    raise unauthorized("The site asked for an account it is not connected to.")


def address(value: Any, what: str) -> str:
    from app.errors import InvalidInput
    from app.wallet.addresses import validate_address

    if not isinstance(value, str):
        raise invalid_params(f"{what} must be an address.")
    try:
        return validate_address(value, what=what)
    except InvalidInput:
        raise invalid_params(f"{what} is not a valid address.") from None


def transaction(params: Any) -> dict[str, Any]:
    """``[{from, to, value?, data?, gas?, chainId?}]`` -> checked fields."""
    if not isinstance(params, list) or len(params) != 1 or not isinstance(params[0], dict):
        raise invalid_params("eth_sendTransaction takes one transaction object.")
    tx = params[0]
    if tx.get("to") in (None, "", "0x"):
        raise invalid_params("Warden does not deploy contracts for sites (no 'to').")
    if "data" in tx and "input" in tx and tx["data"] != tx["input"]:
        raise invalid_params("'data' and 'input' differ.")
    out: dict[str, Any] = {
        "from": tx.get("from"),
        "to": address(tx.get("to"), "the transaction's 'to'"),
        "value": quantity(tx.get("value", "0x0"), "value"),
        "data": hex_data(tx.get("data", tx.get("input")), "data"),
        "gas": quantity(tx["gas"], "gas", high=GAS_MAX + 1) if tx.get("gas") else None,
        "chain_id": quantity(tx["chainId"], "chainId") if tx.get("chainId") else None,
    }
    return out


def personal_sign(params: Any) -> tuple[str, Any]:
    """``[message, address]`` -> (address, message)."""
    if not isinstance(params, list) or len(params) < 2 or not isinstance(params[0], str):
        raise invalid_params("personal_sign takes [message, address].")
    if len(params[0]) > 2 + 2 * MAX_DATA_BYTES:
        raise invalid_params("the message is too large.")
    return params[1], params[0]


def typed_data(params: Any) -> tuple[str, dict[str, Any]]:
    """``[address, typedData]`` (typed data as a JSON string or an object) -> (address, data)."""
    if not isinstance(params, list) or len(params) != 2:
        raise invalid_params("eth_signTypedData_v4 takes [address, typedData].")
    data = params[1]
    if isinstance(data, str):
        data = parse_text(data, "typed data")
    if not isinstance(data, dict):
        raise invalid_params("the typed data must be an object.")
    for key in ("types", "primaryType", "domain", "message"):
        if key not in data:
            raise invalid_params(f"the typed data has no {key!r}.")
    return params[0], data


MAX_CHAIN_NAME = 64
MAX_RPC_URL = 200


def new_chain(arg: dict[str, Any]) -> tuple[str, str, str]:
    """EIP-3085 ``{chainName, rpcUrls, nativeCurrency}`` -> (name, rpc_url, symbol), checked:
    a printable name, an https node (http only on this computer), a short symbol."""
    from urllib.parse import urlsplit

    name = arg.get("chainName")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_CHAIN_NAME:
        raise invalid_params("chainName must be a short name.")
    name = name.strip()
    if not name.isprintable():
        raise invalid_params("chainName has characters that cannot be shown.")
    urls = arg.get("rpcUrls")
    if not isinstance(urls, list) or not urls or not isinstance(urls[0], str):
        raise invalid_params("rpcUrls must list the network's node.")
    url = urls[0].strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise invalid_params("rpcUrls[0] is not a web address.") from None
    local = parts.hostname in ("127.0.0.1", "localhost")
    if (
        len(url) > MAX_RPC_URL
        or not parts.hostname
        or parts.username
        or parts.password
        or not (parts.scheme == "https" or (parts.scheme == "http" and local))
    ):
        raise invalid_params("rpcUrls[0] must be an https address (http only on this computer).")
    currency = arg.get("nativeCurrency") or {}
    symbol = currency.get("symbol", "ETH") if isinstance(currency, dict) else None
    if not isinstance(symbol, str) or not (1 <= len(symbol) <= 10) or not symbol.isalnum():
        raise invalid_params("nativeCurrency.symbol must be 1 to 10 letters or digits.")
    return name, url, symbol
