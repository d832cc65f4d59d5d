"""Phishing lists: once a day, fetch the user's phishing-domain and scam-address lists.

Offline, or when a source serves a bad list, nothing is lost: the lists stored before stay in
use by every review, and the run's output says which sources failed and why.
"""

from __future__ import annotations

from typing import Any

from delegates.runtime.base import Delegate, DelegateContext, Every
from delegates.runtime.registry import delegate


@delegate
class PhishingLists(Delegate):
    name = "phishing_lists"
    description = "Fetches your phishing-domain and scam-address lists once a day."
    triggers = (Every(days=1),)
    timeout_s = 300.0  # a few sources, each bounded by its own 60 s deadline

    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        from delegates.tx_review.list_update import sources, update

        results = []
        for url in sources(ctx.db):
            ctx.check_cancelled()
            results.extend(update(ctx.db, only=[url], now=ctx.clock()))
        ok = [r for r in results if r.ok]
        failed = [r for r in results if not r.ok]
        summary = f"{len(ok)} of {len(results)} list(s) updated"
        if failed:
            summary += "; the others keep their last copy"
        return {
            "summary": summary,
            "updated": [{"domains": r.domains, "addresses": r.addresses} for r in ok],
            "failed": [r.error[:200] for r in failed],
        }
