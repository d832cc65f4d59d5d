"""ENS names to addresses (EIP-137) through the network's node: the name is normalised by
ENSIP-15 (``ens-normalize``), hashed, and the registry and then the name's resolver are asked
with plain ``eth_call``s through the chain client (one deadline per call, checked answers).

A name that does not resolve is an InvalidInput that says so; it never falls back to a guess.
What a name resolves to is reviewed as that address, like any address typed in."""

from __future__ import annotations

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

from app.errors import InvalidInput, NetworkError
from app.wallet.chain import ChainClient

# The ENS registry, at the same address on Ethereum and its test networks.
ENS_REGISTRY = "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e"
RESOLVER_OF = bytes.fromhex("0178b8bf")  # resolver(bytes32)
ADDR_OF = bytes.fromhex("3b3b57de")  # addr(bytes32)
NAME_OF = bytes.fromhex("691f3431")  # name(bytes32), on the resolver of a reverse node
MAX_NAME_ANSWER_BYTES = 32 * 16  # offset, length, and a name of at most 255 bytes (padded)
ZERO = "0x" + "00" * 20
MAX_NAME_CHARS = 255


def looks_like_name(text: str) -> bool:
    """Whether ``text`` is meant as an ENS name rather than a 0x address."""
    text = text.strip()
    return "." in text and not text.lower().startswith("0x") and len(text) <= MAX_NAME_CHARS


def normalize(name: str) -> str:
    """The ENSIP-15 normal form of ``name``, or InvalidInput naming the problem."""
    from ens_normalize import DisallowedSequence, ens_normalize

    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
        raise InvalidInput("The ENS name is empty or too long.")
    try:
        return str(ens_normalize(name.strip()))
    except DisallowedSequence as exc:
        raise InvalidInput(
            f"{name[:80]!r} is not a valid ENS name: {exc}.",
            hint="Check the spelling, or paste the 0x address instead.",
        ) from None


def namehash(name: str) -> bytes:
    """EIP-137 namehash of a normalised name."""
    node = b"\x00" * 32
    if name:
        for label in reversed(name.split(".")):
            node = keccak(node + keccak(text=label))
    return node


def _address_call(client: ChainClient, to: str, selector: bytes, node: bytes, what: str) -> str:
    answer = client.call({"to": to, "data": selector + encode(["bytes32"], [node])})
    if len(answer) != 32:
        raise NetworkError(
            f"The node's answer for {what} is not an address.",
            hint="Check that the network's node serves ENS, or use the 0x address.",
        )
    (address,) = decode(["address"], answer)
    return to_checksum_address(str(address))


def resolve(client: ChainClient, name: str, *, registry: str = ENS_REGISTRY) -> str:
    """The checksummed address ``name`` points to on ``client``'s chain."""
    normal = normalize(name)
    node = namehash(normal)
    registry = to_checksum_address(registry)
    resolver = _address_call(client, registry, RESOLVER_OF, node, "the name's resolver")
    if resolver.lower() == ZERO:
        raise InvalidInput(
            f"The ENS name {normal} is not registered on {client.name} (it has no resolver).",
            hint="Check the spelling and the network, or paste the 0x address instead.",
        )
    address = _address_call(client, resolver, ADDR_OF, node, "the name's address")
    if address.lower() == ZERO:
        raise InvalidInput(
            f"The ENS name {normal} points to no address on {client.name}.",
            hint="Ask the recipient for their 0x address.",
        )
    return to_checksum_address(address)


def reverse_node(address: str) -> bytes:
    """ENSIP-3: the node of ``<address, lower-case hex without 0x>.addr.reverse``."""
    return namehash(to_checksum_address(address)[2:].lower() + ".addr.reverse")


def reverse(client: ChainClient, address: str, *, registry: str = ENS_REGISTRY) -> str | None:
    """The primary ENS name of ``address``, only if that name resolves forward to the same
    address (a reverse record alone is anyone's claim); None when there is no such name.
    A node that answers nonsense is NetworkError; a name that is not valid is None."""
    address = to_checksum_address(address)
    node = reverse_node(address)
    registry = to_checksum_address(registry)
    resolver = _address_call(client, registry, RESOLVER_OF, node, "the reverse resolver")
    if resolver.lower() == ZERO:
        return None
    answer = client.call({"to": resolver, "data": NAME_OF + encode(["bytes32"], [node])})
    if not answer or len(answer) > MAX_NAME_ANSWER_BYTES or len(answer) % 32:
        return None
    try:
        (claimed,) = decode(["string"], answer)
        name = normalize(str(claimed))
        forward = resolve(client, name, registry=registry)
    except (InvalidInput, ValueError, UnicodeDecodeError):  # eth_abi's errors are ValueErrors
        return None
    return name if forward == address else None
