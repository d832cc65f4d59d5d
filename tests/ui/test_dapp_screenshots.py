"""The README's dapp pictures are taken from the real path: the provider the app started on
the demo, a site's requests over its socket, the app's connect prompt and review dialog
(offscreen Qt). The permit is danger and, rejected, the site gets 4001."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from app import preferences
from ui.dapp_screenshots import CONNECT_PNG, REQUEST_PNG, SITE, free_port, save_dapp_screenshots


def test_connect_prompt_and_request_review_are_saved(qapp, demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.dapp.permissions import Permissions
    from ui.app import WardenApp

    preferences.set(demo.store, "dapp.port", free_port())
    c = WardenApp(
        qapp, config_dir=tmp_path / "config", unlock=lambda _pw: services, services=services,
        use_tray=False,
    )  # fmt: skip
    try:
        c.show_window()
        written = save_dapp_screenshots(c, tmp_path / "shots")
        assert [p.name for p in written] == [CONNECT_PNG, REQUEST_PNG]
        for path in written:
            image = QImage(str(path))
            assert not image.isNull() and image.width() >= 600 and image.height() >= 100
        assert QImage(str(tmp_path / "shots" / REQUEST_PNG)).size().toTuple() == (660, 760)
        assert Permissions(demo.store).get(SITE) is None  # left as it was found
    finally:
        c.lock(wait=True)
        c.window.allow_close = lambda: True
        c.window.close()
        c.window.deleteLater()


def test_the_readme_shows_both_pictures() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in (CONNECT_PNG, REQUEST_PNG):
        assert f"docs/screenshots/{name}" in readme
        assert (Path(__file__).resolve().parents[2] / "docs" / "screenshots" / name).exists()
