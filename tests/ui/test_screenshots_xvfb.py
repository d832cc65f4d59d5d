"""``warden demo --screenshots DIR`` under a real X server (xvfb-run, Qt's xcb platform):
every main screen and the review of a dangerous approval, saved on the demo data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

EXPECTED = (
    "wallet.png",
    "send-review.png",
    "delegates.png",
    "market.png",
    "assistant.png",
    "models.png",
    "settings.png",
)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("xvfb-run") is None,
    reason="xvfb-run is not installed (Debian package xvfb; packaging/system-deps.sh installs it)",
)
def test_demo_screenshots_on_the_xcb_platform(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="xcb",
        WARDEN_HOME=str(tmp_path / "home"),
        WARDEN_SCREENSHOTS_ASK="0",  # keep the suite quick: the model is not asked here
    )
    proc = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            sys.executable,
            "-m",
            "warden",
            "demo",
            "--screenshots",
            str(out),
            "--sizes",
            "800x600,1440x900",
            "--themes",
            "light,dark",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in EXPECTED:
        img = QImage(str(out / name))
        assert not img.isNull(), name
        assert img.width() >= 600 and img.height() >= 500, name
        # a real drawing, not a blank frame: text and charts give many distinct colours
        colours = {
            img.pixel(x, y) for x in range(0, img.width(), 3) for y in range(0, img.height(), 3)
        }
        assert len(colours) > 40, (name, len(colours))
    # every screen at each size in each theme, drawn at that size
    for theme in ("light", "dark"):
        for width, height in ((800, 600), (1440, 900)):
            folder = out / f"{theme}-{width}x{height}"
            for name in EXPECTED:
                if name == "send-review.png":
                    continue  # the review dialog is saved once, at its own size
                img = QImage(str(folder / name))
                assert (img.width(), img.height()) == (width, height), (folder.name, name)
