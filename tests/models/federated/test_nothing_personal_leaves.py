"""What leaves a wallet in a federation holds none of its personal data.

An address, an address-book name and a recovery phrase are planted in the wallet's feedback
(a real encrypted store). The examples are prepared as ``warden federate join`` prepares them,
then the ClientApp answers a real Flower train message and a real evaluate message (Flower's
``Message`` / ``Context``, its legacy record conversion); each reply is serialized with
Flower's own protobuf serde, and the bytes are searched for the planted values in several
encodings. The tokenized batches the model was trained and scored on are decoded and searched
too: that is where a skipped anonymization pass shows (only weights and numbers are sent).

The ClientApp is called without its SecAgg+ mod: SecAgg+ only masks the arrays it is given,
so the unmasked reply searched here shows more than the masked one that would travel. The
model is the tiny random ``LlamaForCausalLM`` (no processes, seconds).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

for _m in ("torch", "transformers", "peft", "flwr", "opacus"):
    pytest.importorskip(_m, reason="the 'train' extra is not installed")

from app.store import open_throwaway  # noqa: E402
from app.store.schema import Contact  # noqa: E402
from models.federated.examples import prepare_examples, scrub_records  # noqa: E402
from models.federated.synthetic import synthetic_feedback  # noqa: E402
from models.federated.task import split_heldout  # noqa: E402
from models.remote_config import known_names  # noqa: E402
from models.training.feedback import add_feedback, load_feedback  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:`is_gradient_checkpointing` is deprecated")

ADDRESS = "0x7a16fF8270133F063aAb6C9977183D9e72835428"
NAME = "Mirabel Quintero"
PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow"  # BIP-39
RUN_CONFIG: dict[str, float | int | str] = {
    "model": "tiny",
    "rank": 2,
    "local-steps": 1,
    "sample-rate": 1.0,  # every training example is in the one batch searched below
    "max-len": 200,
    "noise": 1.0,
}


def planted_rows() -> list[tuple[str, dict[str, Any]]]:
    send = {"action": "send", "amount": "2", "asset": "ETH", "to": NAME, "chain": None}
    return [
        ("intent", {"text": f"send 2 ETH to {NAME}", "intent": send}),
        (
            "intent",
            {
                "text": f"save {ADDRESS} as {NAME}",
                "intent": {"action": "add_contact", "name": NAME, "address": ADDRESS},
            },
        ),
        ("intent", {"text": f"my recovery phrase is {PHRASE}", "intent": send}),
        (
            "explanation",
            {
                "outcome": {
                    "verdict": "caution",
                    "action": f"Send 1 ETH to {NAME}",
                    "findings": [
                        {
                            "code": "new_recipient",
                            "severity": "caution",
                            "detail": f"{ADDRESS} has never received anything from this wallet",
                        }
                    ],
                },
                "explanation": f"You have not sent to {NAME} ({ADDRESS}) before. Check it.",
                "helpful": True,
            },
        ),
        ("intent", {"text": f"pay {NAME.split()[0].lower()} 5 USDC", "intent": send}),
        *synthetic_feedback(0, 4, seed=3),
    ]


def forms(value: str) -> set[bytes]:
    """How ``value`` could appear in bytes: as text in three cases and three encodings, as
    the hex of its UTF-8, and for an address also its hex digits and its 20 raw bytes."""
    out: set[bytes] = set()
    for v in {value, value.lower(), value.upper()}:
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            out.add(v.encode(enc))
        out.add(v.encode().hex().encode())
    if value.startswith("0x"):
        digits = value[2:]
        out |= {digits.encode(), digits.lower().encode(), bytes.fromhex(digits)}
    return out


SECRETS = [ADDRESS, NAME, *NAME.split(), PHRASE, " ".join(PHRASE.split()[4:8])]


def assert_none_in(data: bytes, where: str) -> None:
    for secret in SECRETS:
        for form in forms(secret):
            assert form not in data, f"{secret!r} (as {form[:24]!r}) found in {where}"


@pytest.fixture(scope="module")
def tok() -> Any:
    from models.training.loop import load_tokenizer

    return load_tokenizer()


@pytest.fixture
def node(tmp_path: Path) -> Path:
    """A node folder prepared as ``join`` prepares it, from a real encrypted store."""
    store = open_throwaway(tmp_path / "wallet")
    try:
        with store.session() as s:
            s.add(Contact(address=ADDRESS, name=NAME))
        for kind, payload in planted_rows():
            add_feedback(store, kind, payload)
        records, dropped = prepare_examples(load_feedback(store), known_names(store))
    finally:
        store.close()
    assert dropped == 1  # the example with the recovery phrase, whole
    folder = tmp_path / "node"
    folder.mkdir()
    (folder / "examples.json").write_text(json.dumps(records))
    return folder


def run_client_app(folder: Path, message_type: str, mp: pytest.MonkeyPatch) -> bytes:
    """One message through the ClientApp; the reply as Flower serializes it for the wire.
    Flower's processes set the task's identity (run, node, task) before a message is made;
    here it is set as the ServerApp's, then as the SuperNode's."""
    from flwr.app import Context, Message, RecordDict
    from flwr.clientapp import ClientApp
    from flwr.common import EvaluateIns, FitIns, ndarrays_to_parameters
    from flwr.common.constant import SUPERLINK_NODE_ID
    from flwr.common.serde import message_to_proto
    from flwr.compat.common.recorddict_compat import (
        evaluateins_to_recorddict,
        fitins_to_recorddict,
    )
    from flwr.supercore.task_identity import TaskIdentity

    from models.federated.client_app import client_fn
    from models.federated.task import RunSettings, initial_adapter

    params = ndarrays_to_parameters(initial_adapter(RunSettings.from_config(RUN_CONFIG)))
    if message_type == "train":
        content = fitins_to_recorddict(FitIns(params, {"round": 1}), keep_input=True)
    else:
        content = evaluateins_to_recorddict(EvaluateIns(params, {"round": 1}), keep_input=True)
    for attr, value in (("_run_id", 1), ("_task_id", 1), ("_node_id", SUPERLINK_NODE_ID)):
        mp.setattr(TaskIdentity, attr, value)
    msg = Message(content, dst_node_id=1, message_type=message_type)
    mp.setattr(TaskIdentity, "_node_id", 1)
    ctx = Context(
        run_id=1,
        node_id=1,
        node_config={"data": str(folder), "epsilon-ceiling": 50.0},
        state=RecordDict(),
        run_config=dict(RUN_CONFIG),
    )
    reply = ClientApp(client_fn=client_fn)(msg, ctx)
    assert not reply.has_error(), reply.error
    return bytes(message_to_proto(reply).SerializeToString())


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every batch of token ids the model is given (training and scoring)."""
    import models.training.loop as loop

    seen: list[Any] = []
    collate = loop.collate

    def recording(*args: Any, **kw: Any) -> Any:
        out = collate(*args, **kw)
        seen.append(out[0].clone())
        return out

    monkeypatch.setattr(loop, "collate", recording)
    return seen


