"""Read-only JSON-RPC methods a site may ask the node directly, through the chain client
(one deadline per call, a cap on the answer, the node's errors as inert text)."""

from __future__ import annotations

from typing import Any

from app.dapp.rpc_errors import INTERNAL_ERROR, ProviderRpcError
from app.errors import NetworkError
from app.wallet.chain import ChainClient

# Reads only: nothing here signs, sends or changes the node's state.
READ_ONLY = frozenset(
    {
        "eth_blockNumber",
        "eth_call",
        "eth_estimateGas",
        "eth_feeHistory",
        "eth_gasPrice",
        "eth_getBalance",
        "eth_getBlockByHash",
        "eth_getBlockByNumber",
        "eth_getBlockTransactionCountByHash",
        "eth_getBlockTransactionCountByNumber",
        "eth_getCode",
        "eth_getLogs",
        "eth_getProof",
        "eth_getStorageAt",
        "eth_getTransactionByHash",
        "eth_getTransactionCount",
        "eth_getTransactionReceipt",
        "eth_maxPriorityFeePerGas",
        "eth_syncing",
        "net_listening",
        "web3_clientVersion",
    }
)


def proxy(client: ChainClient, method: str, params: list[Any]) -> Any:
    """The node's result for a read-only ``method``; its error object passed on as such."""
    try:
        answer = client.run(
            "answering a site's read request",
            lambda: client.w3.provider.make_request(method, params),  # type: ignore[arg-type]
        )
    except NetworkError:
        raise ProviderRpcError(
            INTERNAL_ERROR, "Warden could not get an answer from the network's node."
        ) from None
    if not isinstance(answer, dict):
        raise ProviderRpcError(INTERNAL_ERROR, "The node's answer could not be read.")
    error = answer.get("error")
    if error is not None:
        code = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        raise ProviderRpcError(
            code if isinstance(code, int) and not isinstance(code, bool) else INTERNAL_ERROR,
            str(message)[:500] if message is not None else "The node refused the request.",
        )
    return answer.get("result")
