"""Settings -> "Help improve the model": the federation opt-in (``models.federated.optin``),
on the store worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models.federated import optin
from ui.ops.core import Op
from ui.services import AppServices


@dataclass(frozen=True)
class FederatePage:
    """What the section shows: the stored choice (``None``: not taking part), the privacy
    spent so far, and this wallet's public key file for the federation's operator."""

    choice: optin.OptIn | None
    spent: optin.Spent
    public_key: Path | None


def _page(sv: AppServices, node: Path) -> FederatePage:
    from models.federated.certs import NODE_PUB

    pub = node / NODE_PUB
    return FederatePage(
        optin.load(sv.store), optin.privacy_spent(node), pub if pub.exists() else None
    )


def load_page(sv: AppServices, node: Path | None = None) -> Op[FederatePage]:
    where = node or optin.node_folder()
    return Op(lambda: _page(sv, where), lane="store")


def opt_in(
    sv: AppServices, address: str, ca_file: Path, ceiling: float, node: Path | None = None
) -> Op[FederatePage]:
    """Check and store the choice; make this wallet's node key pair if it has none."""
    where = node or optin.node_folder()

    def work() -> FederatePage:
        from models.federated.certs import NODE_KEY, make_node_keys

        optin.save(sv.store, address, ca_file, ceiling)
        if not (where / NODE_KEY).exists():
            make_node_keys(where)
        return _page(sv, where)

    return Op(work, lane="store")


def leave(sv: AppServices, node: Path | None = None) -> Op[FederatePage]:
    """As ``warden federate leave`` (the SuperNode stops), and the stored choice is cleared."""
    where = node or optin.node_folder()

    def work() -> FederatePage:
        optin.leave(sv.store, where)
        return _page(sv, where)

    return Op(work, lane="store")
