"""Issue 12: the anonymizer fails closed on secrets written in unusual ways, and normalises
case and unicode before matching identifying values. Property tests generate the variants."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from models.anonymize import Anonymizer, _bip39_lists

PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow".split()
KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"


def _refused(text: str) -> bool:
    try:
        Anonymizer().anonymize(text)
    except InvalidInput:
        return True
    return False


separators = st.sampled_from([", ", ",", " - ", "-", "\n", "\t", '" "', "' '", " | ", "; "])


@settings(max_examples=60, deadline=None)
@given(sep=separators, numbered=st.booleans(), upper=st.booleans(), typo=st.integers(-1, 11))
def test_a_phrase_however_written_is_refused(
    sep: str, numbered: bool, upper: bool, typo: int
) -> None:
    words = list(PHRASE)
    if typo >= 0:
        words[typo] = "qzxv"  # one unknown word: still a phrase
    if upper:
        words = [w.upper() for w in words]
    if numbered:
        words = [f"{i + 1}. {w}" for i, w in enumerate(words)]
    assert _refused("my words: " + sep.join(words))


@settings(max_examples=20, deadline=None)
@given(lang=st.integers(0, len(_bip39_lists()) - 1), data=st.data())
def test_a_phrase_in_any_language_is_refused(lang: int, data: st.DataObject) -> None:
    words = sorted(_bip39_lists()[lang])
    picked = data.draw(st.lists(st.sampled_from(words), min_size=12, max_size=12))
    assert _refused(" ".join(picked))


def test_eleven_words_alone_are_refused() -> None:
    assert _refused(" ".join(PHRASE[:11]))


@settings(max_examples=40, deadline=None)
@given(group=st.sampled_from([4, 8, 16, 32]), sep=st.sampled_from([" ", "-", ":", "\n", ", "]))
def test_a_split_or_grouped_key_is_refused(group: int, sep: str) -> None:
    parts = [KEY[i : i + group] for i in range(0, 64, group)]
    assert _refused("key " + sep.join(parts))


def test_a_base64_key_is_refused() -> None:
    encoded = base64.b64encode(bytes.fromhex(KEY)).decode()
    assert _refused(f"backup: {encoded}")
    assert _refused(base64.urlsafe_b64encode(bytes.fromhex(KEY)).decode().rstrip("="))


@pytest.mark.parametrize(
    "value",
    [
        "52908400098527886E0F7030069857D2E4169EE7",
        "0X52908400098527886E0F7030069857D2E4169EE7",
        "Vitalik.ETH",
        "vitalík.eth",
        "zelda.xyz",
        "bob.cb.id",
        "ETH1.5",
        ".75",
    ],
)
def test_identifying_values_in_unusual_forms_are_replaced(value: str) -> None:
    a = Anonymizer()
    out = a.anonymize(f"send it to {value} please")
    assert value not in out
    assert a.restore(out) == f"send it to {value} please"


def test_a_part_of_a_contact_name_is_replaced() -> None:
    a = Anonymizer(names=["Alice Smith", "Savings Vault"])
    out = a.anonymize("Ask Alice, then Smith, then move it from Savings.")
    for name in ("Alice", "Smith", "Savings"):
        assert name not in out


def test_full_width_text_is_normalised_first() -> None:
    out = Anonymizer().anonymize("pay ｖｉｔａｌｉｋ．ｅｔｈ")
    assert "vitalik" not in out.lower() and "ENS_1" in out


def test_ordinary_text_still_goes_out() -> None:
    text = "What does an approval do, and why would a site ask me to sign a permit for my tokens?"
    assert Anonymizer().anonymize(text) == text
