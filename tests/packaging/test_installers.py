"""Installer scripts and their metadata: the Linux install.sh run for real into a temporary
home, the .desktop entry, the Inno Setup script, the shell scripts' syntax, the icons.

The Linux install uses a stand-in for the PyInstaller bundle (a two-line shell script named
``warden``): building the real bundle takes minutes, and install.sh only copies the folder.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALLERS = REPO / "packaging" / "installers"
ICONS = REPO / "packaging" / "icons"
DESKTOP = INSTALLERS / "linux" / "warden.desktop"
ISS = INSTALLERS / "windows" / "warden.iss"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def load_entry():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("warden_entry", INSTALLERS / "warden_entry.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def validate_desktop(path: Path) -> None:
    """desktop-file-validate when installed (Debian: desktop-file-utils), else the keys the
    Desktop Entry spec requires."""
    tool = shutil.which("desktop-file-validate")
    if tool:
        result = subprocess.run([tool, str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout
        return
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    for key in ("Type", "Name", "Exec", "Icon"):
        assert entry.get(key), f"{path}: {key} is missing"
    assert entry["Type"] == "Application"
    if "Categories" in entry:
        assert entry["Categories"].endswith(";")
    # Outside double quotes the spec reserves these characters in Exec (no single quotes).
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', "", entry["Exec"])
    assert not set(unquoted) & set("'\\><~|&;$*?#()`"), f"{path}: Exec needs double quotes"


@pytest.mark.parametrize(
    "script",
    [
        "linux/install.sh",
        "linux/build.sh",
        "macos/build.sh",
    ],
)
def test_shell_scripts_parse(script: str) -> None:
    result = subprocess.run(["bash", "-n", str(INSTALLERS / script)], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def test_desktop_entry_validates() -> None:
    validate_desktop(DESKTOP)


def fake_release(tmp: Path) -> Path:
    release = tmp / "release"
    (release / "warden").mkdir(parents=True)
    program = release / "warden" / "warden"
    program.write_text('#!/bin/sh\necho "stand-in warden $*"\n')
    program.chmod(0o755)
    shutil.copy(INSTALLERS / "linux" / "install.sh", release / "install.sh")
    shutil.copy(DESKTOP, release / "warden.desktop")
    (release / "icons").mkdir()
    for png in (ICONS / "png").glob("warden-*.png"):
        shutil.copy(png, release / "icons" / png.name)
    shutil.copy(ICONS / "warden.svg", release / "icons" / "warden.svg")
    return release


def test_linux_install_and_uninstall_in_a_home_with_a_space(tmp_path: Path) -> None:
    home = tmp_path / "home of user"
    home.mkdir()
    release = fake_release(tmp_path)
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    data = home / ".local" / "share" / "Warden"
    data.mkdir(parents=True)
    (data / "warden.db").write_bytes(b"encrypted")

    subprocess.run(["bash", str(release / "install.sh")], env=env, check=True, capture_output=True)
    prefix = home / ".local" / "opt" / "warden"
    entry = home / ".local" / "share" / "applications" / "warden.desktop"
    assert (prefix / "warden").is_file()
    validate_desktop(entry)
    exec_line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))
    argv = shlex.split(exec_line.removeprefix("Exec="))
    assert argv == [str(prefix / "warden"), "gui"]
    assert subprocess.run(argv, capture_output=True, text=True).stdout.strip() == (
        "stand-in warden gui"
    )
    icons = home / ".local" / "share" / "icons" / "hicolor"
    for size in PNG_SIZES:
        assert (icons / f"{size}x{size}" / "apps" / "warden.png").is_file()
    assert (home / ".local" / "bin" / "warden").resolve() == (prefix / "warden").resolve()

    # Installing again (an upgrade) replaces the program and keeps working.
    subprocess.run(["bash", str(release / "install.sh")], env=env, check=True, capture_output=True)
    assert (prefix / "warden").is_file()

    subprocess.run(
        ["bash", str(release / "install.sh"), "--uninstall"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert not prefix.exists() and not entry.exists()
    assert not (home / ".local" / "bin" / "warden").exists()
    assert (data / "warden.db").read_bytes() == b"encrypted"  # the user's data stays


def test_linux_install_refuses_outside_a_release_folder(tmp_path: Path) -> None:
    script = tmp_path / "install.sh"
    shutil.copy(INSTALLERS / "linux" / "install.sh", script)
    env = {"HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    result = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "release folder" in result.stderr
    assert not (tmp_path / ".local" / "opt").exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["gui"]),
        (["--help"], ["--help"]),
        (["demo", "--no-gui"], ["demo", "--no-gui"]),
        (["-m", "warden", "gui", "--minimized"], ["gui", "--minimized"]),
    ],
)
def test_bundle_program_arguments(argv: list[str], expected: list[str]) -> None:
    assert load_entry().bundle_args(argv) == expected


@pytest.mark.parametrize(
    "folder",
    [
        "opt",
        "opt dir",
    ],
)
def test_start_at_login_entry_starts_the_bundle_minimized(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    """ui/autostart.py writes "<sys.executable> -m warden gui --minimized"; in the bundle
    sys.executable is the bundle's program, which must read that as 'gui --minimized'."""
    from ui import autostart
    from warden.cli import build_parser

    program = tmp_path / folder / "warden"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(sys, "executable", str(program))
    autostart.set_enabled(True)
    entry = autostart.autostart_file()
    validate_desktop(entry)
    exec_line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))
    argv = shlex.split(exec_line.removeprefix("Exec="))
    assert argv[0] == str(program)
    args = build_parser().parse_args(load_entry().bundle_args(argv[1:]))
    assert args.command == "gui" and args.minimized is True


def iss_defines() -> dict[str, str]:
    return dict(re.findall(r'#define\s+(\w+)\s+"([^"]*)"', ISS.read_text()))


def test_inno_setup_script_version_and_program() -> None:
    text = ISS.read_text()
    defines = iss_defines()
    assert defines["MyAppVersion"] == VERSION
    assert defines["MyAppExeName"] == "Warden.exe"  # the spec's windowed EXE on Windows
    assert defines["MyCliExeName"] == "warden-cli.exe"
    assert r"dist\pyinstaller\Warden\*" in text  # the spec's COLLECT folder on Windows
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.M)
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", text, re.M)
    icon = re.search(r"^SetupIconFile=\{#Repo\}\\(.+)$", text, re.M)
    assert icon and (REPO / icon.group(1).replace("\\", "/")).is_file()


def test_inno_setup_autostart_and_kept_data() -> None:
    from app.config import APP_NAME

    text = ISS.read_text()
    run_key = next(x for x in text.splitlines() if "CurrentVersion\\Run" in x)
    assert "gui --minimized" in run_key and "Tasks: autostart" in run_key
    assert "uninsdeletevalue" in run_key
    # platformdirs puts the data in %LOCALAPPDATA%\<APP_NAME>: never deleted, never the app dir.
    assert iss_defines()["MyDataDir"] == "{localappdata}\\" + APP_NAME
    uninstall_delete = text.split("[UninstallDelete]")[1].split("\n[")[0]
    assert "{localappdata}" not in uninstall_delete and "MyDataDir" not in uninstall_delete
    assert "{autopf}" in text and "NOT deleted" in text


def test_icons_have_their_sizes() -> None:
    ET.parse(ICONS / "warden.svg")  # well-formed
    for size in PNG_SIZES:
        head = (ICONS / "png" / f"warden-{size}.png").read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (size, size)
    ico = (ICONS / "warden.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count == 7
    sizes = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
