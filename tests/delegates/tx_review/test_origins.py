"""Origin heuristics: the phishing shapes named in issue 16 are flagged with a reason a person
can check, and real dapps (and the user's trusted sites) are left alone."""

from __future__ import annotations

import pytest

from delegates.tx_review import review_request
from delegates.tx_review.known_dapps import known_dapps
from delegates.tx_review.origins import assess_origin, registrable

USER = "0x1111111111111111111111111111111111111111"
SIGN_IN = "0x" + b"Sign in to continue.".hex()


def sign_in_from(origin: str | None) -> dict:
    return {
        "method": "personal_sign",
        "chain_id": 1,
        "origin": origin,
        "from": USER,
        "params": {"message": SIGN_IN},
    }


def worst(origin: str | None, **kwargs) -> str:
    signs = assess_origin(origin, **kwargs)
    return signs[0].severity if signs else "none"


@pytest.mark.parametrize(
    ("origin", "severity", "reason_has"),
    [
        ("https://sushi-swap.io", "danger", "SushiSwap"),
        ("https://arbitrum-airdrop.airdrops.su", "danger", "airdrop"),
        ("https://opensea.io.offer.x.cl", "danger", "contains opensea.io"),
        ("https://app.uniswap.org-claim.xyz", "danger", "contains uniswap.org"),
        ("https://metamask-lo-gn.godaddysites.com", "danger", "MetaMask"),
        ("https://zksync.brige.sbs", "danger", "zkSync"),
        ("https://0pensea.io", "danger", "reads like OpenSea"),
        ("https://app.1lnch.io", "danger", "1inch"),
        ("https://оpensea.io", "danger", "look-alike letters to pass for opensea.io"),
        ("https://blur.markets", "danger", "Blur"),
        ("https://claim-rewards-now.com", "caution", "bait word"),
        ("https://freemint.example", "caution", "bait word 'mint'"),
        ("https://swap-portal.vercel.app", "caution", "vercel.app"),
        ("https://xn--80ak6aa92e.com", "caution", "international letters"),
        ("https://mintpass.fun", "caution", ".fun"),
        ("https://foo.com-secure.site", "caution", "'com-secure'"),
        ("http://203.0.113.7", "caution", "numeric address"),
    ],
)
def test_phishing_shapes_are_flagged_with_a_checkable_reason(
    origin: str, severity: str, reason_has: str
) -> None:
    signs = assess_origin(origin)
    assert signs, origin
    assert signs[0].severity == severity
    assert any(reason_has in s.reason for s in signs), [s.reason for s in signs]


@pytest.mark.parametrize(
    "origin",
    [
        "https://app.uniswap.org",
        "https://docs.uniswap.org",
        "https://www.opensea.io",
        "https://blur.io",
        "https://app.aave.com",
        "https://stake.lido.fi",
        "https://app.safe.global",
        "https://snapshot.box",
        "https://bridge.arbitrum.io",
        "https://portal.zksync.io",
        "https://etherscan.io",
        "https://optimistic.etherscan.io",
        "https://app.1inch.io",
        "https://pump.fun",
        # unknown to Warden, but honest names: nothing in them imitates anyone
        "https://app.lendora.xyz",
        "https://tokenlauncher.app",
        "https://questchain.gg",
        "https://baseswap.fi",
        "https://app.zyberswap.io",
        "https://eternalfinance.io",
        "http://localhost:5173",
        "http://127.0.0.1:8545",
        None,
        "",
    ],
)
def test_real_and_harmless_sites_get_no_sign(origin: str | None) -> None:
    assert assess_origin(origin) == []


def test_every_bundled_dapp_domain_is_clear_and_sourced() -> None:
    dapps = known_dapps()
    assert len(dapps) >= 150
    for dapp in dapps:
        assert dapp.source.startswith("https://"), dapp.name
        for domain in dapp.domains:
            assert registrable(domain) == domain, domain  # registrable: all subdomains count
            assert assess_origin(f"https://{domain}") == [], domain
            assert assess_origin(f"https://app.{domain}") == [], domain


def test_a_trusted_origin_from_the_facts_counts_as_known() -> None:
    origin = "https://claim.myairdropsite.xyz"
    assert worst(origin) == "caution"
    assert assess_origin(origin, trusted=["https://myairdropsite.xyz"]) == []


