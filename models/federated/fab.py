"""The Flower App (FAB source) that ``flwr run`` ships to the SuperLink.

Written into the server's folder at run time rather than packaged: a thin project whose
ServerApp and ClientApp are made by ``models.federated.server_app`` / ``client_app``'s
``make_app()`` (flwr is imported there, inside the function), which every participant has
installed with Warden. Flower installs no dependencies for it (the SuperLink
runs with ``--disable-runtime-dependency-installation``; SuperNodes install nothing unless
told to).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PACKAGE = "warden_fedapp"

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "warden-fedapp"
version = "1.0.0"
description = "Warden's federated adapter training (ServerApp + ClientApp)"
license = "Apache-2.0"
dependencies = []

[tool.flwr.app]
publisher = "warden"

[tool.flwr.app.components]
serverapp = "warden_fedapp.server_app:app"
clientapp = "warden_fedapp.client_app:app"

[tool.flwr.app.config]
{config}
"""


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    s = str(v)
    if any(c in s for c in '"\\\n'):
        raise ValueError("run settings may not contain quotes, backslashes or new lines")
    return f'"{s}"'


def write_app(folder: Path, config: dict[str, Any]) -> Path:
    """The app project in ``folder`` with ``config`` as its run config; returns ``folder``."""
    pkg = folder / PACKAGE
    pkg.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(f"{k} = {_toml_value(v)}" for k, v in sorted(config.items()))
    (folder / "pyproject.toml").write_text(PYPROJECT.format(config=lines))
    (pkg / "__init__.py").write_text('"""Warden federated app (generated)."""\n')
    for part in ("server_app", "client_app"):
        # an assignment: flwr run looks for ``app`` in the module's syntax tree
        (pkg / f"{part}.py").write_text(
            f"from models.federated.{part} import make_app\n\napp = make_app()\n"
        )
    return folder
