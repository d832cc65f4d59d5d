"""Simulation: the balance changes the user would see, from the node when it can tell.

``eth_simulateV1`` (with ``traceTransfers``, so native transfers show up as logs) is tried
first, then ``debug_traceCall`` with the call tracer, else there is no simulation. The parse
functions are pure; the node is reached through a small ``rpc(method, params)`` callable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.review_types import Finding
from delegates.tx_review.decode.model import Decoded
from delegates.tx_review.facts import NATIVE, Facts, norm, to_int
from delegates.tx_review.fmt import addr, amount

log = logging.getLogger(__name__)
Rpc = Callable[[str, list[Any]], Any]

TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
TRANSFER_SINGLE = "0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62"
NATIVE_PSEUDO = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"


def _topic_addr(topic: str) -> str:
    return "0x" + topic[-40:].lower()


def changes_from_logs(logs: list[dict[str, Any]], user: str) -> tuple[list[dict], list[dict]]:
    """(assets out, assets in) for ``user`` from Transfer / TransferSingle logs."""
    out: list[dict[str, Any]] = []
    inc: list[dict[str, Any]] = []
    for log in logs:
        topics = [str(t).lower() for t in log.get("topics") or []]
        if not topics or any(len(t) != 66 for t in topics):
            continue  # a topic is 32 bytes: anything else is no event Warden can read
        asset = norm(log.get("address"))
        data = str(log.get("data") or "0x")
        if topics[0] == TRANSFER and len(topics) in (3, 4):
            src, dst = _topic_addr(topics[1]), _topic_addr(topics[2])
            if len(topics) == 4:  # ERC-721: the id is indexed
                entry = {"asset": asset, "amount": 1, "token_id": to_int(topics[3])}
            else:
                entry = {"asset": NATIVE if asset == NATIVE_PSEUDO else asset,
                         "amount": to_int(data[:66]) or 0}  # fmt: skip
        elif topics[0] == TRANSFER_SINGLE and len(topics) == 4:
            src, dst = _topic_addr(topics[2]), _topic_addr(topics[3])
            body = data[2:]
            entry = {"asset": asset, "token_id": to_int("0x" + body[:64]),
                     "amount": to_int("0x" + body[64:128]) or 0}  # fmt: skip
        else:
            continue
        if src == user and dst != user:
            out.append(dict(entry, counterparty=dst))
        elif dst == user and src != user:
            inc.append(dict(entry, counterparty=src))
    return out, inc


def _simulate_v1(rpc: Rpc, tx: dict[str, Any], user: str) -> dict[str, Any]:
    result = rpc(
        "eth_simulateV1",
        [{"blockStateCalls": [{"calls": [tx]}], "traceTransfers": True, "validation": False},
         "latest"],
    )  # fmt: skip
    call = result[0]["calls"][0]
    ok = to_int(call.get("status")) == 1
    out, inc = changes_from_logs(call.get("logs") or [], user) if ok else ([], [])
    return {"method": "eth_simulateV1", "ok": ok, "assets_out": out, "assets_in": inc}


def _trace_call(rpc: Rpc, tx: dict[str, Any], user: str) -> dict[str, Any]:
    trace = rpc(
        "debug_traceCall",
        [tx, "latest", {"tracer": "callTracer", "tracerConfig": {"withLog": True}}],
    )
    logs: list[dict[str, Any]] = []
    native: list[dict[str, Any]] = []
    stack = [trace]
    while stack:
        frame = stack.pop()
        if not isinstance(frame, dict):
            continue
        value = to_int(frame.get("value")) or 0
        if value and frame.get("type") in ("CALL", "CREATE", "CREATE2", None):
            src = "0x" + norm(frame.get("from"))[2:].rjust(64, "0")
            dst = "0x" + norm(frame.get("to"))[2:].rjust(64, "0")
            native.append(
                {"address": NATIVE_PSEUDO, "data": hex(value), "topics": [TRANSFER, src, dst]}
            )
        logs.extend(frame.get("logs") or [])
        stack.extend(frame.get("calls") or [])
    ok = not trace.get("error")
    out, inc = changes_from_logs(native + logs, user) if ok else ([], [])
    return {"method": "debug_traceCall", "ok": ok, "assets_out": out, "assets_in": inc,
            "error": str(trace.get("error") or "")[:200]}  # fmt: skip


def simulate(rpc: Rpc, request: dict[str, Any]) -> dict[str, Any] | None:
    """Simulate an ``eth_sendTransaction`` request; None when the node cannot."""
    if request.get("method") != "eth_sendTransaction" or not isinstance(
        request.get("params"), dict
    ):
        return None
    p = request["params"]
    tx = {k: p[k] for k in ("to", "value", "data", "gas") if p.get(k) is not None}
    tx["from"] = request.get("from")
    user = norm(request.get("from"))
    for attempt in (_simulate_v1, _trace_call):
        try:
            sim = attempt(rpc, tx, user)
        except Exception as exc:  # method missing or unsupported here: try the next, else none
            log.debug("%s unavailable: %s", attempt.__name__, type(exc).__name__)
            continue
        # what the node says must agree with what the transaction itself says it moves;
        # the summary then leaves the simulation out (describe_changes)
        sim["mismatch"] = [list(m) for m in contradictions(sim, request)]
        return sim
    return None


SEL_TRANSFER = bytes.fromhex("a9059cbb")
SEL_TRANSFER_FROM = bytes.fromhex("23b872dd")


def contradictions(sim: dict[str, Any], request: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(asset, moved by the transaction, moved in the simulation) wherever the node's
    simulation contradicts the transaction: the native value sent, or the token amount (or
    item) a top-level transfer / transferFrom moves from the user. A simulation that says
    the transaction fails moves nothing and is judged by simulation_reverted instead."""
    params = request.get("params")
    if not sim.get("ok", True) or not isinstance(params, dict):
        return []
    user = norm(request.get("from"))
    to = norm(params.get("to"))
    out = [e for e in sim.get("assets_out") or [] if isinstance(e, dict)]
    found: list[tuple[str, int, int]] = []
    value = to_int(params.get("value")) or 0
    sent = value if to != user else 0  # to oneself nothing leaves
    native = sum(_units(e) for e in out if e.get("asset") == NATIVE)
    if native != sent:
        found.append((NATIVE, sent, native))
    moved = _token_move(params, user)
    if moved is not None and to:
        units = sum(_units(e) for e in out if e.get("asset") == to and e.get("token_id") is None)
        item = any(e.get("asset") == to and e.get("token_id") == moved for e in out)
        if units < moved and not item:
            found.append((to, moved, units))
    return found


