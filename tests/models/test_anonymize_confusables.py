"""Issue 12: look-alike letters (Cyrillic, Greek) are folded before matching, so an address,
an ENS name, a contact name or an account label written with them is still replaced, and
what is sent keeps the user's own letters everywhere else."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.store import Store
from app.store import schema as s
from models.anonymize import Anonymizer, fold_confusables, refuse_secrets

# Latin letter -> look-alikes from other scripts (what the fold table undoes)
LOOKALIKES = {
    "a": "\u0430\u03b1", "c": "\u0441\u03f2", "e": "\u0435\u03b5", "i": "\u0456\u03b9",
    "o": "\u043e\u03bf", "p": "\u0440\u03c1", "x": "\u0445\u03c7", "y": "\u0443\u03b3",
    "s": "\u0455", "h": "\u04bb", "k": "\u03ba", "A": "\u0410\u0391", "B": "\u0412\u0392",
    "E": "\u0415\u0395", "O": "\u041e\u039f", "C": "\u0421", "K": "\u041a\u039a",
    "M": "\u041c\u039c", "H": "\u041d\u0397", "P": "\u0420\u03a1", "T": "\u0422\u03a4",
    "X": "\u0425\u03a7",
}  # fmt: skip


@st.composite
def disguised(draw: st.DrawFn, text: str) -> str:
    """``text`` with some of its letters swapped for look-alikes (at least one if it can)."""
    spots = [i for i, ch in enumerate(text) if ch in LOOKALIKES]
    chosen = draw(st.sets(st.sampled_from(spots), min_size=1)) if spots else set()
    return "".join(
        draw(st.sampled_from(LOOKALIKES[ch])) if i in chosen else ch for i, ch in enumerate(text)
    )


def _sent(anonymizer: Anonymizer, text: str) -> str:
    out = anonymizer.anonymize(text)
    # the answer gets the user's own text back (in NFKC, as it was sent)
    assert anonymizer.restore(out) == unicodedata.normalize("NFKC", text)
    return out


hex40 = st.text("0123456789abcdefABCDEF", min_size=40, max_size=40)


@settings(max_examples=80, deadline=None)
@given(data=st.data(), digits=hex40)
def test_an_address_with_look_alike_letters_is_replaced(data: st.DataObject, digits: str) -> None:
    address = data.draw(disguised("0x" + digits))
    out = _sent(Anonymizer(), f"send it to {address} please")
    assert out.startswith("send it to ADDR_") and out.endswith(" please"), out


ens_label = st.text("abcdehikopsxy", min_size=3, max_size=12)


@settings(max_examples=80, deadline=None)
@given(data=st.data(), label=ens_label, suffix=st.sampled_from(["eth", "xyz", "cb.id"]))
def test_an_ens_name_with_look_alike_letters_is_replaced(
    data: st.DataObject, label: str, suffix: str
) -> None:
    name = data.draw(disguised(f"{label}.{suffix}"))
    out = _sent(Anonymizer(), f"what does {name} hold?")
    assert out.startswith("what does ENS_") and out.endswith(" hold?"), out


@settings(max_examples=80, deadline=None)
@given(
    data=st.data(),
    name=st.sampled_from(["Alice Cooper", "Bob Pike", "Savings", "Cold storage", "Mom"]),
    whole=st.booleans(),
)
def test_names_and_labels_with_look_alike_letters_are_replaced(
    data: st.DataObject, name: str, whole: bool
) -> None:
    said = name if whole or " " not in name else name.split()[0]
    written = data.draw(disguised(said))
    stored = data.draw(disguised(name))  # the stored name may carry look-alikes too
    anonymizer = Anonymizer([stored])
    out = _sent(anonymizer, f"pay {written} back")
    assert out.startswith("pay NAME_") and out.endswith(" back"), out


def test_a_key_spelled_with_look_alike_letters_is_refused() -> None:
    key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
    disguised_key = key.replace("a", "\u0430").replace("c", "\u0441").replace("e", "\u0435")
    try:
        refuse_secrets(f"my key: {disguised_key}")
    except Exception as exc:  # noqa: BLE001
        assert "private key" in str(exc)
    else:
        raise AssertionError("a disguised key went out")


def test_other_scripts_are_left_as_written() -> None:
    text = "Привет, как дела? Γειά σου κόσμε."
    assert Anonymizer().anonymize(text) == text
    assert len(fold_confusables(text)) == len(text)


def test_the_assistant_hides_account_labels(tmp_path: Path) -> None:
    from models.assistant import AssistantService

    store = Store.throwaway(tmp_path / "store", password="correct horse battery")  # noqa: S106
    try:
        with store.session() as ses:
            ses.add(s.Label(address="0x" + "12" * 20, label="Payroll vault"))
            ses.commit()
        names = AssistantService(catalog=None, store=store)._names()
    finally:
        store.close()
    assert "Payroll vault" in names
    out = Anonymizer(names).anonymize("move it from payroll v\u0430ult")
    assert "vault" not in out.lower() and "NAME_" in out