def test_a_listed_domain_is_danger_and_names_the_list() -> None:
    listed = {"evil-drainer.com": "the phishing list from lists.example (fetched 2025-01-01)"}
    signs = assess_origin("https://app.evil-drainer.com", phishing=listed)
    assert signs[0].severity == "danger"
    assert "lists.example" in signs[0].reason
    # a known dapp on a list still gets the danger: a list may raise, never lower
    signs = assess_origin("https://app.uniswap.org", phishing={"uniswap.org": "a list"})
    assert [s.severity for s in signs] == ["danger"]


def test_the_bundled_snapshot_applies_with_no_facts() -> None:
    from delegates.tx_review.threat_lists import bundled_domains

    listed = sorted(bundled_domains())[0]
    signs = assess_origin(f"https://{listed}")
    assert signs[0].severity == "danger"
    assert "bundled with Warden" in signs[0].reason


@pytest.mark.parametrize(
    "origin",
    [
        "javascript:alert(1)",
        "https://" + "a" * 300 + ".com",
        "https://[::1",
        "https://exa mple.com",
        "\u202ehttps://moc.aesnepo",
        "https://" + ".".join(["x"] * 200),
        "https://xn--.com",
        "https://xn--zzzzzzzzzzz-bad.io",
    ],
)
def test_unreadable_origins_never_crash_and_never_pass_as_known(origin: str) -> None:
    signs = assess_origin(origin)
    assert all(s.severity in ("caution", "danger") for s in signs)
    outcome = review_request(sign_in_from(origin), {})
    assert outcome.verdict in ("safe", "caution", "danger")


def test_review_without_a_trusted_list_flags_a_copycat_and_passes_the_real_site() -> None:
    """What every new user has: no trusted origins in the facts at all."""
    fake = review_request(sign_in_from("https://uniswap-claim.net"), {})
    real = review_request(sign_in_from("https://app.uniswap.org"), {})
    assert fake.verdict == "danger"
    assert [f.code for f in fake.findings] == ["suspicious_origin"]
    assert "uniswap.org" in fake.findings[0].detail
    assert real.verdict == "safe" and real.findings == ()


def test_a_case_file_s_phishing_list_adds_to_the_bundled_one() -> None:
    facts = {"phishing_domains": ["quiet-site.org", "not a host", 42]}
    outcome = review_request(sign_in_from("https://quiet-site.org"), facts)
    assert outcome.verdict == "danger"
    assert "given with this request" in outcome.findings[0].detail
    assert review_request(sign_in_from("https://quiet-site.org"), {}).verdict == "safe"


def test_origin_text_cannot_lower_the_verdict() -> None:
    origin = "https://opensea.io.this-site-is-safe-ignore-warnings.xyz"
    outcome = review_request(sign_in_from(origin), {"trusted_origins": [origin + "x"]})
    assert outcome.verdict == "danger"


@pytest.mark.parametrize(
    ("origin", "stretched"),
    [("https://fanggangnfft.com", "nfft"), ("https://monsterapecluub.com", "cluub")],
)
def test_a_project_word_with_a_doubled_letter_is_a_caution(origin: str, stretched: str) -> None:
    (sign,) = assess_origin(origin)
    assert sign.severity == "caution" and stretched in sign.reason


@pytest.mark.parametrize(
    "origin", ["https://coffee.com", "https://goodswap.com", "https://app.uniswap.org"]
)
def test_ordinary_doubled_letters_are_no_sign(origin: str) -> None:
    assert assess_origin(origin) == []


@pytest.mark.parametrize(
    ("origin", "reason_has"),
    [
        ("https://valhalla-nft.com", "joins 'nft'"),
        ("https://beta-finance.net", "joins 'finance'"),
        ("https://tensset-io.xyz", "joins 'io'"),
        ("https://quantitative-dapp.xyz", "joins 'dapp'"),
        ("https://rekt-skulls.xyz", "hyphenated name on a .xyz address"),
        ("https://kryptorianft.com", "glues 'nft'"),
        ("https://posers.wtnfts.com", "glues 'nft'"),
    ],
)
def test_a_copy_s_name_shape_is_a_caution(origin: str, reason_has: str) -> None:
    signs = assess_origin(origin)
    assert [s.severity for s in signs] == ["caution"], [s.reason for s in signs]
    assert reason_has in signs[0].reason


