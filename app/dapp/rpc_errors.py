"""EIP-1193 and JSON-RPC error codes, and the one exception the provider raises to a site."""

from __future__ import annotations

from typing import Any

# EIP-1193 provider errors
USER_REJECTED = 4001
UNAUTHORIZED = 4100
UNSUPPORTED_METHOD = 4200
DISCONNECTED = 4900
CHAIN_DISCONNECTED = 4901
# EIP-3326: the chain is not known to the wallet (add it first)
UNRECOGNIZED_CHAIN = 4902
# JSON-RPC 2.0
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
LIMIT_EXCEEDED = -32005  # EIP-1474: request limit exceeded


class ProviderRpcError(Exception):
    """An error a site receives as ``{"code", "message"}``. The message is for the site and
    never carries the user's data (addresses, amounts, keys)."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            out["data"] = self.data
        return out


def rejected() -> ProviderRpcError:
    return ProviderRpcError(USER_REJECTED, "User rejected the request.")


def unauthorized(what: str = "Connect this site in Warden first.") -> ProviderRpcError:
    return ProviderRpcError(
        UNAUTHORIZED, f"The requested account or method is not authorized. {what}"
    )


def unsupported(method: str) -> ProviderRpcError:
    return ProviderRpcError(
        UNSUPPORTED_METHOD, f"Warden does not support the method {method[:64]!r}."
    )


def invalid_params(why: str) -> ProviderRpcError:
    return ProviderRpcError(INVALID_PARAMS, f"Invalid parameters: {why}")
