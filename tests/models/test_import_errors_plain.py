"""Model-import errors are plain words: no Python byte strings, no parser internals such as
numpy's "index 5 is out of bounds for axis 0" (issue 19, item 8). Real GGUF files written by
the gguf package, cut or altered, through the real parser."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from app.errors import InvalidInput, WardenError
from models.catalog import Catalog
from models.gguf_info import read_gguf_info
from tests.models.conftest import write_gguf

RAW = re.compile(r"b'|b\"|\\x[0-9a-f]{2}|out of bounds|axis \d|Errno|Traceback|numpy", re.I)


def _message(exc: WardenError) -> str:
    text = exc.user_message()
    assert not RAW.search(text), text
    return text


@pytest.mark.parametrize(
    ("start", "words"),
    [
        (b"PK\x03\x04\x14\x00", "ZIP archive"),
        (b"\x7fELF\x02\x01\x01", "program"),
        (b"<!DOCTYPE html><html>", "web page"),
        (b"", "empty"),
        (b"\x00" * 64, "GGUF signature"),
        (b'\x10\x00\x00\x00\x00\x00\x00\x00{"__metadata__":{}}', "safetensors"),
    ],
)
def test_a_file_that_is_not_gguf_is_named_in_words(
    tmp_path: Path, start: bytes, words: str
) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(start)
    with pytest.raises(InvalidInput) as err:
        Catalog(tmp_path / "m").import_model(bad)
    text = _message(err.value)
    assert "not a GGUF model file" in text and words in text


def test_a_gguf_cut_anywhere_is_a_plain_message(tmp_path: Path) -> None:
    tensors = {"blk.0.attn_q.weight": np.ones((8, 8), dtype=np.float32)}
    good = write_gguf(tmp_path / "good.gguf", tensors=tensors)
    data = good.read_bytes()
    read_gguf_info(good)  # the whole file reads
    cut = tmp_path / "cut.gguf"
    refused = 0
    for end in range(5, len(data), max(1, len(data) // 97)):
        cut.write_bytes(data[:end])
        try:
            read_gguf_info(cut)
        except InvalidInput as exc:
            refused += 1
            text = _message(exc)
            assert "cut short or damaged" in text or "architecture" in text
    assert refused > 10


def test_a_damaged_count_deep_in_the_header_is_a_plain_message(tmp_path: Path) -> None:
    good = write_gguf(tmp_path / "good.gguf")
    data = bytearray(good.read_bytes())
    data[16:24] = (2**40).to_bytes(8, "little")  # the key/value count: far past the file
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(bytes(data))
    with pytest.raises(InvalidInput) as err:
        read_gguf_info(bad)
    assert "cut short or damaged" in _message(err.value)
