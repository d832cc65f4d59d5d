"""The larger host through a real HTTP server on 127.0.0.1 (tests/models/openai_stub.py).

The stub stands in for a hosted model: there is no outside host to reach from a test. It
records exactly what arrives, which is what these tests check.
"""

from __future__ import annotations

import json

import pytest

from app.errors import InvalidInput, ModelError, NetworkError
from app.store import open_throwaway
from models.remote import RemoteModel
from models.remote_config import RemoteSettings, build_remote, load_settings, save_settings
from models.reply import complete
from models.settings import GenerationOptions
from tests.models.openai_stub import OpenAIStub

ADDR = "0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B"
TX = "0x" + "9f" * 32
NAMES = ["Alice", "Trading Account"]
TEXT = (
    f"Why did my 1.75 ETH transfer from Trading Account to Alice at {ADDR} fail? "
    f"Tx {TX}. Balance 12,000.5 USDC. Contact me at me@mail.example, host 10.1.2.3, "
    "or ask nick.eth."
)
SENSITIVE = [
    ADDR,
    ADDR.lower(),
    TX,
    "1.75",
    "12,000.5",
    "Alice",
    "Trading Account",
    "me@mail.example",
    "10.1.2.3",
    "nick.eth",
]


def test_payload_holds_nothing_and_answer_is_restored() -> None:
    with OpenAIStub() as stub:
        host = RemoteModel(stub.url, api_key="sk-test", names=NAMES)
        pieces: list[str] = []
        reply = host.submit([{"role": "user", "content": TEXT}], on_token=pieces.append)
        result = reply.result(timeout=10)
    assert len(stub.raw_bodies) == 1
    sent = stub.raw_bodies[0].decode()
    for value in SENSITIVE:
        assert value.lower() not in sent.lower(), value
    assert "ADDR_1" in sent and "AMOUNT_1" in sent
    assert result.text == f"You said: {TEXT}"
    assert "".join(pieces) == result.text  # the stream is restored too
    assert stub.headers[0]["Authorization"] == "Bearer sk-test"


def test_preview_is_exactly_what_is_sent() -> None:
    with OpenAIStub() as stub:
        host = RemoteModel(stub.url, names=NAMES)
        msgs = [{"role": "user", "content": TEXT}]
        preview = host.preview(msgs)
        complete(host, msgs)
    assert stub.payloads[0] == preview
    assert "Authorization" not in stub.headers[0]


def test_structured_answer_uses_json_schema_and_is_restored_and_validated() -> None:
    schema = {
        "type": "object",
        "properties": {"to": {"type": "string"}, "amount": {"type": "string"}},
        "required": ["to", "amount"],
    }
    # The host answers in placeholders, as a real one would, seeing only those.
    with OpenAIStub(lambda p: json.dumps({"to": "ADDR_1", "amount": "AMOUNT_1"})) as stub:
        host = RemoteModel(stub.url)
        result = complete(
            host,
            [{"role": "user", "content": f"send 0.3 ETH to {ADDR}"}],
            GenerationOptions(schema=schema),
        )
    assert stub.payloads[0]["response_format"]["type"] == "json_schema"
    assert stub.payloads[0]["response_format"]["json_schema"]["schema"] == schema
    assert result.data == {"to": ADDR, "amount": "0.3"}


def test_invalid_structured_answer_is_an_error() -> None:
    schema = {"type": "object", "required": ["to"], "properties": {"to": {"type": "string"}}}
    with OpenAIStub(lambda p: json.dumps({"amount": 1})) as stub:
        reply = RemoteModel(stub.url, json_schema=False).submit(
            [{"role": "user", "content": "x"}], GenerationOptions(schema=schema)
        )
        with pytest.raises(ModelError, match="expected shape"):
            reply.result(timeout=10)
    assert stub.payloads[0]["response_format"] == {"type": "json_object"}


def test_a_private_key_never_leaves() -> None:
    with OpenAIStub() as stub:
        reply = RemoteModel(stub.url).submit(
            [{"role": "user", "content": "my private key is 0x" + "1a" * 32}]
        )
        with pytest.raises(InvalidInput, match="private key"):
            reply.result(timeout=10)
    assert stub.payloads == []


def test_host_errors_are_clear() -> None:
    with OpenAIStub(status=401) as stub:
        with pytest.raises(ModelError, match="refused"):
            complete(RemoteModel(stub.url, api_key="bad"), [{"role": "user", "content": "hi"}])
    with OpenAIStub() as stub:
        dead_url = stub.url
    with pytest.raises(NetworkError):
        complete(RemoteModel(dead_url), [{"role": "user", "content": "hi"}])


def test_remote_is_off_by_default_and_settings_persist(tmp_path) -> None:
    store = open_throwaway(tmp_path)
    assert load_settings(store) == RemoteSettings()
    assert build_remote(store) is None
    save_settings(store, RemoteSettings(enabled=True, url="http://127.0.0.1:9/v1", model="m"))
    host = build_remote(store, names=["Alice"])
    assert host is not None and host.model == "m"
    with pytest.raises(ModelError, match="not an http"):
        save_settings(store, RemoteSettings(enabled=True, url="ftp://x"))


def test_names_from_the_store_are_hidden(tmp_path) -> None:
    from app.store.schema import Account, Contact, Label

    store = open_throwaway(tmp_path)
    with store.session() as s:
        s.add(Account(address=ADDR, name="Rainy Day Fund", kind="watch"))
        s.add(Contact(address="0x" + "22" * 20, name="Uncle Bob"))
        s.add(Label(address="0x" + "33" * 20, label="Exchange Hot"))
    with OpenAIStub() as stub:
        save_settings(store, RemoteSettings(enabled=True, url=stub.url))
        host = build_remote(store)
        assert host is not None
        text = "Move 2 ETH from Rainy Day Fund to Uncle Bob, not to Exchange Hot."
        result = complete(host, [{"role": "user", "content": text}])
    sent = stub.raw_bodies[0].decode()
    for name in ("Rainy", "Uncle Bob", "Exchange Hot"):
        assert name not in sent
    assert result.text == f"You said: {text}"
