"""``warden sign FILE`` on a real store and the real review with an anvil node: a
personal_sign request with --yes prints a signature that recovers to the account; an unlimited
permit to a fresh address is danger, refused without the typed words (no terminal) and signed
with them; a request for a foreign account or a malformed file is refused before signing.
The terminal is a StringIO that says it is one (a real tty cannot be driven here)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from sqlalchemy import select

from app.review_types import DANGER_CONFIRMATION
from tests.support.anvil import ANVIL_PHRASE, Anvil
from warden.cli import main

pytestmark = pytest.mark.anvil
ADDR0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
FRESH = "0x" + "5a" * 20


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _permit() -> dict[str, Any]:
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "domain": {
            "name": "USD Coin",
            "version": "2",
            "chainId": 31337,
            "verifyingContract": "0x" + "a0" * 20,
        },
        "message": {
            "owner": ADDR0,
            "spender": FRESH,
            "value": str(2**256 - 1),
            "nonce": 0,
            "deadline": 2**40,
        },
    }


@pytest.fixture
def wallet(anvil: Anvil, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:  # type: ignore[no-untyped-def]
    for k, v in {
        "WARDEN_HOME": str(tmp_path / "home"),
        "WARDEN_PASSWORD": "a long password",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(sys, "stdin", io.StringIO(ANVIL_PHRASE + "\n"))
    assert main(["init", "--import-phrase", "--name", "Main"]) == 0
    assert main(["networks", "add", "Local", "31337", anvil.url]) == 0
    capsys.readouterr()
    return tmp_path


def _file(tmp_path: Path, name: str, body: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(body))
    return str(path)


def _statuses() -> list[str]:
    from app.store.schema import SignRequest
    from warden.context import open_store

    store = open_store()
    try:
        with store.session() as s:
            return [r.status for r in s.scalars(select(SignRequest).order_by(SignRequest.id))]
    finally:
        store.close()


def test_personal_sign_file_is_reviewed_then_signed(wallet, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    text = "Sign in to dapp.example"
    f = _file(wallet, "sign-in.json", {"method": "personal_sign", "params": [text, ADDR0]})
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["sign", f, "--network", "Local"]) == 1  # no terminal, no --yes: no
    assert "Not signed" in capsys.readouterr().out
    assert main(["sign", f, "--network", "Local", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Review: " in out
    signature = out.strip().splitlines()[-1]
    assert Account.recover_message(encode_defunct(text=text), signature=signature) == ADDR0
    assert _statuses() == ["rejected", "sent"]


def test_an_unlimited_permit_is_danger_and_needs_the_typed_words(
    wallet, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    body = {
        "method": "eth_signTypedData_v4",
        "params": [ADDR0, json.dumps(_permit())],
        "origin": "https://dapp.example",
    }
    f = _file(wallet, "permit.json", body)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["sign", f, "--network", "Local", "--yes"]) == 1  # --yes never answers danger
    out = capsys.readouterr().out
    assert "Review: DANGER" in out and "Not signed" in out
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))
    assert main(["sign", f, "--network", "Local"]) == 1  # a plain yes is not the words
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", Terminal(DANGER_CONFIRMATION + "\n"))
    assert main(["sign", f, "--network", "Local"]) == 0
    signature = capsys.readouterr().out.split()[-1]  # after the "> " prompt
    permit = _permit()
    permit["message"]["value"] = 2**256 - 1  # eth_account wants the number, JSON has text
    signable = encode_typed_data(full_message=permit)
    assert Account.recover_message(signable, signature=signature) == ADDR0
    assert _statuses() == ["rejected", "rejected", "sent"]


def test_a_foreign_account_or_a_bad_file_is_refused(wallet, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    foreign = _file(wallet, "f.json", {"method": "personal_sign", "params": ["hi", FRESH]})
    assert main(["sign", foreign, "--network", "Local", "--yes"]) != 0
    assert "not one of this wallet's" in capsys.readouterr().err
    for name, text in (
        ("notjson.json", "{nope"),
        ("ethsign.json", json.dumps({"method": "eth_sign", "params": [ADDR0, "0x00"]})),
        ("noparams.json", json.dumps({"method": "personal_sign"})),
    ):
        path = wallet / name
        path.write_text(text)
        assert main(["sign", str(path), "--network", "Local", "--yes"]) != 0
        assert capsys.readouterr().err.strip()  # a message, not a traceback
    assert _statuses() == []  # nothing was even stored
