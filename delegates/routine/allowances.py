"""Live token approvals of the user's addresses, found from the chain's logs, with a risk score
and the transaction that revokes each.

Three kinds: ERC-20 allowances (``Approval`` logs, checked live with ``allowance``), NFT
operator approvals (``ApprovalForAll``, checked with ``isApprovedForAll``) and Permit2
allowances (Permit2's ``Approval`` logs, checked with its ``allowance``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

from delegates.runtime.watcher import (
    APPROVAL_FOR_ALL_TOPIC,
    APPROVAL_TOPIC,
    address_from_topic,
    topic_for,
)

PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3"
PERMIT2_APPROVAL_TOPIC = (
    "0x" + keccak(text="Approval(address,address,address,uint160,uint48)").hex()
)
UNLIMITED_ERC20 = 2**255  # wallets ask for 2**256-1; anything this large is "unlimited"
UNLIMITED_PERMIT2 = 2**159
YOUNG_BLOCKS = 216_000  # about 30 days of 12-second blocks


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


def revoke_erc20(spender: str) -> bytes:
    return _selector("approve(address,uint256)") + encode(["address", "uint256"], [spender, 0])


def revoke_operator(operator: str) -> bytes:
    return _selector("setApprovalForAll(address,bool)") + encode(
        ["address", "bool"], [operator, False]
    )


def revoke_permit2(token: str, spender: str) -> bytes:
    return _selector("approve(address,address,uint160,uint48)") + encode(
        ["address", "address", "uint160", "uint48"], [token, spender, 0, 0]
    )


@dataclass
class Allowance:
    kind: str  # "erc20" | "operator" | "permit2"
    owner: str
    token: str  # the token contract (for Permit2: the token Permit2 may move)
    spender: str
    amount: int
    expiration: int | None = None
    risk: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def unlimited(self) -> bool:
        if self.kind == "operator":
            return True
        limit = UNLIMITED_PERMIT2 if self.kind == "permit2" else UNLIMITED_ERC20
        return self.amount >= limit

    def revoke_tx(self) -> dict[str, Any]:
        if self.kind == "erc20":
            to, data = self.token, revoke_erc20(self.spender)
        elif self.kind == "operator":
            to, data = self.token, revoke_operator(self.spender)
        else:
            to, data = PERMIT2, revoke_permit2(self.token, self.spender)
        return {"from": self.owner, "to": to, "value": 0, "data": "0x" + data.hex()}

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "owner": self.owner,
            "token": self.token,
            "spender": self.spender,
            "amount": str(self.amount),
            "unlimited": self.unlimited,
            "expiration": self.expiration,
            "risk": self.risk,
            "level": level(self.risk),
            "reasons": self.reasons,
        }


def level(risk: int) -> str:
    return "high" if risk >= 70 else "medium" if risk >= 40 else "low"


def _call(w3: Any, to: str, data: bytes) -> bytes:
    return bytes(w3.eth.call({"to": to, "data": "0x" + data.hex()}))


def find(w3: Any, owners: Iterable[str], from_block: int = 0) -> list[Allowance]:
    """Every approval still live now, newest state first checked on chain."""
    mine = [topic_for(a) for a in sorted({to_checksum_address(o) for o in owners})]
    if not mine:
        return []
    seen: dict[tuple[str, str, str, str], None] = {}
    logs = w3.eth.get_logs(
        {
            "fromBlock": from_block,
            "toBlock": "latest",
            "topics": [[APPROVAL_TOPIC, APPROVAL_FOR_ALL_TOPIC], mine],
        }
    )
    for entry in logs:
        topics = entry["topics"]
        t0 = "0x" + bytes(topics[0]).hex()
        if t0 == APPROVAL_TOPIC and len(topics) != 3:
            continue  # an ERC-721 single-token approval: cleared by the next transfer anyway
        kind = "erc20" if t0 == APPROVAL_TOPIC else "operator"
        key = (
            kind,
            address_from_topic(topics[1]),
            to_checksum_address(entry["address"]),
            address_from_topic(topics[2]),
        )
        seen[key] = None
    permit2 = w3.eth.get_logs(
        {
            "fromBlock": from_block,
            "toBlock": "latest",
            "address": PERMIT2,
            "topics": [PERMIT2_APPROVAL_TOPIC, mine],
        }
    )
    for entry in permit2:
        t = entry["topics"]
        seen[
            (
                "permit2",
                address_from_topic(t[1]),
                address_from_topic(t[2]),
                address_from_topic(t[3]),
            )
        ] = None
    live = []
    for kind, owner, token, spender in seen:
        a = _check(w3, kind, owner, token, spender)
        if a is not None:
            live.append(a)
    return live


def _check(w3: Any, kind: str, owner: str, token: str, spender: str) -> Allowance | None:
    try:
        if kind == "erc20":
            raw = _call(
                w3,
                token,
                _selector("allowance(address,address)")
                + encode(["address", "address"], [owner, spender]),
            )
            amount = decode(["uint256"], raw)[0]
            return Allowance(kind, owner, token, spender, amount) if amount else None
        if kind == "operator":
            raw = _call(
                w3,
                token,
                _selector("isApprovedForAll(address,address)")
                + encode(["address", "address"], [owner, spender]),
            )
            return Allowance(kind, owner, token, spender, 1) if decode(["bool"], raw)[0] else None
        raw = _call(
            w3,
            PERMIT2,
            _selector("allowance(address,address,address)")
            + encode(["address", "address", "address"], [owner, token, spender]),
        )
        amount, expiration, _nonce = decode(["uint160", "uint48", "uint48"], raw)
        now = int(w3.eth.get_block("latest")["timestamp"])
        if amount and expiration >= now:
            return Allowance(kind, owner, token, spender, amount, expiration)
        return None
    except Exception:
        # Could not read it: keep it, unknown is not safe, and say so in the reasons.
        a = Allowance(kind, owner, token, spender, 0)
        a.reasons.append("could not read the allowance; treat it as live")
        return a


def score(
    a: Allowance,
    *,
    is_contract: bool,
    verified: bool | None,
    age_blocks: int | None,
    blocklisted: bool,
) -> Allowance:
    """Fill ``risk`` (0-100) and ``reasons``; the weights add up and stop at 100."""
    risk = 0
    if blocklisted:
        risk += 50
        a.reasons.append("the spender is on your blocklist")
    if not is_contract:
        risk += 40
        a.reasons.append("the spender is a plain address (EOA), not a contract")
    else:
        if verified is not True:
            risk += 10
            a.reasons.append("the spender's source code is not known to be verified")
        if age_blocks is not None and age_blocks < YOUNG_BLOCKS:
            risk += 20
            a.reasons.append("the spender contract is less than about 30 days old")
    if a.unlimited:
        risk += 30
        a.reasons.append(
            "unlimited amount" if a.kind != "operator" else "all NFTs of the collection"
        )
    a.risk = min(100, risk)
    return a