def _units(entry: dict[str, Any]) -> int:
    amount = entry.get("amount")
    return amount if isinstance(amount, int) and amount > 0 else 0


def _token_move(params: dict[str, Any], user: str) -> int | None:
    """The amount (or ERC-721 id) a top-level transfer / transferFrom moves from the user to
    someone else; None when the call is neither, or moves nothing of the user's."""
    text = params.get("data", params.get("input"))
    if not isinstance(text, str) or not text.startswith("0x") or len(text) > 1_000_000:
        return None
    try:
        data = bytes.fromhex(text[2:])
    except ValueError:
        return None
    if data[:4] == SEL_TRANSFER and len(data) >= 68:
        src, dst, amount = user, "0x" + data[16:36].hex(), int.from_bytes(data[36:68], "big")
    elif data[:4] == SEL_TRANSFER_FROM and len(data) >= 100:
        src, dst = "0x" + data[16:36].hex(), "0x" + data[48:68].hex()
        amount = int.from_bytes(data[68:100], "big")
    else:
        return None
    if src != user or dst == user or amount == 0:
        return None
    return amount


def simulation_findings(
    sim: dict[str, Any], request: dict[str, Any], facts: Facts, dec: Decoded
) -> list[Finding]:
    """Rules that need the simulated balance changes."""
    found: list[Finding] = []
    mismatch = contradictions(sim, request)
    if mismatch:
        found.append(Finding(
            "simulation_mismatch",
            "caution",
            "The node's simulation does not match the transaction: "
            + "; ".join(_mismatch_text(m, facts) for m in mismatch[:2])
            + ". Warden does not trust this simulation and does not show its balance changes.",
        ))  # fmt: skip
    if not sim.get("ok", True):
        found.append(Finding("simulation_reverted", "caution",
                             "The simulation says this transaction would fail (revert); it would "
                             "still cost a fee."))  # fmt: skip
        return found
    out, inc = sim.get("assets_out") or [], sim.get("assets_in") or []
    contract_call = any(c.selector for c in dec.calls)
    swap_like = any(t.role == "swap" for t in dec.transfers) or any(
        "swap" in (c.name or "").lower() or (c.name or "").startswith("execute") for c in dec.calls
    )
    if out and not inc and contract_call and (swap_like or not _plain_transfer(dec)):
        sent = ", ".join(_entry_text(e, facts) for e in out[:3])
        found.append(Finding(
            "no_assets_returned",
            "danger" if swap_like else "caution",
            f"In simulation you send {sent} and receive nothing back"
            + (": a swap that returns nothing takes your assets." if swap_like else "."),
        ))  # fmt: skip
    return found


