"""Uniswap Universal Router ``execute``: the commands that move, approve or pay out assets.

Only what the rules need is read: who pays what, who receives the output, and any Permit2
permit carried inside. Swap internals (pools, fees, paths) are skipped. A command Warden
does not know is recorded as undecoded, so the review fails closed on it.
"""

from __future__ import annotations

from typing import Any

from eth_abi import decode as abi_decode

from delegates.tx_review.decode.model import NATIVE, Call, Decoded, Transfer
from delegates.tx_review.decode.permit2 import (
    PERMIT_BATCH,
    PERMIT_SINGLE,
    permit2_batch,
    permit2_single,
)

MSG_SENDER = "0x" + "0" * 39 + "1"
ADDRESS_THIS = "0x" + "0" * 39 + "2"

# command -> argument types
_TYPES: dict[int, tuple[str, ...]] = {
    0x00: ("address", "uint256", "uint256", "bytes", "bool"),  # V3_SWAP_EXACT_IN
    0x01: ("address", "uint256", "uint256", "bytes", "bool"),  # V3_SWAP_EXACT_OUT
    0x02: ("address", "address", "uint160"),  # PERMIT2_TRANSFER_FROM
    0x03: (PERMIT_BATCH, "bytes"),  # PERMIT2_PERMIT_BATCH
    0x04: ("address", "address", "uint256"),  # SWEEP
    0x05: ("address", "address", "uint256"),  # TRANSFER
    0x06: ("address", "address", "uint256"),  # PAY_PORTION
    0x08: ("address", "uint256", "uint256", "address[]", "bool"),  # V2_SWAP_EXACT_IN
    0x09: ("address", "uint256", "uint256", "address[]", "bool"),  # V2_SWAP_EXACT_OUT
    0x0A: (PERMIT_SINGLE, "bytes"),  # PERMIT2_PERMIT
    0x0B: ("address", "uint256"),  # WRAP_ETH
    0x0C: ("address", "uint256"),  # UNWRAP_WETH
    0x0D: ("(address,address,uint160,address)[]",),  # PERMIT2_TRANSFER_FROM_BATCH
    0x0E: ("address", "address", "uint256"),  # BALANCE_CHECK_ERC20
    0x10: ("bytes", "bytes[]"),  # V4_SWAP
    0x21: ("bytes", "bytes[]"),  # EXECUTE_SUB_PLAN
}
MAX_COMMANDS = 64
# A fee to the interface, in basis points; above this it is treated as a payment.
MAX_FEE_BIPS = 100


def _a(x: Any) -> str:
    return str(x).lower()


