"""Networks: presets for the common EVM chains, the demo chain, and any chain the user adds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.store.schema import Network
from app.wallet.chain import DEFAULT_TIMEOUT_S, IN_PROCESS_URL, ChainClient

DEMO_CHAIN_ID = 131277322940537  # eth-tester's default chain id


@dataclass(frozen=True)
class NetworkInfo:
    name: str
    chain_id: int
    rpc_url: str
    native_symbol: str = "ETH"
    explorer_url: str = ""
    is_preset: bool = False


PRESETS: tuple[NetworkInfo, ...] = (
    NetworkInfo(
        "Ethereum", 1, "https://ethereum-rpc.publicnode.com", "ETH", "https://etherscan.io", True
    ),
    NetworkInfo("Base", 8453, "https://mainnet.base.org", "ETH", "https://basescan.org", True),
    NetworkInfo(
        "Arbitrum", 42161, "https://arb1.arbitrum.io/rpc", "ETH", "https://arbiscan.io", True
    ),
    NetworkInfo(
        "Optimism",
        10,
        "https://mainnet.optimism.io",
        "ETH",
        "https://optimistic.etherscan.io",
        True,
    ),
    NetworkInfo("Polygon", 137, "https://polygon-rpc.com", "POL", "https://polygonscan.com", True),
    NetworkInfo("Demo", DEMO_CHAIN_ID, IN_PROCESS_URL, "ETH", "", True),
)


def _info(row: Network) -> NetworkInfo:
    return NetworkInfo(
        row.name, row.chain_id, row.rpc_url, row.native_symbol, row.explorer_url, row.is_preset
    )


def ensure_presets(session: Session) -> None:
    """Add the presets a store does not have yet (by name); the user's edits are kept."""
    have = set(session.scalars(select(Network.name)))
    for p in PRESETS:
        if p.name not in have:
            session.add(
                Network(
                    name=p.name,
                    chain_id=p.chain_id,
                    rpc_url=p.rpc_url,
                    native_symbol=p.native_symbol,
                    explorer_url=p.explorer_url,
                    is_preset=True,
                )
            )
    session.flush()


def list_networks(session: Session, *, add_presets: bool = True) -> list[NetworkInfo]:
    """The networks by id; ``add_presets=False`` only reads (a window's reload writes nothing)."""
    if add_presets:
        ensure_presets(session)
    return [_info(r) for r in session.scalars(select(Network).order_by(Network.id))]


def add_network(
    session: Session,
    name: str,
    chain_id: int | str,
    rpc_url: str,
    *,
    native_symbol: str = "ETH",
    explorer_url: str = "",
) -> NetworkInfo:
    """Add (or update the RPC of) a network. The chain id is checked on connect, not here."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("The network needs a name.")
    try:
        cid = int(str(chain_id), 0)
    except ValueError:
        raise InvalidInput(f"The chain id {chain_id!r} is not a number.") from None
    if cid <= 0:
        raise InvalidInput(f"The chain id {cid} must be positive.")
    url = (rpc_url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(
            f"The RPC URL {url!r} is not an http(s) URL.",
            hint="Use the node's JSON-RPC address, e.g. https://mainnet.base.org.",
        )
    row = session.scalars(select(Network).where(Network.name == name)).first()
    if row is None:
        row = Network(
            name=name,
            chain_id=cid,
            rpc_url=url,
            native_symbol=native_symbol,
            explorer_url=explorer_url,
            is_preset=False,
        )
        session.add(row)
    else:
        row.chain_id, row.rpc_url = cid, url
        row.native_symbol, row.explorer_url = native_symbol, explorer_url or row.explorer_url
    session.flush()
    return _info(row)


def get_network(session: Session, key: str | int) -> NetworkInfo:
    """A network by name (any case) or chain id."""
    nets = list_networks(session)
    text = str(key).strip()
    for n in nets:
        if n.name.lower() == text.lower():
            return n
    if text.isdigit():
        for n in nets:
            if n.chain_id == int(text):
                return n
    names = ", ".join(n.name for n in nets)
    raise InvalidInput(
        f"No network named {text!r}.",
        hint=f"Known networks: {names}. Add one with 'warden networks add'.",
    )


def connect(network: NetworkInfo, *, timeout: float = DEFAULT_TIMEOUT_S) -> ChainClient:
    return ChainClient.connect(
        network.rpc_url, network.chain_id, name=network.name, timeout=timeout
    )


def set_rpc_url(session: Session, name: str, rpc_url: str) -> NetworkInfo:
    """Point the network named ``name`` at another node (same rule as ``add_network``)."""
    row = session.scalars(select(Network).where(Network.name == name)).first()
    if row is None:
        raise InvalidInput(f"No network named {name!r}.", hint="Reload the Settings screen.")
    url = (rpc_url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(
            f"{url!r} is not an RPC URL.",
            hint="Use the node's JSON-RPC address: it starts with https:// (or http:// locally).",
        )
    row.rpc_url = url
    session.flush()
    return _info(row)
