"""``warden lists``: the phishing-domain and scam-address lists every review uses.

    warden lists status          which sources, how many entries, how old
    warden lists update [URL]    fetch and check each source now (or only URL)
    warden lists add URL         use another source (a JSON or text list served over HTTPS)
    warden lists remove URL      stop using a source and delete its stored list

A list that fails its checks, or cannot be fetched, leaves the stored one in use.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lists",
        help="phishing-domain and scam-address lists: status, update, add, remove",
        description="The lists every review checks origins and addresses against, fetched "
        "from sources you choose (default: MetaMask's eth-phishing-detect).",
    )
    lsub = p.add_subparsers(dest="lists_cmd", metavar="ACTION", required=True)
    s = lsub.add_parser("status", help="the sources, their entry counts and ages")
    s.set_defaults(func=cmd_status)
    u = lsub.add_parser("update", help="fetch and check the lists now")
    u.add_argument("url", nargs="?", metavar="URL", help="only this source")
    u.set_defaults(func=cmd_update)
    a = lsub.add_parser("add", help="use another list source (HTTPS)")
    a.add_argument("url", metavar="URL")
    a.set_defaults(func=cmd_add)
    r = lsub.add_parser("remove", help="stop using a list source")
    r.add_argument("url", metavar="URL")
    r.set_defaults(func=cmd_remove)


def _age(days: float | None) -> str:
    if days is None:
        return "never fetched"
    if days < 1:
        return "fetched today"
    return f"fetched {days:.0f} day{'s' if round(days) != 1 else ''} ago"


def cmd_status(args: argparse.Namespace) -> int:
    from delegates.tx_review.list_update import STALE_DAYS, status
    from delegates.tx_review.threat_lists import BUNDLED_SOURCE, bundled_domains
    from warden.context import open_store

    store = open_store()
    try:
        rows = status(store)
    finally:
        store.close()
    now = datetime.now(UTC)
    print(f"{BUNDLED_SOURCE}: {len(bundled_domains()):,} domains, always in use")
    for row in rows:
        age = row.age_days(now)
        stale = age is not None and age > STALE_DAYS
        line = f"{row.source}: {row.domains:,} domains, {row.addresses:,} addresses, {_age(age)}"
        if stale:
            line += f" (stale: older than {STALE_DAYS} days, still in use)"
        if row.last_error:
            line += f"; last update failed: {row.last_error.splitlines()[0][:160]}"
        print(line)
    if not rows:
        print("No list sources: add one with 'warden lists add URL'.")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from delegates.tx_review.list_update import update
    from warden.context import open_store

    store = open_store()
    try:
        results = update(store, only=[args.url] if args.url else None)
    finally:
        store.close()
    failed = 0
    for r in results:
        if r.ok:
            print(f"{r.source}: {r.domains:,} domains, {r.addresses:,} addresses")
        else:
            failed += 1
            print(f"{r.source}: not updated, the stored list stays in use: {r.error}")
    return 1 if failed else 0


def cmd_add(args: argparse.Namespace) -> int:
    from delegates.tx_review.list_update import add_source
    from warden.context import open_store

    store = open_store()
    try:
        current = add_source(store, args.url)
    finally:
        store.close()
    print(f"{len(current)} list source(s). Fetch the new one with 'warden lists update'.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from delegates.tx_review.list_update import remove_source
    from warden.context import open_store

    store = open_store()
    try:
        current = remove_source(store, args.url)
    finally:
        store.close()
    print(f"Removed. {len(current)} list source(s) left.")
    return 0
