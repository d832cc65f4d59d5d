"""The demo: an in-process EVM, a funded demo wallet, demo ERC-20 tokens and a little history,
all in a throw-away encrypted store. ``warden demo``, the desktop app, the delegates daemon and
the screenshots build it with ``build_demo``.

THE DEMO PHRASE AND PASSWORD BELOW ARE PUBLIC. They are for the demo chain only; anything sent
to these accounts on a real chain can be taken by anyone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from eth_account import Account as EthAccount
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider
from web3.types import Wei

from app.store import Store
from app.wallet import accounts, contacts, history, tokens
from app.wallet.accounts import AccountInfo
from app.wallet.chain import ChainClient
from app.wallet.erc20 import transfer_data
from app.wallet.networks import DEMO_CHAIN_ID, PRESETS, NetworkInfo, ensure_presets
from app.wallet.signing import HD_PATH
from app.wallet.tokens import TokenInfo

# Public, well-known development phrase (anvil/hardhat use it too). DEMO ONLY.
DEMO_PHRASE = "test test test test test test test test test test test junk"
DEMO_PASSWORD = "warden-demo"  # noqa: S105 - the throw-away demo store's public password
DEMO_NETWORK: NetworkInfo = next(p for p in PRESETS if p.chain_id == DEMO_CHAIN_ID)

EthAccount.enable_unaudited_hdwallet_features()


@dataclass
class Demo:
    directory: Path
    store: Store
    w3: Web3
    client: ChainClient
    network: NetworkInfo
    accounts: list[AccountInfo]
    tokens: list[TokenInfo]
    # Funded accounts of the demo chain that are not the user's: the "rest of the world".
    others: dict[str, str] = field(default_factory=dict)
    phrase: str = DEMO_PHRASE
    password: str = DEMO_PASSWORD

    def close(self) -> None:
        self.store.close()


def token_artifact() -> dict[str, Any]:
    """ABI and bytecode of DemoToken.vy, precompiled (the demo does not need vyper)."""
    text = (
        resources.files("app.wallet")
        .joinpath("contracts")
        .joinpath("DemoToken.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def deploy_demo_token(
    w3: Web3, deployer: str, name: str, symbol: str, decimals: int, supply: int
) -> str:
    art = token_artifact()
    contract = w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    tx_hash = contract.constructor(name, symbol, decimals, supply).transact({"from": deployer})
    return str(w3.eth.wait_for_transaction_receipt(tx_hash)["contractAddress"])


def send_as_demo_user(w3: Web3, index: int, to: str, value: int = 0, data: bytes = b"") -> None:
    """Past activity of the demo user, signed with the public demo phrase directly: this is
    the chain's history as it stands before the wallet opens, not a send through Warden."""
    acct = EthAccount.from_mnemonic(DEMO_PHRASE, account_path=HD_PATH.format(index=index))
    base = int(w3.eth.get_block("latest").get("baseFeePerGas") or 0)
    tx = {
        "type": 2,
        "chainId": w3.eth.chain_id,
        "nonce": w3.eth.get_transaction_count(acct.address),
        "to": to,
        "value": value,
        "data": data,
        "gas": 100_000,
        "maxFeePerGas": 2 * base + 10**9,
        "maxPriorityFeePerGas": 10**9,
    }
    signed = acct.sign_transaction(tx)
    w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))


def build_demo(directory: Path) -> Demo:
    """Set up the whole demo under ``directory`` (which must not hold a store yet)."""
    directory = Path(directory)
    w3 = Web3(EthereumTesterProvider())
    client = ChainClient.from_web3(w3, DEMO_CHAIN_ID, name=DEMO_NETWORK.name)
    bank, alice, bob = (str(a) for a in w3.eth.accounts[:3])
    store = Store.throwaway(directory, password=DEMO_PASSWORD)
    try:
        with store.session() as s:
            ensure_presets(s)
            _, main = accounts.create_hd_wallet(s, DEMO_PHRASE, name="Demo main")
            savings = accounts.derive_next(s, name="Demo savings")
            contacts.add_contact(s, alice, "Alice (demo)", "A friend on the demo chain.")
            contacts.add_contact(s, bob, "Coffee shop (demo)", "Pays for the coffee.")

        # Funding and tokens: incoming native and ERC-20 transfers.
        for to, eth in ((main.address, 12), (savings.address, 3)):
            w3.eth.wait_for_transaction_receipt(
                w3.eth.send_transaction({"from": bank, "to": to, "value": Wei(eth * 10**18)})
            )
        usd = deploy_demo_token(w3, bank, "Demo Dollar", "dUSD", 6, 10_000_000 * 10**6)
        gov = deploy_demo_token(w3, bank, "Demo Governance", "dGOV", 18, 1_000_000 * 10**18)
        abi = token_artifact()["abi"]
        for token, to, amount in (
            (usd, main.address, 2_500 * 10**6),
            (gov, main.address, 420 * 10**18),
            (usd, savings.address, 10_000 * 10**6),
        ):
            contract = w3.eth.contract(address=Web3.to_checksum_address(token), abi=abi)
            tx = contract.functions.transfer(to, amount).transact({"from": bank})
            w3.eth.wait_for_transaction_receipt(tx)
        w3.eth.wait_for_transaction_receipt(
            w3.eth.send_transaction({"from": alice, "to": main.address, "value": Wei(5 * 10**17)})
        )
        # Outgoing: coffee in ETH, and dUSD to Alice.
        send_as_demo_user(w3, 0, bob, value=2 * 10**16)
        send_as_demo_user(w3, 0, usd, data=transfer_data(alice, 125 * 10**6))

        with store.session() as s:
            for address in (usd, gov):
                tokens.add_token(s, client, address)
            owned = accounts.list_accounts(s)
            known = tokens.list_tokens(s, DEMO_CHAIN_ID)
        history.scan(store, client, [a.address for a in owned])
    except BaseException:
        store.close()
        raise
    return Demo(
        directory=directory,
        store=store,
        w3=w3,
        client=client,
        network=DEMO_NETWORK,
        accounts=owned,
        tokens=known,
        others={"bank": bank, "alice": alice, "bob": bob},
    )
