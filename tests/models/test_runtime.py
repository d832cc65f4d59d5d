"""The local runtime with the real bundled model: owner thread, stream, cancel, schema, limits."""

from __future__ import annotations

import threading

import pytest

from app.errors import ModelError
from models.catalog import ModelEntry
from models.reply import Cancelled, complete
from models.runtime import LocalModel
from models.settings import GenerationOptions

HELLO = [{"role": "user", "content": "Say hello."}]


def test_stream_comes_from_the_owner_thread(local_model: LocalModel) -> None:
    threads: set[str] = set()
    pieces: list[str] = []

    def on_token(piece: str) -> None:
        threads.add(threading.current_thread().name)
        pieces.append(piece)

    reply = local_model.submit(
        HELLO, GenerationOptions(max_tokens=8, temperature=0), on_token=on_token
    )
    streamed = list(reply)
    result = reply.result()
    assert streamed == pieces and "".join(pieces) == result.text and result.text
    assert threads == {f"model-{local_model.name}"}
    assert result.completion_tokens == len(pieces) <= 8
    assert result.prompt_tokens > 0
    assert local_model.is_loaded


def test_requests_from_many_threads_are_served_one_by_one(local_model: LocalModel) -> None:
    replies = []

    def ask() -> None:
        replies.append(local_model.submit(HELLO, GenerationOptions(max_tokens=3, temperature=0)))

    callers = [threading.Thread(target=ask) for _ in range(3)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    texts = {r.result().text for r in replies}
    assert len(texts) == 1  # same prompt, greedy: the same answer, no interleaving


def test_token_limit_reports_length(local_model: LocalModel) -> None:
    result = complete(
        local_model,
        [{"role": "user", "content": "Write a long story about a dragon."}],
        GenerationOptions(max_tokens=4, temperature=0),
    )
    assert result.truncated and result.completion_tokens == 4


def test_cancel_stops_generation(local_model: LocalModel) -> None:
    seen: list[str] = []
    holder: list = []

    def on_token(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 2:
            holder[0].cancel()

    opts = GenerationOptions(max_tokens=200, temperature=0, ignore_eos=True)
    holder.append(local_model.submit(HELLO, opts, on_token=on_token))
    with pytest.raises(Cancelled):
        holder[0].result()
    assert len(seen) == 2


def test_cancel_before_start(local_model: LocalModel) -> None:
    first = local_model.submit(HELLO, GenerationOptions(max_tokens=3))
    second = local_model.submit(HELLO, GenerationOptions(max_tokens=3))
    second.cancel()
    first.result()
    with pytest.raises(Cancelled):
        second.result()


def test_timeout_is_a_clear_error(local_model: LocalModel) -> None:
    opts = GenerationOptions(max_tokens=500, timeout_s=0.05, ignore_eos=True)
    with pytest.raises(ModelError, match="did not finish within") as info:
        complete(local_model, HELLO, opts)
    assert info.value.hint


SEND = {
    "type": "object",
    "properties": {
        "action": {"enum": ["send", "check_balance"]},
        "amount": {"type": "string", "pattern": "^[0-9.]+$"},
        "asset": {"enum": ["ETH", "USDC"]},
    },
    "required": ["action", "amount", "asset"],
    "additionalProperties": False,
}


def test_schema_constrained_output_is_validated(local_model: LocalModel) -> None:
    result = complete(
        local_model,
        [{"role": "user", "content": "send 0.5 ETH to bob"}],
        GenerationOptions(max_tokens=40, temperature=0, schema=SEND),
    )
    assert set(result.data) == {"action", "amount", "asset"}
    assert result.data["action"] in {"send", "check_balance"}


def test_schema_answer_cut_off_is_an_error(local_model: LocalModel) -> None:
    with pytest.raises(ModelError, match="cut off"):
        complete(
            local_model,
            [{"role": "user", "content": "send 1 ETH"}],
            GenerationOptions(max_tokens=3, schema=SEND),
        )


def test_lazy_load_and_idle_unload(bundled: ModelEntry) -> None:
    import dataclasses

    from models.settings import ModelSettings

    entry = dataclasses.replace(bundled, settings=ModelSettings(n_ctx=256, idle_unload_s=0.2))
    with LocalModel(entry) as model:
        assert not model.is_loaded  # nothing loads before the first request
        complete(model, HELLO, GenerationOptions(max_tokens=1))
        assert model.load_seconds is not None
        # The owner thread frees the model by itself once idle (waited for as a signal).
        assert model.wait_unloaded(timeout=120)
        assert not model.is_loaded
        complete(model, HELLO, GenerationOptions(max_tokens=1))  # and loads again on demand
        assert model.is_loaded


def test_lora_adapter_is_applied_on_load(catalog, tmp_path) -> None:
    """A zero adapter leaves the answer as it was; a strong one changes it."""
    from models.bundled import bundled_model_path
    from tests.models.conftest import lora_tensors, write_gguf

    base = catalog.import_model(bundled_model_path(), name="lora-base", copy=False)
    opts = GenerationOptions(max_tokens=5, temperature=0)
    texts = {}
    try:
        for label, scale in (("none", None), ("zero", 0.0), ("strong", 5.0)):
            entry = base
            if scale is not None:
                tensors = lora_tensors("blk.0.attn_q.weight", 576, 576, scale=scale)
                path = write_gguf(tmp_path / f"{label}.gguf", adapter=True, tensors=tensors)
                entry = catalog.import_adapter(path, base="lora-base")
            with LocalModel(entry) as model:
                texts[label] = complete(model, HELLO, opts).text
    finally:
        catalog.remove("lora-base")
    assert texts["zero"] == texts["none"]
    assert texts["strong"] != texts["none"]
