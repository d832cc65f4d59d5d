"""Build the unpacked extension for Chromium-based browsers and for Firefox: copy its files
to ``--out/chromium`` and ``--out/firefox``, each with its own manifest, and, when given,
bundle the pairing token and port (``config.json``) so that no typing is needed after
installing.

    python extension/build.py --out dist [--browser all|chromium|firefox] [--token T] [--port 1248]

Chromium, Chrome, Brave, Edge: chrome://extensions, developer mode, *Load unpacked*, pick
``dist/chromium``. Firefox (140+): about:debugging, *This Firefox*, *Load Temporary
Add-on*, pick ``dist/firefox/manifest.json``.

The two manifests differ only where the browsers do: Chromium runs the background as a
service worker (``background.service_worker``) and knows no ``browser_specific_settings``;
Firefox runs it as an event page (``background.scripts``), needs an add-on id
(``browser_specific_settings.gecko.id``) for storage and a declaration of the data the
add-on collects (none), which Firefox reads from 140, the current ESR (128 was the first with
content scripts in the page's world, ``"world": "MAIN"``, which inpage.js needs)."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCRIPTS = ("inpage.js", "content.js", "background.js", "options.html", "options.js")
BROWSERS = ("chromium", "firefox")
GECKO_ID = "extension@warden.local"
FIREFOX_MIN_VERSION = "140.0"


def manifest(browser: str) -> dict[str, Any]:
    """The manifest for ``browser`` ("chromium" or "firefox"), from ``manifest.json``."""
    if browser not in BROWSERS:
        raise ValueError(f"Unknown browser {browser!r}; choose one of {', '.join(BROWSERS)}.")
    data: dict[str, Any] = json.loads((HERE / "manifest.json").read_text())
    worker = "background.js"
    if browser == "chromium":
        data["background"] = {"service_worker": worker}
        data.pop("browser_specific_settings", None)
    else:
        data["background"] = {"scripts": [worker]}
        gecko = data.setdefault("browser_specific_settings", {}).setdefault("gecko", {})
        gecko["id"] = GECKO_ID
        gecko["strict_min_version"] = FIREFOX_MIN_VERSION
        # Firefox asks add-ons to declare what they collect: nothing leaves this computer
        gecko["data_collection_permissions"] = {"required": ["none"]}
        # (Firefox for Android reads that declaration from 142; there is no Warden there)
        data["browser_specific_settings"]["gecko_android"] = {"strict_min_version": "142.0"}
    return data


def build(out: Path, *, token: str = "", port: int = 1248, browser: str = "chromium") -> Path:
    """One browser's unpacked extension in ``out``."""
    data = manifest(browser)
    out.mkdir(parents=True, exist_ok=True)
    for name in SCRIPTS:
        shutil.copyfile(HERE / name, out / name)
    (out / "manifest.json").write_text(json.dumps(data, indent=2) + "\n")
    config = out / "config.json"
    config.write_text(json.dumps({"port": port, "token": token}))
    config.chmod(0o600)
    return out


def build_all(dist: Path, *, token: str = "", port: int = 1248) -> dict[str, Path]:
    """``dist/chromium`` and ``dist/firefox``."""
    return {b: build(dist / b, token=token, port=port, browser=b) for b in BROWSERS}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the dist folder")
    parser.add_argument("--browser", choices=("all", *BROWSERS), default="all")
    parser.add_argument("--token", default="")
    parser.add_argument("--port", type=int, default=1248)
    args = parser.parse_args()
    chosen = BROWSERS if args.browser == "all" else (args.browser,)
    for b in chosen:
        print(build(args.out / b, token=args.token, port=args.port, browser=b))


if __name__ == "__main__":
    main()
