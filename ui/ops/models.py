"""The model catalog and model settings (``models.catalog_view``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.rows import ModelRow, RemoteSettings
from models import catalog_view
from ui.ops.core import Op
from ui.services import AppServices, require


def load(sv: AppServices) -> Op[list[ModelRow]]:
    return Op(lambda: catalog_view.model_rows(require(sv.catalog, "The model catalog")))


def memory_text() -> Op[str]:
    return Op(catalog_view.memory_text, lane="network")


def choices(sv: AppServices) -> Op[dict[str, str]]:
    return Op(lambda: catalog_view.model_choices(sv.store), lane="store")


def set_choice(sv: AppServices, task: str, name: str) -> Op[None]:
    return Op(lambda: catalog_view.set_model_choice(sv.store, sv.catalog, task, name), lane="store")


def import_model(
    sv: AppServices, path: Path | str, progress: Callable[[float], None] | None = None
) -> Op[ModelRow]:
    """A long file copy: on the I/O pool, so the store worker stays free."""
    catalog = sv.catalog
    return Op(
        lambda: catalog_view.import_model(require(catalog, "The model catalog"), path, progress),
        lane="network",
    )


def remote_settings(sv: AppServices) -> Op[RemoteSettings]:
    return Op(lambda: catalog_view.remote_settings(sv.store), lane="store")


def save_remote_settings(
    sv: AppServices, settings: RemoteSettings, api_key: str | None
) -> Op[None]:
    return Op(lambda: catalog_view.save_remote_settings(sv.store, settings, api_key), lane="store")


ModelsPage = tuple[list[ModelRow], dict[str, str], RemoteSettings, str]


def load_page(sv: AppServices) -> Op[ModelsPage]:
    """The models, which one does each task, the remote host's settings, free memory."""

    def work() -> ModelsPage:
        rows = catalog_view.model_rows(require(sv.catalog, "The model catalog"))
        return (
            rows,
            catalog_view.model_choices(sv.store),
            catalog_view.remote_settings(sv.store),
            catalog_view.memory_text(),
        )

    return Op(work, lane="store")
