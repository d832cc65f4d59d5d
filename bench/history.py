"""History scan cost on anvil: bisection + logs against today's block-by-block scan.

    PYTHONPATH=. python bench/history.py [--blocks 50000] [--transfers 20] [--baseline-blocks N]

Builds a chain of ``--blocks`` blocks with ``--transfers`` transfers to and from one account
(native in/out, token in/out, native sent by a contract), scattered at random heights, then
scans the account's whole life twice on fresh stores: with the new scan, and block by block
as the scan did before issue 17. Prints requests, bytes received and seconds for each, and
whether every transfer was found. Target (issue 17): all found, <= 2,000 requests, < 20 s.

``--baseline-blocks N`` times the block-by-block scan over N blocks only and scales it up
(marked "estimated"): on a slow machine a full baseline over 50,000 blocks takes minutes.
Mining 50,000 blocks on anvil also takes minutes; it is set-up, not measured.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.store import Store  # noqa: E402
from app.wallet import history  # noqa: E402
from app.wallet.chain import ChainClient  # noqa: E402
from app.wallet.history_blocks import scan_blocks  # noqa: E402
from tests.support.anvil import Anvil, start_anvil, stop_anvil  # noqa: E402
from tests.support.history_chain import ACCOUNT, build  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", type=int, default=50_000)
    ap.add_argument("--transfers", type=int, default=20)
    ap.add_argument("--baseline-blocks", type=int, default=0, help="0: the whole chain")
    ap.add_argument(
        "--segment",
        type=int,
        default=17_000,
        help="blocks per anvil node; each next node forks the last (0: one node)",
    )
    args = ap.parse_args()

    # anvil keeps the state of only the last ~2,000 blocks by default and answers older
    # eth_getBalance with BlockOutOfRangeError: the scan then falls back to reading the
    # recent blocks and misses older native transfers. An archive node keeps them all.
    # anvil keeps each past state whole, with every block hash so far: one node's archive grows
    # with the square of its length (50,000 blocks: ~90 GB on disk, ~22 GB of memory at
    # 20,000). So the chain runs on a line of nodes, each forking the last at its head: the
    # scan asks the last one, which answers for its own blocks and asks the one before for
    # older blocks, as a node does with an archive behind it. Shanghai rules keep each state
    # small (no beacon-root or block-hash system contract written every block).
    kept = str((args.segment or args.blocks) + 1_000)
    common = ("--max-persisted-states", kept, "--hardfork", "shanghai")

    def fork(prev: Anvil, height: int) -> Anvil:
        # no dev accounts (a fork would reset their balances, a change no transfer explains);
        # the senders are impersonated instead
        return start_anvil(
            "--fork-url", prev.url, "--fork-block-number", str(height), "--accounts", "0",
            "--auto-impersonate", "--no-rate-limit", *common,
        )  # fmt: skip

    node = start_anvil(*common)
    nodes = [node]
    try:
        t0 = time.monotonic()
        chain = build(
            node, blocks=args.blocks, transfers=args.transfers, segment=args.segment, fork=fork
        )
        nodes = chain.nodes
        node = chain.node
        print(
            f"set-up: {args.blocks:,} blocks on {len(nodes)} anvil node(s), "
            f"{len(chain.expected)} transfers in {time.monotonic() - t0:.0f} s (not measured)"
        )
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.throwaway(Path(tmp) / "store")
            client = ChainClient.connect(node.url, node.chain_id, timeout=30)
            t = time.monotonic()
            report = history.scan_history(store, client, [ACCOUNT])
            seconds = time.monotonic() - t
            with store.session() as s:
                from sqlalchemy import select

                from app.store.schema import Transfer

                hashes = set(s.scalars(select(Transfer.tx_hash)))
            store.close()
        found = sum(e.tx_hash in hashes for e in chain.expected)
        print(
            f"new scan:      {report.requests:>8,} requests {report.bytes_received:>13,} bytes "
            f"{seconds:>8.2f} s   found {found}/{len(chain.expected)}"
        )

        head = report.head
        span = args.baseline_blocks or head
        base = ChainClient.connect(node.url, node.chain_id, timeout=30)
        t = time.monotonic()
        scanned = scan_blocks(base, [ACCOUNT], max(1, head - span + 1), head)
        seconds_b = time.monotonic() - t
        req, got = base.counter.snapshot()
        scale = head / span
        label = "estimated" if scale > 1 else "measured"
        base_found = {f.tx_hash for f in scanned.found[ACCOUNT]}
        print(
            f"block by block:{int(req * scale):>8,} requests {int(got * scale):>13,} bytes "
            f"{seconds_b * scale:>8.2f} s   ({label}; native only: "
            f"{sum(e.tx_hash in base_found for e in chain.expected)} of the transfers, "
            "plus logs for tokens)"
        )
        ok = found == len(chain.expected) and report.requests <= 2000 and seconds < 20
        print("target (all found, <= 2,000 requests, < 20 s):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        for n in reversed(nodes):
            stop_anvil(n)


if __name__ == "__main__":
    raise SystemExit(main())
