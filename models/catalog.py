"""The models Warden can run: the bundled one, imported GGUF files, and their LoRA adapters.

The index (``catalog.json`` in the models folder) holds what was read from each file, so
listing never re-parses a model. Imported files are copied into the models folder, or
referenced where they are (checked again before each load).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from app.errors import InvalidInput, ModelError
from app.fileio import write_atomic
from models.bundled import BUNDLED_NAME, bundled_model_path
from models.gguf_info import (
    GGUFInfo,
    check_adapter_shapes,
    check_fits,
    check_model_file,
    read_gguf_info,
)
from models.settings import ModelSettings

INDEX_NAME = "catalog.json"
INDEX_VERSION = 1


@dataclass(frozen=True)
class ModelEntry:
    name: str
    source: str  # "bundled" | "copied" | "referenced"
    info: GGUFInfo
    settings: ModelSettings
    adapter: GGUFInfo | None = None
    adapter_scale: float = 1.0

    @property
    def path(self) -> Path:
        return Path(self.info.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "info": self.info.to_json(),
            "settings": self.settings.to_json(),
            "adapter": self.adapter.to_json() if self.adapter else None,
            "adapter_scale": self.adapter_scale,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelEntry:
        adapter = data.get("adapter")
        return cls(
            name=data["name"],
            source=data["source"],
            info=GGUFInfo.from_json(data["info"]),
            settings=ModelSettings.from_json(data.get("settings", {})),
            adapter=GGUFInfo.from_json(adapter) if adapter else None,
            adapter_scale=float(data.get("adapter_scale", 1.0)),
        )

    def summary(self) -> dict[str, Any]:
        """What ``warden model list`` and the settings page show."""
        return {
            "name": self.name,
            "source": self.source,
            "architecture": self.info.architecture,
            "size_mb": round(self.info.size_bytes / 1_048_576, 1),
            "context_length": self.info.context_length,
            "chat_template": self.info.chat_template is not None,
            "license": self.info.license,
            "adapter": Path(self.adapter.path).name if self.adapter else None,
            "settings": asdict(self.settings),
            "path": self.info.path,
        }


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64] or "model"


class Catalog:
    def __init__(self, models_dir: Path) -> None:
        self.models_dir = Path(models_dir)
        self._index_path = self.models_dir / INDEX_NAME

    # -- index -------------------------------------------------------------------------------
    def _read_index(self) -> dict[str, Any]:
        try:
            data = json.loads(self._index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"version": INDEX_VERSION, "models": {}}
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"The model catalog {self._index_path} could not be read: {exc}",
                hint="Move the file aside; Warden starts a fresh catalog (model files are kept).",
            ) from None
        data.setdefault("models", {})
        return dict(data)

    def _write_index(self, data: dict[str, Any]) -> None:
        blob = json.dumps(data, indent=1, sort_keys=True).encode()
        write_atomic(self._index_path, blob)

    # -- reading -----------------------------------------------------------------------------
    def _bundled(self, data: dict[str, Any]) -> ModelEntry:
        path = bundled_model_path()
        cached = data.get("bundled")
        entry = ModelEntry.from_json(cached) if cached else None
        if entry is None or entry.info.path != str(path.resolve()) or not entry.info.is_current():
            info = read_gguf_info(path)
            settings = entry.settings if entry else ModelSettings()
            entry = ModelEntry(BUNDLED_NAME, "bundled", info, settings)
            data["bundled"] = entry.to_json()
            self._write_index(data)
        return entry

    def entries(self) -> list[ModelEntry]:
        data = self._read_index()
        entries = [self._bundled(data)]
        entries += [ModelEntry.from_json(v) for _, v in sorted(data["models"].items())]
        return entries

    def names(self) -> list[str]:
        """Catalog names, without reading the bundled file (that takes seconds)."""
        return [BUNDLED_NAME, *sorted(self._read_index()["models"])]

    def get(self, name: str = BUNDLED_NAME) -> ModelEntry:
        data = self._read_index()
        if name == BUNDLED_NAME:
            return self._bundled(data)
        raw = data["models"].get(name)
        if raw is None:
            known = ", ".join(self.names())
            raise InvalidInput(f"No model named {name!r}.", hint=f"Known models: {known}.")
        return ModelEntry.from_json(raw)

    def checked(self, name: str = BUNDLED_NAME) -> ModelEntry:
        """The entry, with its files checked again: a referenced file may have changed."""
        entry = self.get(name)
        for info in filter(None, (entry.info, entry.adapter)):
            if not info.is_current():
                raise ModelError(
                    f"The file of model {name!r} changed or is gone: {info.path}",
                    hint=f"Import it again with: warden model import {info.path}",
                )
        return entry

    # -- changing ----------------------------------------------------------------------------
    def import_model(self, path: Path, *, name: str | None = None, copy: bool = True) -> ModelEntry:
        """Check a GGUF file and add it; refuse a bad file or one that would not fit."""
        info = read_gguf_info(Path(path))
        check_model_file(info)
        settings = ModelSettings(n_ctx=min(ModelSettings().n_ctx, info.context_length))
        check_fits(info, settings.n_ctx)
        name = _slug(name or info.name or Path(path).stem)
        data = self._read_index()
        if name == BUNDLED_NAME or name in data["models"]:
            raise InvalidInput(
                f"A model named {name!r} is already in the catalog.",
                hint="Pick another name with --name.",
            )
        source = "referenced"
        if copy:
            info = self._copy_in(Path(info.path), f"{name}.gguf", info)
            source = "copied"
        entry = ModelEntry(name, source, info, settings)
        data["models"][name] = entry.to_json()
        self._write_index(data)
        return entry

    def import_adapter(self, path: Path, *, base: str, scale: float = 1.0) -> ModelEntry:
        """Attach a LoRA adapter (GGUF) to a model; it is applied each time the model loads."""
        if base == BUNDLED_NAME:
            raise InvalidInput(
                "The bundled model cannot be changed.",
                hint="Import the bundled file under another name first, then add the adapter.",
            )
        entry = self.get(base)
        info = read_gguf_info(Path(path))
        if info.kind != "adapter" or (info.adapter_type or "lora") != "lora":
            raise InvalidInput(f"{Path(path).name} is not a LoRA adapter in GGUF.")
        if info.architecture != entry.info.architecture:
            raise InvalidInput(
                f"The adapter is for {info.architecture!r}, the model is "
                f"{entry.info.architecture!r}.",
                hint="Use an adapter trained for this base model.",
            )
        check_adapter_shapes(Path(info.path), entry.path)
        info = self._copy_in(Path(info.path), f"{base}.lora.gguf", info)
        updated = replace(entry, adapter=info, adapter_scale=scale)
        data = self._read_index()
        data["models"][base] = updated.to_json()
        self._write_index(data)
        return updated

    def update_settings(self, name: str, **changes: Any) -> ModelEntry:
        data = self._read_index()
        entry = self.get(name)
        updated = replace(entry, settings=entry.settings.updated(**changes))
        if name == BUNDLED_NAME:
            data["bundled"] = updated.to_json()
        else:
            data["models"][name] = updated.to_json()
        self._write_index(data)
        return updated

    def remove(self, name: str) -> None:
        data = self._read_index()
        raw = data["models"].pop(name, None)
        if raw is None:
            raise InvalidInput(f"No imported model named {name!r}.")
        entry = ModelEntry.from_json(raw)
        self._write_index(data)
        for info in filter(None, (entry.info, entry.adapter)):
            if entry.source == "copied" or info is entry.adapter:
                Path(info.path).unlink(missing_ok=True)

    def _copy_in(self, src: Path, filename: str, info: GGUFInfo) -> GGUFInfo:
        self.models_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        dest = self.models_dir / filename
        fd, tmp = tempfile.mkstemp(prefix=f".{filename}.", dir=self.models_dir)
        try:
            with open(fd, "wb") as out, src.open("rb") as inp:
                shutil.copyfileobj(inp, out, 1024 * 1024)
            Path(tmp).replace(dest)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise ModelError(
                f"{src.name} could not be copied into Warden's models folder "
                f"({exc.strerror or type(exc).__name__}).",
                hint="Free some disk space, or use the file where it is (--reference).",
            ) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        st = dest.stat()
        return replace(info, path=str(dest.resolve()), mtime_ns=st.st_mtime_ns)
