"""Refuse to build an installer from a venv whose llama-cpp-python is not the portable wheel.

The installers bundle whatever llama.cpp the venv holds. One compiled with -march=native (what
a plain ``pip install llama-cpp-python`` builds) dies with SIGILL on a CPU older than the build
machine's, so every installer must bundle the portable wheel of packaging/llama-wheel.sh
(built by windows/build.ps1 on Windows). Whoever installs that wheel records its path in
``<venv>/.llama-wheel``; this checks that the marker is there and that the installed
llama-cpp-python really came from that wheel (pip's direct_url.json), not from an index or a
later reinstall. Run with the venv's Python:

    .venv/bin/python packaging/installers/check_llama.py

Prints the wheel and its build flags; exits 1 with the reason and the fix otherwise.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

FIX = (
    "Set the venv up with: bash packaging/install.sh "
    "(Windows: packaging\\installers\\windows\\build.ps1 -Install)"
)


def marker_path() -> Path:
    return Path(sys.prefix) / ".llama-wheel"


def recorded_wheel() -> str:
    """The wheel path in the marker ('' when none; PowerShell may have written a BOM)."""
    marker = marker_path()
    return marker.read_text(encoding="utf-8").strip("\ufeff \r\n") if marker.is_file() else ""


def problem() -> str | None:
    """Why this venv's llama-cpp-python may not be bundled, or None when it may."""
    marker = marker_path()
    if not recorded_wheel():
        return (
            f"{marker} is missing: this venv was not set up by packaging/install.sh, so its "
            "llama-cpp-python may be a -march=native build that dies with SIGILL on older CPUs. "
            + FIX
        )
    wheel = Path(recorded_wheel())
    try:
        dist = metadata.distribution("llama-cpp-python")
    except metadata.PackageNotFoundError:
        return f"llama-cpp-python is not installed in {sys.prefix}. " + FIX
    direct = dist.read_text("direct_url.json")
    url = str(json.loads(direct).get("url", "")) if direct else ""
    source = Path(unquote(urlparse(url).path)).name if url else ""
    if source != wheel.name:
        return (
            f"llama-cpp-python {dist.version} in this venv was not installed from the portable "
            f"wheel {wheel.name} recorded in {marker} (it came from {url or 'an index'}). "
            f"Delete {marker}, then: " + FIX
        )
    flags = wheel.parent / "FLAGS"
    if flags.is_file() and "GGML_NATIVE=OFF" not in flags.read_text(encoding="utf-8"):
        return f"{wheel} was built without -DGGML_NATIVE=OFF (see {flags}). " + FIX
    return None


def main() -> int:
    reason = problem()
    if reason:
        print(f"installer: {reason}", file=sys.stderr)
        return 1
    wheel = Path(recorded_wheel())
    flags = wheel.parent / "FLAGS"
    print(f"llama-cpp-python: the portable wheel {wheel.name}")
    if flags.is_file():
        print(f"  built with: {flags.read_text(encoding='utf-8').strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
