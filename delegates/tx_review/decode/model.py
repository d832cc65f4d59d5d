"""What a request would do, as the decoders understand it: the rules read only this.

The decoders never judge; they turn calldata, typed data and messages into these plain
records. Anything they cannot understand is recorded as such (``undecoded``) so that the
rules fail closed instead of treating silence as safety.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NATIVE = "native"


@dataclass(frozen=True)
class Approval:
    """An allowance over the user's tokens: on-chain call or off-chain signature."""

    token: str  # token contract, '' when the request does not say
    spender: str
    amount: int | None  # None: unlimited by construction (DAI allowed=true)
    kind: str  # erc20 | erc20_increase | erc721 | permit | dai_permit | permit2 | permit2_transfer
    signature: bool = False  # True when granted by an off-chain signature
    deadlines: tuple[int, ...] = ()  # unix times after which the grant is void (0 = none)
    token_id: int | None = None


@dataclass(frozen=True)
class Operator:
    """``setApprovalForAll(operator, approved)`` on a collection."""

    collection: str
    operator: str
    approved: bool


@dataclass(frozen=True)
class Transfer:
    """Assets leaving the user (or moved by the request) to a recipient."""

    asset: str  # token contract or NATIVE
    recipient: str
    amount: int  # base units; NFTs: number of items
    standard: str  # native | erc20 | erc721 | erc1155 | unknown
    token_id: int | None = None
    from_user: bool = True
    role: str = "transfer"  # transfer | swap | fee


@dataclass(frozen=True)
class Call:
    """A contract function the request calls."""

    target: str
    selector: str  # 0x + 8 hex, '' for none
    name: str | None  # decoded or looked-up signature, None when unknown
    decoded: bool  # arguments understood by a Warden decoder
    malformed: bool = False  # selector known but the arguments do not decode


@dataclass(frozen=True)
class OrderItem:
    item_type: int
    token: str
    identifier: int
    amount: int
    recipient: str = ""


@dataclass(frozen=True)
class Order:
    """A marketplace order (Seaport ``OrderComponents``)."""

    offerer: str
    offer: tuple[OrderItem, ...]
    consideration: tuple[OrderItem, ...]
    marketplace: str = "Seaport"
    end_time: int | None = None


@dataclass
class Decoded:
    """Everything the decoders found in one request."""

    kind: str = "unknown"  # transaction | typed_data | message | blind
    description: str = ""
    approvals: list[Approval] = field(default_factory=list)
    revocations: list[str] = field(default_factory=list)
    operators: list[Operator] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    # addresses the request names in any role, for the blocklist: (address, role)
    mentioned: list[tuple[str, str]] = field(default_factory=list)
    signed_chain_ids: list[int] = field(default_factory=list)
    creation: bool = False
    blind: str = ""  # why the signature is blind, '' when it is not
    undecoded: list[str] = field(default_factory=list)  # parts that could not be decoded
    permit_signature: bool = False
    permit2_signature: bool = False
    siwe_domain: str | None = None
    message_text: str | None = None
    long_text: str = ""  # why a text to sign is too long to read on one screen, '' if not

    def mention(self, address: str, role: str) -> None:
        if address:
            self.mentioned.append((address.lower(), role))

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly view for the UI and the explainer (no judgement in it)."""
        return {
            "kind": self.kind,
            "description": self.description,
            "approvals": [a.__dict__ for a in self.approvals],
            "operators": [o.__dict__ for o in self.operators],
            "transfers": [t.__dict__ for t in self.transfers],
            "calls": [c.__dict__ for c in self.calls],
            "orders": len(self.orders),
            "undecoded": list(self.undecoded),
        }
