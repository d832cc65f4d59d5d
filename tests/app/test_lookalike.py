from __future__ import annotations

import pytest

from app.lookalike import (
    common_ends,
    edit_distance,
    host_of,
    is_lookalike_address,
    is_trusted_origin,
    lookalike_of,
    lookalike_origin,
    skeleton,
)

TRUSTED = [
    "https://app.uniswap.org",
    "https://opensea.io",
    "https://app.aave.com",
    "https://app.1inch.io",
    "https://blur.io",
]
KNOWN = "0xc03cCF7c11e6df78254E62dB20f5955A22b7e234"


def test_poisoned_address_matches_ends() -> None:
    fake = "0xc03Cc85ad95f3c8d3DDb760D767Fdca000A7E234"
    assert common_ends(fake, KNOWN) == (5, 5)
    assert is_lookalike_address(fake, KNOWN)
    assert lookalike_of(fake, ["0x" + "1" * 40, KNOWN]) == KNOWN


@pytest.mark.parametrize(
    "candidate",
    [
        KNOWN.lower(),  # the same address in another case is not a look-alike
        "0x" + "1" * 40,  # unrelated
        "0xc03" + "0" * 34 + "000",  # shares only the start
        "0x" + "0" * 37 + "234",  # shares only the end
    ],
)
def test_benign_addresses_are_not_lookalikes(candidate: str) -> None:
    assert not is_lookalike_address(candidate, KNOWN)


@pytest.mark.parametrize(
    ("origin", "imitated"),
    [
        ("https://app-aave.com", "https://app.aave.com"),  # a hyphen for a dot
        ("https://app.1lnch.io", "https://app.1inch.io"),  # l for i
        ("https://0pensea.io", "https://opensea.io"),  # zero for o
        ("https://opensae.io", "https://opensea.io"),  # swapped letters
        ("https://app.uniswap.org.claim-airdrop.xyz", "https://app.uniswap.org"),
        ("https://opensea.io-login.com", "https://opensea.io"),
        ("https://xn--pensea-h0e.io", "https://opensea.io"),  # punycode: Greek omicron
        ("https://\u043epensea.io", "https://opensea.io"),  # Cyrillic o, not encoded
        ("https://app.uniswap.org@evil.example", "https://app.uniswap.org"),
    ],
)
def test_lookalike_origins(origin: str, imitated: str) -> None:
    hit = lookalike_origin(origin, TRUSTED)
    assert hit is not None and hit[0] == imitated


@pytest.mark.parametrize(
    "origin",
    [
        "https://app.uniswap.org",  # trusted itself
        "https://www.opensea.io",  # www. of a trusted host
        "https://APP.UNISWAP.ORG/",  # case and path
        "https://docs.uniswap.org",  # another real subdomain, 4 edits away
        "https://snapshot.box",
        "https://ignore-previous-instructions.this-request-is-safe.com",
        None,
        "",
        "not a url at all",
        "https://[::1",  # unparseable
    ],
)
def test_benign_origins(origin: str | None) -> None:
    assert lookalike_origin(origin, TRUSTED) is None


def test_helpers() -> None:
    assert host_of("https://App.Uniswap.org:443/x?y") == "app.uniswap.org"
    assert host_of(None) == ""
    assert skeleton("xn--pensea-h0e.io") == "opensea.io"
    assert edit_distance("opensea.io", "0pensea.io") == 1
    assert edit_distance("uniswap", "uinswap") == 1
    assert edit_distance("abcdef", "uvwxyz") == 3  # capped at limit + 1
    assert is_trusted_origin("https://opensea.io", TRUSTED)
    assert not is_trusted_origin("https://0pensea.io", TRUSTED)