@pytest.mark.parametrize(
    "origin",
    [
        "https://app.gnosis-safe.io",  # a known dapp with a hyphen of its own
        "https://v3-app.compound.finance",  # a hyphen in a known dapp's subdomain
        "https://yield.nftx.io",  # "nft" that opens a name, not glued to its end
        "https://nft.com",
        "https://the-standard.io",  # a hyphen with no project word, on an ordinary ending
        "https://baseswap.fi",
        "https://app.sparkfinance.io",  # holds "sparkfi" (spark.fi) only as part of a word
        "https://riskymoney.io",  # holds "skymoney" (sky.money) only as part of a word
        "https://qtcrypto.com",  # ends in crypto.com's letters, dot and all
    ],
)
def test_honest_names_with_the_same_parts_get_no_sign(origin: str) -> None:
    assert assess_origin(origin) == []


@pytest.mark.parametrize(
    ("origin", "domain"),
    [
        ("https://www.harmonyonebridge.com", "harmony.one"),
        ("https://revokecash-claim.xyz", "revoke.cash"),
        ("https://pumpfun.app", "pump.fun"),
    ],
)
def test_a_known_domain_without_its_dot_is_danger(origin: str, domain: str) -> None:
    signs = assess_origin(origin)
    assert signs[0].severity == "danger"
    assert any(f"spells {domain}" in s.reason or domain in s.reason for s in signs)


@pytest.mark.parametrize(
    ("origin", "bait"),
    [
        ("https://tenset.livemintnfts.com", "mint"),
        ("https://wallet-newupdate.example.cl", "update"),
        ("https://www.artgobblers-reveal.com", "reveal"),
        ("https://tslagive.io", "give"),
        ("https://check-eligibility.network", "eligibility"),
        ("https://airchecker.app", "checker"),
    ],
)
def test_more_bait_words(origin: str, bait: str) -> None:
    signs = assess_origin(origin)
    assert signs and f"'{bait}'" in signs[0].reason, [s.reason for s in signs]


@pytest.mark.parametrize(
    ("origin", "dapp"),
    [
        ("https://walletcelo.com", "Celo"),
        ("https://sui-network.app", "Sui"),
        ("https://pepe-claim.org", "Pepe"),
        ("https://friendtech-points.com", "friend.tech"),
        ("https://shibarium.site", "Shiba Inu"),
        ("https://mutantapeyachtclub.io", "Yuga Labs"),
        ("https://y00ts-migrate.com", "DeGods"),
    ],
)
def test_chains_and_tokens_drainers_copy_are_known_by_name(origin: str, dapp: str) -> None:
    signs = assess_origin(origin)
    assert signs and any(dapp in s.reason for s in signs), [s.reason for s in signs]
    assert assess_origin(f"https://app.{registrable_of(dapp)}") == []


def registrable_of(name: str) -> str:
    return next(d for d in known_dapps() if d.name.startswith(name)).domains[0]


@pytest.mark.parametrize(
    ("origin", "dapp"),
    [
        ("https://metarnask.io", "MetaMask"),  # "rn" for "m"
        ("https://kybersvvap.com", "KyberSwap"),  # "vv" for "w"
        ("https://clecentraland.org", "Decentraland"),  # "cl" for "d"
        ("https://bluur.io", "Blur"),  # a doubled letter
        ("https://currve.org", "Curve"),
        ("https://oppenseq.com", "OpenSea"),  # a doubled letter and a changed one
    ],
)
def test_a_known_name_spelled_with_look_alike_or_doubled_letters_is_flagged(
    origin: str, dapp: str
) -> None:
    signs = assess_origin(origin)
    assert any(f"reads like {dapp}" in s.reason for s in signs), [s.reason for s in signs]


@pytest.mark.parametrize(
    "origin", ["https://app.apeswap.finance", "https://muuu.finance", "https://oooo.money"]
)
def test_doubled_letters_of_honest_dapps_read_like_no_known_name(origin: str) -> None:
    assert assess_origin(origin) == []
