"""The model catalog and the model settings as a front end shows them: rows per model, the
memory free for one, which model does which task, and the remote host's settings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.rows import ModelRow, RemoteSettings
from app.wallet.ports import SessionSource

TASKS = ("tx_review", "market_analysis", "assistant", "intent")


def model_rows(catalog: Any) -> list[ModelRow]:
    from models.gguf_info import estimate_memory

    out = []
    for e in catalog.entries():
        try:
            mem: float | None = estimate_memory(e.info, e.settings.n_ctx) / 1_048_576
        except Exception:  # an odd file: show it, without an estimate
            mem = None
        out.append(
            ModelRow(
                name=e.name,
                path=str(e.info.path),
                size_mb=e.info.size_bytes / 1_048_576,
                memory_mb=mem,
                context=e.info.context_length,
                source=e.source,
                licence=e.info.license or "",
            )
        )
    return out


def memory_text() -> str:
    try:
        from models.gguf_info import available_memory

        return f"Memory available for a model: {available_memory() / 1_073_741_824:.1f} GB"
    except Exception:
        return ""


def import_model(
    catalog: Any, path: Path | str, progress: Callable[[float], None] | None = None
) -> ModelRow:
    """Check and copy a GGUF into the catalog; ``progress`` gets the copied fraction, read from
    the size of the catalog's temporary copy as it grows."""
    src = Path(path)
    total = max(src.stat().st_size, 1) if src.exists() else 1
    done = threading.Event()

    def watch() -> None:
        folder = Path(catalog.models_dir)
        while not done.wait(0.1):
            sizes = [
                p.stat().st_size
                for p in (folder.glob(".*.gguf.*") if folder.exists() else [])
                if p.is_file()
            ]
            if sizes and progress is not None:
                progress(min(max(sizes) / total, 0.99))

    watcher = threading.Thread(target=watch, name="import-progress", daemon=True)
    watcher.start()
    try:
        entry = catalog.import_model(src)
    finally:
        done.set()
        watcher.join()
    if progress is not None:
        progress(1.0)
    return next(r for r in model_rows(catalog) if r.name == entry.name)


def model_choices(store: SessionSource) -> dict[str, str]:
    from models.choice import ModelChoices

    choices = ModelChoices(store)
    return {task: choices.get(task) for task in TASKS}


def set_model_choice(store: SessionSource, catalog: Any, task: str, name: str) -> None:
    from models.choice import ModelChoices

    known = [r.name for r in model_rows(catalog)] if catalog is not None else None
    ModelChoices(store, known).set(task, name)


def remote_settings(store: SessionSource) -> RemoteSettings:
    from models import remote_config

    saved = remote_config.load_settings(store)
    has_key = bool(saved.url and remote_config.get_api_key(saved.url))
    model = "" if saved.model == "default" else saved.model
    return RemoteSettings(saved.enabled, saved.url, model, has_key)


def save_remote_settings(
    store: SessionSource, settings: RemoteSettings, api_key: str | None
) -> None:
    """Kept with the model runtime's own settings; the API key goes to the keyring only."""
    from models import remote_config

    if settings.enabled and not settings.url:
        raise InvalidInput("Type the host's URL first.", hint="For example https://host/v1")
    remote_config.save_settings(
        store,
        remote_config.RemoteSettings(
            enabled=settings.enabled, url=settings.url, model=settings.model or "default"
        ),
    )
    if api_key:
        remote_config.set_api_key(settings.url, api_key)
