"""The networks and their nodes, on the store worker."""

from __future__ import annotations

from collections.abc import Sequence

from app.rows import NetworkRow
from app.wallet import networks
from ui.ops.core import Op
from ui.services import AppServices


def _rows(sv: AppServices) -> list[NetworkRow]:
    with sv.store.session() as s:
        return [
            NetworkRow(n.name, n.chain_id, n.rpc_url, n.native_symbol)
            for n in networks.list_networks(s, add_presets=False)
        ]


def load(sv: AppServices) -> Op[list[NetworkRow]]:
    return Op(lambda: _rows(sv), lane="store")


def set_rpc_urls(sv: AppServices, changes: Sequence[tuple[str, str]]) -> Op[None]:
    """(network name, new RPC URL) pairs, all in one commit: all stored or none."""

    def work() -> None:
        with sv.store.session() as s:
            for name, url in changes:
                networks.set_rpc_url(s, name, url)

    return Op(work, lane="store")
