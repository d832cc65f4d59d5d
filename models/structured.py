"""Structured output: a JSON schema constrains decoding (llama.cpp grammar) and the answer is
validated with ``jsonschema`` in any case, local or remote."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema

from app.errors import ModelError


def parse_and_validate(text: str, schema: dict[str, Any]) -> Any:
    """The answer as an object that satisfies the schema, or ``ModelError``."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ModelError(
            "The model's answer was not valid JSON.",
            hint="Try again, or raise the token limit if the answer was cut off.",
        ) from None
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        raise ModelError(
            f"The model's answer did not match the expected shape: {exc.message}",
            hint="Try again, or use a larger model.",
        ) from None
    return data


def check_schema(schema: dict[str, Any]) -> None:
    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise ModelError(f"Invalid JSON schema: {exc.message}") from None


@functools.lru_cache(maxsize=32)
def _grammar_text(schema_json: str) -> str:
    from llama_cpp import llama_grammar

    return str(llama_grammar.json_schema_to_gbnf(schema_json))


def grammar_for(schema: dict[str, Any]) -> Any:
    """A fresh ``LlamaGrammar`` (its text is cached per schema; the object is per request)."""
    from llama_cpp import LlamaGrammar

    text = _grammar_text(json.dumps(schema, sort_keys=True))
    return LlamaGrammar.from_string(text, verbose=False)


def schema_instruction(schema: dict[str, Any]) -> str:
    """Said to the model too: a grammar alone keeps the shape but not the meaning."""
    return "Answer with one JSON object only, matching this JSON schema:\n" + json.dumps(
        schema, separators=(",", ":")
    )
