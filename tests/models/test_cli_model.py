"""``warden model ...`` and ``warden ask`` end to end, with the real bundled model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.catalog import Catalog, ModelEntry
from tests.models.conftest import write_gguf
from warden.cli import main


@pytest.fixture
def home(warden_home: Path, bundled: ModelEntry, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WARDEN_HOME", str(warden_home))
    return warden_home


def test_list_shows_the_bundled_model_and_its_licence(home: Path, capsys) -> None:
    assert main(["model", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] == "smollm2-135m-instruct" and rows[0]["license"] == "apache-2.0"
    assert main(["model", "about"]) == 0
    assert "Apache-2.0" in capsys.readouterr().out


def test_import_good_and_bad_files(home: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"\x00" * 64)
    assert main(["model", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not a GGUF model file" in err and "Traceback" not in err
    good = write_gguf(tmp_path / "cli-tiny.gguf", name="cli tiny")
    assert main(["model", "import", str(good), "--reference"]) == 0
    assert "cli-tiny" in Catalog(home / "data" / "models").names()
    assert main(["model", "settings", "cli-tiny", "--ctx", "512"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["n_ctx"] == 512
    Catalog(home / "data" / "models").remove("cli-tiny")


def test_ask_streams_an_answer(home: Path, capsys) -> None:
    assert main(["ask", "Say hi.", "--max-tokens", "4"]) == 0
    out = capsys.readouterr().out
    assert out.strip()
    assert "[stopped at the 4-token limit" in out or len(out.splitlines()) == 1


def test_bench_json_has_both_sides_with_the_same_work(home: Path, capsys) -> None:
    assert main(["model", "bench", "--json", "--tokens", "8", "--reps", "2"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["model"] == "smollm2-135m-instruct"
    for side in ("warden", "raw"):
        assert set(result[side]) >= {"load_s", "prompt_tok_s", "gen_tok_s", "rss_mb"}
        assert result[side]["tokens"] == 8
    assert result["gen_ratio"] == pytest.approx(
        result["warden"]["gen_tok_s"] / result["raw"]["gen_tok_s"], abs=0.01
    )
    assert result["reps"] == 2 and len(result["rep_ratios"]) == 2
