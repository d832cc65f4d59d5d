"""The Models screen shows a damaged GGUF's refusal in plain words (issue 19, item 8)."""

from __future__ import annotations

from models.bundled import bundled_model_path
from tests.ui.conftest import wait_idle


def test_a_cut_gguf_is_refused_in_plain_words(qtbot, controller, tmp_path) -> None:
    mo = controller.window.open("models")
    wait_idle(qtbot)
    before = mo.table.rowCount()
    cut = tmp_path / "cut.gguf"
    with bundled_model_path().open("rb") as fh:
        cut.write_bytes(fh.read(4096))  # a real model's start, cut inside its vocabulary
    mo.import_model(cut)
    qtbot.waitUntil(lambda: bool(mo.error.text()), timeout=30000)
    text = mo.error.text()
    assert "cut short or damaged" in text and "again" in text
    assert "b'" not in text and "bounds" not in text and "Errno" not in text
    assert mo.table.rowCount() == before
