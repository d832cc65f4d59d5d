"""Build the unpacked extension: copy its files to ``--out`` and, when given, bundle the
pairing token and port (``config.json``) so that no typing is needed after installing.

    python extension/build.py --out build/extension [--token TOKEN] [--port 1248]

Then load ``build/extension`` as an unpacked extension (chrome://extensions, developer mode;
about:debugging in Firefox)."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ("manifest.json", "inpage.js", "content.js", "background.js", "options.html", "options.js")


def build(out: Path, *, token: str = "", port: int = 1248) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(HERE / name, out / name)
    config = out / "config.json"
    config.write_text(json.dumps({"port": port, "token": token}))
    config.chmod(0o600)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--port", type=int, default=1248)
    args = parser.parse_args()
    print(build(args.out, token=args.token, port=args.port))


if __name__ == "__main__":
    main()