class _Plan:
    def __init__(self, out: Decoded, user: str, router: str) -> None:
        self.out, self.user, self.router = out, user, router

    def resolve(self, recipient: str) -> str:
        if recipient == MSG_SENDER:
            return self.user
        if recipient == ADDRESS_THIS:
            return self.router
        return recipient

    def receives(self, asset: str, recipient: str, amount: int, role: str = "swap_out") -> None:
        who = self.resolve(recipient)
        if who in (self.user, self.router):
            return
        self.out.mention(who, "recipient")
        self.out.transfers.append(Transfer(asset, who, amount, "unknown", None, False, role))

    def pays(self, asset: str, amount: int, to: str | None = None) -> None:
        who = self.resolve(to) if to else self.router
        if to:
            self.out.mention(who, "recipient")
        role = "swap" if who == self.router else "transfer"
        self.out.transfers.append(Transfer(asset, who, amount, "unknown", None, True, role))

    def run(self, commands: bytes, inputs: list[bytes], depth: int = 0) -> None:
        if len(commands) > MAX_COMMANDS or len(inputs) < len(commands) or depth > 2:
            self.out.undecoded.append("Universal Router plan is malformed")
            self.out.calls.append(Call(self.router, "0x3593564c", "execute", False, True))
            return
        for raw, data in zip(commands, inputs, strict=False):
            command = raw & 0x3F
            types = _TYPES.get(command)
            if types is None:
                # What an unknown command does to the user's assets cannot be said: the
                # router being verified does not make it safe.
                self.out.undecoded.append(
                    f"Universal Router command 0x{command:02x} is not one Warden knows"
                )
                name = f"Universal Router command 0x{command:02x}"
                self.out.calls.append(Call(self.router, f"0x{command:02x}", name, False, True))
                continue
            try:
                args = abi_decode(list(types), bytes(data), strict=False)
                self.command(command, tuple(args), depth)
            except Exception as exc:  # hostile input: fail closed, never crash
                self.out.undecoded.append(
                    f"Universal Router command 0x{command:02x} does not decode "
                    f"({type(exc).__name__})"
                )
                self.out.calls.append(Call(self.router, f"0x{command:02x}", None, False, True))

    def command(self, command: int, args: tuple[Any, ...], depth: int) -> None:
        if command in (0x00, 0x01):
            recipient, a1, a2, path, payer_is_user = args
            path = bytes(path)
            first, last = _a("0x" + path[:20].hex()), _a("0x" + path[-20:].hex())
            token_in, token_out = (first, last) if command == 0x00 else (last, first)
            amount_in, amount_out = (a1, a2) if command == 0x00 else (a2, a1)
            if payer_is_user:
                self.pays(token_in, int(amount_in))
            self.receives(token_out, _a(recipient), int(amount_out))
        elif command in (0x08, 0x09):
            recipient, a1, a2, path, payer_is_user = args
            token_in, token_out = _a(path[0]), _a(path[-1])
            amount_in, amount_out = (a1, a2) if command == 0x08 else (a2, a1)
            if payer_is_user:
                self.pays(token_in, int(amount_in))
            self.receives(token_out, _a(recipient), int(amount_out))
        elif command == 0x02:
            token, recipient, amount = args
            self.pays(_a(token), int(amount), _a(recipient))
        elif command == 0x0D:
            for src, to, amount, token in args[0]:
                if _a(src) == self.user:
                    self.pays(_a(token), int(amount), _a(to))
        elif command == 0x03:
            permit2_batch(self.out, self.user, "", args[0])
        elif command == 0x0A:
            permit2_single(self.out, self.user, "", args[0])
        elif command in (0x04, 0x05):
            token, recipient, amount = args
            asset = NATIVE if _a(token) == "0x" + "0" * 40 else _a(token)
            self.receives(asset, _a(recipient), int(amount))
        elif command == 0x06:
            token, recipient, bips = args
            role = "fee" if int(bips) <= MAX_FEE_BIPS else "swap_out"
            asset = NATIVE if _a(token) == "0x" + "0" * 40 else _a(token)
            self.receives(asset, _a(recipient), 0, role)
        elif command in (0x0B, 0x0C):
            recipient, amount = args
            self.receives(NATIVE, _a(recipient), int(amount))
        elif command == 0x10:
            self.v4(bytes(args[0]), [bytes(p) for p in args[1]])
        elif command == 0x21:
            self.run(bytes(args[0]), [bytes(i) for i in args[1]], depth + 1)

    def v4(self, actions: bytes, params: list[bytes]) -> None:
        """Uniswap v4 actions: who settles (pays) and who takes (receives)."""
        for action, data in zip(actions, params, strict=False):
            if action == 0x0C:  # SETTLE_ALL(currency, maxAmount)
                currency, amount = abi_decode(["address", "uint256"], data, strict=False)
                self.pays(_asset(currency), int(amount))
            elif action == 0x0B:  # SETTLE(currency, amount, payerIsUser)
                currency, amount, payer_is_user = abi_decode(
                    ["address", "uint256", "bool"], data, strict=False
                )
                if payer_is_user:
                    self.pays(_asset(currency), int(amount))
            elif action == 0x0E:  # TAKE(currency, recipient, amount)
                currency, recipient, amount = abi_decode(
                    ["address", "address", "uint256"], data, strict=False
                )
                self.receives(_asset(currency), _a(recipient), int(amount))
            elif action == 0x10:  # TAKE_PORTION(currency, recipient, bips)
                currency, recipient, bips = abi_decode(
                    ["address", "address", "uint256"], data, strict=False
                )
                role = "fee" if int(bips) <= MAX_FEE_BIPS else "swap_out"
                self.receives(_asset(currency), _a(recipient), 0, role)


def _asset(currency: Any) -> str:
    c = _a(currency)
    return NATIVE if c == "0x" + "0" * 40 else c


def decode_execute(
    out: Decoded, user: str, router: str, commands: bytes, inputs: list[Any]
) -> None:
    _Plan(out, user, router).run(commands, [bytes(i) for i in inputs])
