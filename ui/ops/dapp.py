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


def _tell_pages(sv: AppServices, origin: str) -> None:
    """Connected pages of ``origin`` hear accountsChanged (when the provider runs)."""
    provider = sv.dapp.provider if sv.dapp is not None else None
    if provider is not None:
        provider.permissions_changed(origin)


def revoke(sv: AppServices, origin: str) -> Op[bool]:
    def work() -> bool:
        gone = Permissions(sv.store).revoke(origin)
        _tell_pages(sv, origin)
        return gone

    return Op(work, lane="store")


def limit(sv: AppServices, origin: str, accounts: list[str]) -> Op[Connection]:
    def work() -> Connection:
        conn = Permissions(sv.store).limit(origin, accounts)
        _tell_pages(sv, origin)
        return conn

    return Op(work, lane="store")
