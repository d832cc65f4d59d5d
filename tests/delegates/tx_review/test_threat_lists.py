"""Reading and checking phishing lists, and the snapshot bundled at build time."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest

from delegates.tx_review.known_dapps import by_domain
from delegates.tx_review.threat_lists import (
    BUNDLED_FILE,
    MAX_BYTES,
    ListRejected,
    bundled_domains,
    listed_domain,
    normalize_host,
    parse_list,
)

ADDRESS = "0x" + "ab" * 20


def test_metamask_config_is_blacklist_less_whitelist() -> None:
    raw = json.dumps({"blacklist": ["a-bad.com", "b-bad.io"], "whitelist": ["b-bad.io"]})
    assert parse_list(raw.encode()).domains == {"a-bad.com"}


def test_object_array_and_text_formats() -> None:
    obj = parse_list(json.dumps({"domains": ["x.com"], "addresses": [ADDRESS]}).encode())
    assert obj.domains == {"x.com"} and obj.addresses == {ADDRESS}
    arr = parse_list(
        json.dumps(["https://www.y.com/path", ADDRESS.upper().replace("X", "x")]).encode()
    )
    assert arr.domains == {"y.com"} and arr.addresses == {ADDRESS}
    text = parse_list(b"# comment\n0.0.0.0 z.net\n*.w.org\n\n")
    assert text.domains == {"z.net", "w.org"}


def test_idn_entries_become_punycode() -> None:
    assert normalize_host("оpensea.io") == "xn--pensea-vqf.io"
    assert normalize_host("not a host") is None
    assert normalize_host("a" * 64 + ".com") is None


def test_known_dapps_are_dropped_a_few_and_refused_many() -> None:
    few = parse_list(json.dumps({"blacklist": ["uniswap.org", "evil.com"]}).encode())
    assert few.domains == {"evil.com"} and few.dropped == 1
    many = [d for d in list(by_domain())[:10]]
    with pytest.raises(ListRejected, match="well-known dapps"):
        parse_list(json.dumps({"blacklist": many}).encode())


def test_oversized_list_is_refused_before_reading() -> None:
    with pytest.raises(ListRejected, match="larger than"):
        parse_list(b" " * (MAX_BYTES + 1))


def test_listed_domain_covers_subdomains_only() -> None:
    listed = {"evil.com"}
    assert listed_domain("a.b.evil.com", listed) == "evil.com"
    assert listed_domain("notevil.com", listed) is None
    assert listed_domain("evil.com.au", listed) is None


def test_bundled_snapshot_is_the_npm_file_and_passes_the_checks() -> None:
    raw = resources.files("delegates.tx_review").joinpath(BUNDLED_FILE).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert digest == "6dd1fe4ded6d241b599d36135f65e5f8aeed2e6ce5b74f7360e37c2d08738436"
    parsed = parse_list(raw)
    assert len(parsed.domains) > 13_000
    # what the reviews read without per-entry checks holds nothing the checks would drop
    # but malformed entries, and no well-known dapp
    assert parsed.domains <= bundled_domains()
    assert not any(listed_domain(d, bundled_domains()) for d in by_domain())
