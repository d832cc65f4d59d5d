"""How many real phishing sites the review flags, and how many real dapps it wrongly flags.

    .venv/bin/python bench/phishing_origins.py [--data DIR] [--split tune|heldout|all] [--show N]

Each host of the labelled set (see DIR/SOURCES.md) becomes a harmless ``personal_sign``
request ("Sign in") from ``https://HOST``, reviewed offline with no trusted origins and no
phishing list in the facts: only what every Warden ships with (the bundled dapp list, the
bundled eth-phishing-detect snapshot and the name heuristics). Prints the share of phishing
hosts with a verdict other than safe (caught) and the share of dapp hosts with one (false
alarms), and for the dapps, how many are in Warden's own list of known dapps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "bench" / "data" / "phishing_origins"  # see SOURCES.md there
USER = "0x1111111111111111111111111111111111111111"
MESSAGE = "0x" + b"Sign in to continue. This request will not trigger a transaction.".hex()


def _hosts(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def _request(host: str) -> dict:
    return {
        "method": "personal_sign",
        "chain_id": 1,
        "origin": f"https://{host}",
        "from": USER,
        "params": {"message": MESSAGE},
    }


def _flagged(hosts: list[str]) -> list[tuple[str, str, str]]:
    from delegates.tx_review import review_request

    out = []
    for host in hosts:
        outcome = review_request(_request(host), {})
        if outcome.verdict != "safe":
            why = outcome.findings[0].detail if outcome.findings else ""
            out.append((host, outcome.verdict, why))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled set folder")
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="heldout")
    parser.add_argument("--show", type=int, default=0, help="list N misses and false alarms")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from delegates.tx_review.known_dapps import by_domain
    from delegates.tx_review.origins import registrable

    splits = ("tune", "heldout") if args.split == "all" else (args.split,)
    phishing = [h for s in splits for h in _hosts(args.data / f"phishing_{s}.txt")]
    dapps = [h for s in splits for h in _hosts(args.data / f"dapps_{s}.txt")]
    caught = _flagged(phishing)
    alarms = _flagged(dapps)
    known = by_domain()
    in_list = [h for h in dapps if registrable(h) in known]
    alarms_unlisted = [a for a in alarms if registrable(a[0]) not in known]
    danger = sum(1 for _, v, _ in caught if v == "danger")
    print(f"labelled set: {args.data} (split: {args.split})")
    print(
        f"phishing hosts flagged (verdict not safe): {len(caught)}/{len(phishing)} = "
        f"{100 * len(caught) / max(1, len(phishing)):.1f} %  (danger: {danger})"
    )
    print(
        f"real dapp hosts flagged (false alarms):    {len(alarms)}/{len(dapps)} = "
        f"{100 * len(alarms) / max(1, len(dapps)):.1f} %"
    )
    print(
        f"  dapps in Warden's own known-dapp list: {len(in_list)}/{len(dapps)}; "
        f"false alarms among the others: {len(alarms_unlisted)}/{len(dapps) - len(in_list)}"
    )
    if args.show:
        flagged = {h for h, _, _ in caught}
        missed = [h for h in phishing if h not in flagged]
        print(f"\nmissed phishing hosts ({len(missed)}), first {args.show}:")
        for h in missed[: args.show]:
            print(f"  {h}")
        print(f"\nfalse alarms ({len(alarms)}):")
        for h, verdict, why in alarms[: args.show]:
            print(f"  {h}: {verdict}: {why[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
