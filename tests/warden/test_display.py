"""Without a screen, the window commands say so and exit 2 instead of letting Qt abort."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from warden.display import display_problem


def test_headless_platforms_and_other_systems_need_no_display(tmp_path: Path) -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", tmp_path) is None
    assert display_problem({}, "win32", tmp_path) is None
    assert display_problem({}, "darwin", tmp_path) is None


def test_no_display_and_a_dead_display_are_named(tmp_path: Path) -> None:
    assert "No display was found" in (display_problem({}, "linux", tmp_path) or "")
    dead = display_problem({"DISPLAY": ":57"}, "linux", tmp_path)
    assert dead and "':57' cannot be reached" in dead
    assert display_problem({"DISPLAY": "not a display"}, "linux", tmp_path)


def test_a_listening_x_socket_is_a_display(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "X57"))
    server.listen(1)
    try:
        assert display_problem({"DISPLAY": ":57"}, "linux", tmp_path) is None
        assert display_problem({"DISPLAY": ":57.0"}, "linux", tmp_path) is None
        # asked for Wayland only, an X server does not help
        env = {"DISPLAY": ":57", "QT_QPA_PLATFORM": "wayland"}
        assert display_problem(env, "linux", tmp_path)
    finally:
        server.close()


def test_a_wayland_socket_is_a_display(tmp_path: Path) -> None:
    (tmp_path / "wayland-0").touch()
    env = {"WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert display_problem(env, "linux", tmp_path) is None


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    env["WARDEN_HOME"] = str(tmp_path / "home")
    return subprocess.run(
        [sys.executable, "-m", "warden", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_gui_and_demo_without_a_display_exit_2_with_a_message(tmp_path: Path) -> None:
    for args in (["gui"], ["demo"], ["demo", "--screenshots", str(tmp_path / "shots")]):
        done = _run(args, tmp_path)
        assert done.returncode == 2, (args, done.returncode, done.stderr)
        assert "no display was found" in done.stderr and "--no-gui" in done.stderr
        assert "Reinstalling" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "shots").exists()
