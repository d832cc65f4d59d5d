"""Connected sites (``app.dapp.permissions``): listed, limited and revoked on the store
worker."""

from __future__ import annotations

from app.dapp.permissions import Connection, Permissions
from ui.ops.core import Op
from ui.services import AppServices

SitesPage = tuple[list[Connection], list[str]]


def load_sites(sv: AppServices) -> Op[SitesPage]:
    """The connected sites and the accounts a site may be limited to."""

    def work() -> SitesPage:
        perms = Permissions(sv.store)
        return perms.all(), perms.own_accounts()

    return Op(work, lane="store")


def revoke(sv: AppServices, origin: str) -> Op[bool]:
    return Op(lambda: Permissions(sv.store).revoke(origin), lane="store")


def limit(sv: AppServices, origin: str, accounts: list[str]) -> Op[Connection]:
    return Op(lambda: Permissions(sv.store).limit(origin, accounts), lane="store")
