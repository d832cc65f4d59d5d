"""``warden lists`` against a real store under a temporary WARDEN_HOME and a list server on
127.0.0.1."""

from __future__ import annotations

import pytest

from app.config import default_paths
from app.store import Store
from delegates.tx_review.list_update import DEFAULT_SOURCE
from tests.delegates.tx_review.test_list_update import ListServer
from warden.cli import main

PASSWORD = "correct horse battery staple"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", PASSWORD)
    Store.create(default_paths().ensure(), PASSWORD, use_keyring=False).close()
    return tmp_path


def test_add_update_status_remove(home, capsys) -> None:
    server = ListServer()
    try:
        url = server.url + "/config.json"
        assert main(["lists", "status"]) == 0
        out = capsys.readouterr().out
        assert "bundled with Warden" in out and f"{DEFAULT_SOURCE}: 0 domains" in out
        assert "never fetched" in out
        assert main(["lists", "add", url]) == 0
        assert main(["lists", "remove", DEFAULT_SOURCE]) == 0
        assert main(["lists", "update"]) == 0
        assert f"{url}: 2 domains, 0 addresses" in capsys.readouterr().out
        server.status = 503
        assert main(["lists", "update"]) == 1  # failed: said so, old list kept
        assert "the stored list stays in use" in capsys.readouterr().out
        assert main(["lists", "status"]) == 0
        out = capsys.readouterr().out
        assert "2 domains" in out and "fetched today" in out and "HTTP 503" in out
        assert main(["lists", "add", "http://lists.example.com/x.json"]) == 2
        assert "HTTPS" in capsys.readouterr().err
    finally:
        server.stop()
