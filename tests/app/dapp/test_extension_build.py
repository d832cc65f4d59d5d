"""extension/build.py writes one unpacked extension per browser: Chromium's with a service
worker, Firefox's with background scripts and its add-on id, the same scripts in both; and
Mozilla's own linter (web-ext, installed under .tools by packaging/tools.sh) finds nothing
wrong with the Firefox build."""

from __future__ import annotations

import importlib.util
import json
import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
WEB_EXT = ROOT / ".tools" / "node_modules" / ".bin" / "web-ext"


def _builder() -> Any:
    """extension/build.py as a module (the extension folder is no Python package)."""
    spec = importlib.util.spec_from_file_location(
        "warden_extension_build", ROOT / "extension" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text())  # type: ignore[no-any-return]


def test_one_build_per_browser_with_its_own_manifest(tmp_path: Path) -> None:
    built = _builder().build_all(tmp_path / "dist", token="t" * 43, port=1300)
    assert set(built) == {"chromium", "firefox"}
    chromium, firefox = _manifest(built["chromium"]), _manifest(built["firefox"])
    assert chromium["background"] == {"service_worker": "background.js"}
    assert "browser_specific_settings" not in chromium
    assert firefox["background"] == {"scripts": ["background.js"]}
    gecko = firefox["browser_specific_settings"]["gecko"]
    assert gecko["id"] == "extension@warden.local"
    assert gecko["strict_min_version"] == "140.0"
    for m in (chromium, firefox):
        assert m["manifest_version"] == 3
        assert m["host_permissions"] == ["http://127.0.0.1/*"]  # the provider, nothing else
        assert [c["world"] for c in m["content_scripts"] if "world" in c] == ["MAIN"]
    names = {p.name for p in built["chromium"].iterdir()}
    assert names == {p.name for p in built["firefox"].iterdir()}
    for name in names - {"manifest.json"}:
        assert (built["chromium"] / name).read_bytes() == (built["firefox"] / name).read_bytes()
    config = built["firefox"] / "config.json"
    assert json.loads(config.read_text()) == {"port": 1300, "token": "t" * 43}
    assert stat.S_IMODE(config.stat().st_mode) == 0o600  # the pairing token
    with pytest.raises(ValueError, match="Unknown browser"):
        _builder().build(tmp_path / "x", browser="safari")


@pytest.mark.skipif(
    not WEB_EXT.exists(), reason="web-ext is not installed under .tools (bash packaging/tools.sh)"
)
def test_web_ext_lint_finds_nothing_in_the_firefox_build(tmp_path: Path) -> None:
    folder = _builder().build(tmp_path / "firefox", token="t" * 43, browser="firefox")
    env = {**os.environ, "NO_UPDATE_NOTIFIER": "1"}
    done = subprocess.run(  # noqa: S603 - our own pinned tool on our own files
        [
            str(WEB_EXT),
            "lint",
            "--source-dir",
            str(folder),
            "--output",
            "json",
            "--no-config-discovery",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    report = json.loads(done.stdout)
    found = [(m["code"], m["message"]) for k in ("errors", "warnings") for m in report[k]]
    assert found == []
    assert done.returncode == 0


def test_web_ext_lint_fails_a_broken_manifest(tmp_path: Path) -> None:
    """The lint test above can fail: a Firefox build with a service worker only is an error."""
    if not WEB_EXT.exists():
        pytest.skip("web-ext is not installed under .tools (bash packaging/tools.sh)")
    folder = _builder().build(tmp_path / "firefox", browser="firefox")
    broken = _manifest(folder)
    broken["background"] = {"service_worker": "background.js"}
    del broken["browser_specific_settings"]
    (folder / "manifest.json").write_text(json.dumps(broken))
    done = subprocess.run(  # noqa: S603
        [
            str(WEB_EXT),
            "lint",
            "--source-dir",
            str(folder),
            "--output",
            "json",
            "--no-config-discovery",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_UPDATE_NOTIFIER": "1"},
    )
    report = json.loads(done.stdout)
    assert report["errors"] or report["warnings"]
