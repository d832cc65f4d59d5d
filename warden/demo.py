"""``warden demo``: build the demo (app.wallet.demo) in a throw-away folder and show it.

Until the desktop app exists it prints what it set up and exits; the folder is then removed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.wallet import balances, contacts, history
from app.wallet.amounts import format_amount
from app.wallet.demo import DEMO_PHRASE, Demo, build_demo


def describe(demo: Demo) -> str:
    """The demo's accounts, balances and history as text."""
    lines = [
        "Warden demo: a local in-process EVM and a throw-away encrypted store.",
        f"Network: {demo.network.name} (chain {demo.network.chain_id}), block "
        f"{demo.client.block_number()}",
        f"Demo phrase (PUBLIC, demo only, never use it for real funds): {DEMO_PHRASE}",
        "",
        "Accounts and balances:",
    ]
    for a in demo.accounts:
        found = balances.balances(demo.client, a.address, demo.tokens)
        lines.append(f"  {a.name:<14} {a.address}  " + ", ".join(b.text() for b in found))
    lines += ["", "Tokens:"]
    lines += [f"  {t.symbol:<6} {t.name:<18} {t.address}" for t in demo.tokens]
    lines += ["", "History (newest first):"]
    symbols = {t.address.lower(): t for t in demo.tokens}
    with demo.store.session() as s:
        names = {c.address: c.name for c in contacts.list_contacts(s)}
    names[demo.others["bank"]] = "the demo faucet"
    for r in history.list_history(demo.store, chain_id=demo.network.chain_id):
        t = symbols.get((r.token or "").lower())
        amount = format_amount(r.amount, t.decimals if t else 18, places=6)
        other = r.recipient if r.direction == "out" else r.sender
        arrow = "sent to" if r.direction == "out" else "received from"
        who = names.get(other or "", other)
        lines.append(
            f"  block {r.block_number:<3} {r.account[:10]}… {arrow} {who}: "
            f"{amount} {t.symbol if t else 'ETH'} ({r.status})"
        )
    return "\n".join(lines)


def run_demo(
    *,
    gui: bool = False,
    screenshots: str | None = None,
    sizes: tuple[tuple[int, int], ...] = (),
    themes: tuple[str, ...] = (),
) -> int:
    """Build the demo and open the window on it (``gui``), or print it; then clean up.
    ``screenshots``: save each main screen as a PNG in that folder and exit."""
    if gui or screenshots:
        from warden.display import require_display

        require_display("demo")
    parent = os.environ.get("WARDEN_HOME")
    if parent:
        Path(parent).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="warden-demo-", dir=parent) as tmp:
        demo = build_demo(Path(tmp) / "demo")
        try:
            if gui or screenshots:
                from ui.app import run_demo as open_window

                return open_window(
                    demo, screenshots, password=demo.password, sizes=sizes, themes=themes
                )
            print(describe(demo))
        finally:
            demo.close()
    return 0


def parse_sizes(text: str) -> tuple[tuple[int, int], ...]:
    """ "800x600,1024x768" -> ((800, 600), (1024, 768)); a clear ValueError otherwise."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        w, sep, h = part.lower().partition("x")
        if not sep or not w.isdigit() or not h.isdigit() or not (320 <= int(w) <= 7680):
            raise ValueError(f"{part!r} is not a window size; write it as 1024x768.")
        out.append((int(w), int(h)))
    return tuple(out)