def test_nothing_planted_leaves_the_client_or_reaches_the_model(
    node: Path, batches: list[Any], tok: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = json.loads((node / "examples.json").read_text())
    assert_none_in((node / "examples.json").read_bytes(), "the examples written for the node")

    sent = run_client_app(node, "train", monkeypatch)
    assert len(sent) > 1000  # the adapter's arrays are in it: the bytes searched are real
    assert_none_in(sent, "the train reply")
    trained = len(batches)
    assert trained >= 1
    sent = run_client_app(node, "evaluate", monkeypatch)
    assert_none_in(sent, "the evaluate reply")
    assert len(batches) > trained

    text = "\n".join(tok.decode(row) for batch in batches for row in batch)
    assert_none_in(text.encode("utf-8"), "the tokenized batches")
    # every example was used, those about the contact anonymized, not left out
    train, held = split_heldout(examples)
    assert int(batches[0].shape[0]) == len(train)
    assert all(int(b.shape[0]) == len(held) for b in batches[trained:])
    assert "NAME_1" in text and "ADDR_1" in text


def test_the_client_app_anonymizes_an_example_file_written_by_anything_else(
    tmp_path: Path,
) -> None:
    """The ClientApp's own pass: raw examples (not from ``join``) lose their addresses and
    any example with a phrase, before anything is tokenized."""
    raw = [
        {"task": "intent", "messages": [{"role": "user", "content": f"send to {ADDRESS}"}],
         "answer": json.dumps({"to": ADDRESS})},
        {"task": "intent", "messages": [{"role": "user", "content": PHRASE}], "answer": "{}"},
        {"task": "intent", "messages": "not a list", "answer": "{}"},
    ]  # fmt: skip
    kept = scrub_records(raw)
    assert len(kept) == 1
    assert_none_in(json.dumps(kept).encode(), "the scrubbed examples")
    assert scrub_records(kept) == kept  # a second pass changes nothing
