"""Transaction calldata: ERC-20/721/1155, WETH, permits, Permit2, multicall, Universal Router.

Arguments are decoded with ``eth_abi``; which function a selector means is looked up in the
table below (functions whose effect Warden understands) and then in the bundled 4-byte table
(names only). Nothing here raises on hostile input: a failure is recorded in ``Decoded``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eth_abi import decode as abi_decode

from delegates.tx_review.decode import selectors
from delegates.tx_review.decode.model import (
    NATIVE,
    Approval,
    Call,
    Decoded,
    Operator,
    Transfer,
)
from delegates.tx_review.decode.permit2 import (
    PERMIT_BATCH,
    PERMIT_SINGLE,
    permit2_batch,
    permit2_single,
)
from delegates.tx_review.decode.universal_router import decode_execute
from delegates.tx_review.facts import Facts

MAX_DEPTH = 4  # nested multicalls deeper than this are not followed (and fail closed)

Handler = Callable[["_Ctx", tuple[Any, ...]], None]


class _Ctx:
    def __init__(self, out: Decoded, facts: Facts, user: str, target: str, depth: int) -> None:
        self.out, self.facts, self.user, self.target, self.depth = out, facts, user, target, depth

    @property
    def standard(self) -> str:
        return self.facts.token(self.target).standard or "unknown"


def _a(x: Any) -> str:
    return str(x).lower()


def _approve(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    spender, amount = _a(args[0]), int(args[1])
    ctx.out.mention(spender, "spender")
    nft = ctx.standard in ("erc721", "erc1155")
    if amount == 0 and not nft or spender == "0x" + "0" * 40:
        ctx.out.revocations.append(f"approve({spender}, 0)")
        return
    if nft:
        ctx.out.approvals.append(Approval(ctx.target, spender, 1, "erc721", token_id=amount))
    else:
        ctx.out.approvals.append(Approval(ctx.target, spender, amount, "erc20"))


def _increase(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    spender, amount = _a(args[0]), int(args[1])
    ctx.out.mention(spender, "spender")
    if amount > 0:
        ctx.out.approvals.append(Approval(ctx.target, spender, amount, "erc20_increase"))


def _decrease(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    ctx.out.mention(_a(args[0]), "spender")
    ctx.out.revocations.append("decreaseAllowance")


def _set_for_all(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    operator, approved = _a(args[0]), bool(args[1])
    ctx.out.mention(operator, "operator")
    if approved:
        ctx.out.operators.append(Operator(ctx.target, operator, True))
    else:
        ctx.out.revocations.append(f"setApprovalForAll({operator}, false)")


def _transfer(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    to, amount = _a(args[0]), int(args[1])
    ctx.out.mention(to, "recipient")
    ctx.out.transfers.append(Transfer(ctx.target, to, amount, ctx.standard))


def _transfer_from(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    src, to, value = _a(args[0]), _a(args[1]), int(args[2])
    ctx.out.mention(to, "recipient")
    mine = src == ctx.user
    if ctx.standard in ("erc721", "erc1155"):
        ctx.out.transfers.append(Transfer(ctx.target, to, 1, ctx.standard, value, mine))
    else:
        ctx.out.transfers.append(Transfer(ctx.target, to, value, ctx.standard, None, mine))


def _nft_safe_transfer(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    src, to, token_id = _a(args[0]), _a(args[1]), int(args[2])
    ctx.out.mention(to, "recipient")
    std = "erc721" if ctx.standard == "unknown" else ctx.standard
    ctx.out.transfers.append(Transfer(ctx.target, to, 1, std, token_id, src == ctx.user))


def _erc1155_transfer(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    src, to, token_id, amount = _a(args[0]), _a(args[1]), int(args[2]), int(args[3])
    ctx.out.mention(to, "recipient")
    ctx.out.transfers.append(Transfer(ctx.target, to, amount, "erc1155", token_id, src == ctx.user))


def _erc1155_batch(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    src, to, ids, amounts = _a(args[0]), _a(args[1]), args[2], args[3]
    ctx.out.mention(to, "recipient")
    for token_id, amount in zip(ids, amounts, strict=False):
        ctx.out.transfers.append(
            Transfer(ctx.target, to, int(amount), "erc1155", int(token_id), src == ctx.user)
        )


def _noop(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    return None


def _permit(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    owner, spender, value, deadline = _a(args[0]), _a(args[1]), int(args[2]), int(args[3])
    ctx.out.mention(spender, "spender")
    if owner == ctx.user and value > 0:
        ctx.out.approvals.append(Approval(ctx.target, spender, value, "permit", False, (deadline,)))


def _dai_permit(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    holder, spender, expiry, allowed = _a(args[0]), _a(args[1]), int(args[3]), bool(args[4])
    ctx.out.mention(spender, "spender")
    if holder == ctx.user and allowed:
        ctx.out.approvals.append(
            Approval(ctx.target, spender, None, "dai_permit", False, (expiry,))
        )


def _permit2_approve(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    token, spender, amount, expiration = _a(args[0]), _a(args[1]), int(args[2]), int(args[3])
    ctx.out.mention(spender, "spender")
    ctx.out.mention(token, "token")
    if amount == 0:
        ctx.out.revocations.append("Permit2 approve 0")
        return
    ctx.out.approvals.append(Approval(token, spender, amount, "permit2", False, (expiration,)))


def _permit2_permit_single(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    permit2_single(ctx.out, ctx.user, _a(args[0]), args[1])


def _permit2_permit_batch(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    permit2_batch(ctx.out, ctx.user, _a(args[0]), args[1])


def _multicall(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    for inner in args[-1]:
        decode_call(ctx.out, ctx.facts, ctx.user, ctx.target, bytes(inner), 0, ctx.depth + 1)


def _universal_router(ctx: _Ctx, args: tuple[Any, ...]) -> None:
    decode_execute(ctx.out, ctx.user, ctx.target, bytes(args[0]), list(args[1]))


# selector -> (signature, argument types, handler). Each selector is checked against the
# keccak of its signature in the tests.
KNOWN: dict[str, tuple[str, tuple[str, ...], Handler]] = {
    "a9059cbb": ("transfer(address,uint256)", ("address", "uint256"), _transfer),
    "23b872dd": (
        "transferFrom(address,address,uint256)",
        ("address", "address", "uint256"),
        _transfer_from,
    ),
    "095ea7b3": ("approve(address,uint256)", ("address", "uint256"), _approve),
    "39509351": ("increaseAllowance(address,uint256)", ("address", "uint256"), _increase),
    "a457c2d7": ("decreaseAllowance(address,uint256)", ("address", "uint256"), _decrease),
    "a22cb465": ("setApprovalForAll(address,bool)", ("address", "bool"), _set_for_all),
    "42842e0e": (
        "safeTransferFrom(address,address,uint256)",
        ("address", "address", "uint256"),
        _nft_safe_transfer,
    ),
    "b88d4fde": (
        "safeTransferFrom(address,address,uint256,bytes)",
        ("address", "address", "uint256", "bytes"),
        _nft_safe_transfer,
    ),
    "f242432a": (
        "safeTransferFrom(address,address,uint256,uint256,bytes)",
        ("address", "address", "uint256", "uint256", "bytes"),
        _erc1155_transfer,
    ),
    "2eb2c2d6": (
        "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)",
        ("address", "address", "uint256[]", "uint256[]", "bytes"),
        _erc1155_batch,
    ),
    "d0e30db0": ("deposit()", (), _noop),
    "2e1a7d4d": ("withdraw(uint256)", ("uint256",), _noop),
    "d505accf": (
        "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
        ("address", "address", "uint256", "uint256", "uint8", "bytes32", "bytes32"),
        _permit,
    ),
    "8fcbaf0c": (
        "permit(address,address,uint256,uint256,bool,uint8,bytes32,bytes32)",
        ("address", "address", "uint256", "uint256", "bool", "uint8", "bytes32", "bytes32"),
        _dai_permit,
    ),
    "87517c45": (
        "approve(address,address,uint160,uint48)",
        ("address", "address", "uint160", "uint48"),
        _permit2_approve,
    ),
    "2b67b570": (
        f"permit(address,{PERMIT_SINGLE},bytes)",
        ("address", PERMIT_SINGLE, "bytes"),
        _permit2_permit_single,
    ),
    "2a2d80d1": (
        f"permit(address,{PERMIT_BATCH},bytes)",
        ("address", PERMIT_BATCH, "bytes"),
        _permit2_permit_batch,
    ),
    "ac9650d8": ("multicall(bytes[])", ("bytes[]",), _multicall),
    "5ae401dc": ("multicall(uint256,bytes[])", ("uint256", "bytes[]"), _multicall),
    "1f0464d1": ("multicall(bytes32,bytes[])", ("bytes32", "bytes[]"), _multicall),
    "3593564c": (
        "execute(bytes,bytes[],uint256)",
        ("bytes", "bytes[]", "uint256"),
        _universal_router,
    ),
    "24856bc3": ("execute(bytes,bytes[])", ("bytes", "bytes[]"), _universal_router),
}


def decode_call(
    out: Decoded,
    facts: Facts,
    user: str,
    target: str,
    data: bytes,
    value: int,
    depth: int = 0,
) -> None:
    """Decode one call of ``data`` to ``target`` into ``out`` (recursing into multicalls)."""
    if value:
        out.transfers.append(Transfer(NATIVE, target, value, "native"))
    if not data:
        return
    if len(data) < 4:
        out.calls.append(Call(target, "", None, False, True))
        out.undecoded.append(f"{len(data)} bytes of calldata, too short for a function call")
        return
    selector = data[:4].hex()
    if depth > MAX_DEPTH:
        out.calls.append(Call(target, "0x" + selector, None, False, True))
        out.undecoded.append("calls nested too deeply to follow")
        return
    known = KNOWN.get(selector)
    if known is None:
        name = selectors.lookup(selector)
        # Not "undecoded": whether an unknown function matters depends on the contract
        # (verified or not), which the rules judge.
        out.calls.append(Call(target, "0x" + selector, name, False))
        if name is not None:
            _mention_addresses(out, name, data[4:])
        return
    signature, types, handler = known
    try:
        args = abi_decode(list(types), data[4:], strict=False)
        handler(_Ctx(out, facts, user, target, depth), tuple(args))
    except Exception as exc:  # hostile calldata: any decoding error fails closed, never crashes
        out.calls.append(Call(target, "0x" + selector, signature, False, True))
        out.undecoded.append(
            f"{signature.split('(')[0]} arguments do not decode ({type(exc).__name__})"
        )
        return
    out.calls.append(Call(target, "0x" + selector, signature, True))


def _mention_addresses(out: Decoded, signature: str, body: bytes) -> None:
    """Addresses passed to a function known only by name still meet the blocklist."""
    inner = signature[signature.find("(") + 1 : -1]
    if not inner or "(" in inner or "[" in inner:
        return
    types = inner.split(",")
    try:
        args = abi_decode(types, body, strict=False)
    except Exception:  # the table gives only a name; arguments may not match it
        return
    for t, v in zip(types, args, strict=False):
        if t == "address":
            out.mention(str(v).lower(), "argument")