def _mismatch_text(m: tuple[str, int, int], facts: Facts) -> str:
    asset, expected, shown = m
    if asset != NATIVE and facts.token(asset).standard in ("erc721", "erc1155"):
        moves = amount(asset, 1, facts, token_id=expected)
    else:
        moves = amount(asset, expected, facts)
    said = amount(asset, shown, facts) if shown else "nothing"
    return f"the transaction moves {moves}, the simulation {said}"


def _plain_transfer(dec: Decoded) -> bool:
    return (
        bool(dec.transfers)
        and all(t.role == "transfer" for t in dec.transfers)
        and all(c.decoded for c in dec.calls)
    )


def _entry_text(e: dict[str, Any], facts: Facts) -> str:
    asset = e.get("asset") or NATIVE
    text = amount(asset, e.get("amount"), facts, token_id=e.get("token_id"))
    cp = e.get("counterparty")
    return f"{text} to {addr(cp, facts)}" if cp else text


def describe_changes(sim: dict[str, Any], facts: Facts) -> str:
    """'Simulated: you send …; you receive …' for the summary; nothing of a simulation that
    contradicts the transaction."""
    if sim.get("mismatch"):
        return "The node's simulation does not match the transaction, so it is not shown."
    out = [_entry_text(dict(e, counterparty=None), facts) for e in sim.get("assets_out") or []]
    inc = [_entry_text(dict(e, counterparty=None), facts) for e in sim.get("assets_in") or []]
    if not sim.get("ok", True):
        return "Simulated: the transaction would fail."
    send = ", ".join(out[:4]) or "nothing"
    get = ", ".join(inc[:4]) or "nothing"
    return f"Simulated: you send {send}; you receive {get}."


def shown_changes(sim: dict[str, Any], facts: Facts) -> dict[str, list[str]]:
    """{'out_text': [...], 'in_text': [...]}: each change in units with its symbol, for the
    dialog; empty for a simulation that contradicts the transaction or fails."""
    if sim.get("mismatch") or not sim.get("ok", True):
        return {"out_text": [], "in_text": []}

    def texts(key: str) -> list[str]:
        entries = [e for e in sim.get(key) or [] if isinstance(e, dict)]
        return [_entry_text(dict(e, counterparty=None), facts) for e in entries[:8]]

    return {"out_text": texts("assets_out"), "in_text": texts("assets_in")}
