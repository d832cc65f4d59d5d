"""The shipped adapter: registered in the runtime's catalog, loaded by the runtime's own
loader (llama.cpp with ``lora_path``), and it answers in the trained review format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.shipped import SHIPPED_NAME, adapter_path, register, review_opinion

pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "review-cases"


@pytest.mark.skipif(adapter_path() is None, reason="no adapter shipped in models/shipped yet")
def test_shipped_adapter_loads_through_the_catalog_and_answers(tmp_path: Path) -> None:
    from models.catalog import Catalog
    from models.runtime import open_llama

    catalog = Catalog(tmp_path)
    entry = register(catalog)
    assert entry is not None and entry.name == SHIPPED_NAME and entry.adapter is not None
    assert register(catalog).adapter is not None  # idempotent
    llm = open_llama(catalog.get(SHIPPED_NAME))
    try:

        def chat(messages: list[dict[str, str]], max_tokens: int) -> str:
            out = llm.create_chat_completion(messages, max_tokens=max_tokens, temperature=0.0)
            return str(out["choices"][0]["message"]["content"])

        case = json.loads((SHARED / "approve-exact-eoa-otc-01.json").read_text())
        opinion = review_opinion(chat, case["request"], case["facts"])
    finally:
        llm.close()
    assert opinion.get("verdict") in ("safe", "caution", "danger")
