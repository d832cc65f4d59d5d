"""The demo ERC-20, compiled from its Vyper source in the tests (vyper is a test extra).

``python -m tests.support.erc20`` rewrites the committed artifact the demo deploys from.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "app" / "wallet" / "contracts" / "DemoToken.vy"
ARTIFACT = SOURCE.with_suffix(".json")


@cache
def compile_token() -> dict[str, Any]:
    """{"abi", "bytecode", "compiler"} compiled now from DemoToken.vy."""
    import vyper

    out = vyper.compile_code(SOURCE.read_text(), output_formats=["abi", "bytecode"])
    return {
        "abi": out["abi"],
        "bytecode": out["bytecode"],
        "compiler": f"vyper {vyper.__version__}",
    }


def deploy_token(w3: Any, deployer: str, name: str, symbol: str, decimals: int, supply: int) -> str:
    """Deploy the freshly compiled token from an unlocked account; returns its address."""
    art = compile_token()
    contract = w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    tx_hash = contract.constructor(name, symbol, decimals, supply).transact({"from": deployer})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
    return str(receipt["contractAddress"])


if __name__ == "__main__":
    art = compile_token()
    ARTIFACT.write_text(json.dumps({"source": SOURCE.name, **art}, indent=1) + "\n")
    print(f"wrote {ARTIFACT} ({art['compiler']})")
