"""``warden train intent`` as the user runs it: the data step writes the training chats (the
runtime's own prompt and the one-word answer) without the ``train`` extra; the training steps
are ``models.training.intent_train`` (their runs are measured in MODEL_CARD, not here)."""

from __future__ import annotations

import json
from pathlib import Path

from models.intent_schema import ACTIONS
from tests.warden.cli_run import warden


def test_the_data_step_writes_the_runtime_prompts_and_answers(tmp_path: Path) -> None:
    work = tmp_path / "work"
    done = warden(tmp_path, "train", "intent", "data", "--work", str(work), "--train", "80")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"train": 80, "val": 300}
    chats = [json.loads(x) for x in (work / "train.jsonl").read_text().splitlines()]
    rows = [json.loads(x) for x in (work / "rows_train.jsonl").read_text().splitlines()]
    assert len(chats) == len(rows) == 80
    for chat, row in zip(chats, rows, strict=True):
        assert chat["messages"][-1] == {"role": "user", "content": row["text"]}
        assert json.loads(chat["answer"]) == {"action": row["intent"]["action"]}
        assert json.loads(chat["answer"])["action"] in ACTIONS


def test_a_step_is_required_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    done = warden(tmp_path, "train", "intent")
    assert done.returncode != 0 and "STEP" in done.stderr
    done = warden(tmp_path, "train", "intent", "grow")
    assert done.returncode != 0 and "invalid choice" in done.stderr
