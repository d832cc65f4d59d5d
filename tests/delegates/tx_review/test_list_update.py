"""Phishing lists fetched from a local HTTP server on 127.0.0.1 into a real encrypted store:
a good list is stored and used by the review, a bad list is refused and the old one kept,
offline the stored list stays in use and its age shows."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.events import EventBus
from app.notify import Notifier, RecordingBackend
from app.store import open_throwaway
from app.store.schema import ThreatList
from delegates.runtime.registry import REGISTRY
from delegates.runtime.runner import Runner
from delegates.tx_review import list_update
from delegates.tx_review.list_update import (
    add_source,
    check_source,
    remove_source,
    sources,
    status,
    threat_facts,
    update,
)
from delegates.tx_review.node_facts import NodeReviewer
from delegates.tx_review.threat_lists import ListRejected

SCAM = "0x00000000000000000000000000000000deadbeef"
GOOD = json.dumps(
    {"version": 2, "blacklist": ["drainer-claim.com", "fake-mint.net"], "whitelist": []}
).encode()


class ListServer:
    """Serves ``self.body`` at every path; ``status`` and ``body`` can change between calls."""

    def __init__(self) -> None:
        self.body = GOOD
        self.status = 200
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self.send_response(owner.status)
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join()


@pytest.fixture
def server() -> Iterator[ListServer]:
    srv = ListServer()
    yield srv
    srv.stop()


@pytest.fixture
def db(tmp_path: Path):
    store = open_throwaway(tmp_path)
    yield store
    store.close()


def sign_in_from(origin: str) -> dict:
    return {
        "method": "personal_sign",
        "chain_id": 1,
        "origin": origin,
        "from": "0x1111111111111111111111111111111111111111",
        "params": {"message": "0x" + b"Sign in".hex()},
    }


def review(db, origin: str):
    """The live reviewer with no node: the facts come from the store alone."""

    class NoNode:
        class eth:  # noqa: N801 (web3's attribute name)
            @property
            def block_number(self) -> int:
                raise ConnectionError("no node in this test")

    reviewer = NodeReviewer(NoNode(), db, chain_id=1, simulate=False)
    return reviewer.review(sign_in_from(origin))


def use_only(db, url: str) -> None:
    add_source(db, url)
    remove_source(db, list_update.DEFAULT_SOURCE)


def test_default_source_is_metamask_and_sources_are_the_user_s(db, server) -> None:
    assert sources(db) == [list_update.DEFAULT_SOURCE]
    use_only(db, server.url + "/list.json")
    assert sources(db) == [server.url + "/list.json"]


def test_a_good_list_is_stored_and_every_review_uses_it(db, server) -> None:
    url = server.url + "/config.json"
    use_only(db, url)
    assert review(db, "https://app.drainer-claim.com").verdict == "caution"  # bait word only
    [result] = update(db)
    assert result.ok and result.domains == 2
    outcome = review(db, "https://app.drainer-claim.com")
    assert outcome.verdict == "danger"
    assert "127.0.0.1" in outcome.findings[0].detail  # which list says so
    assert review(db, "https://fake-mint.net").verdict == "danger"
    assert review(db, "https://app.uniswap.org").verdict == "safe"


def test_scam_addresses_join_the_blocklist(db, server) -> None:
    server.body = json.dumps({"domains": ["x-drain.org"], "addresses": [SCAM]}).encode()
    use_only(db, server.url + "/scams.json")
    update(db)
    domains, addresses = threat_facts(db)
    assert "x-drain.org" in domains and addresses == {SCAM}


@pytest.mark.parametrize(
    ("body", "code", "why"),
    [
        (b"<html>not found</html>", 200, "no host name"),
        (b'{"lists": ["a.com"]}', 200, "format"),
        (b"{not json", 200, "not valid JSON"),
        (b'{"blacklist": []}', 200, "empty"),
        (json.dumps({"blacklist": ["github.io", "bad.com"]}).encode(), 200, "public suffix"),
        (
            json.dumps(
                {"blacklist": ["uniswap.org", "opensea.io", "aave.com", "lido.fi"]}
            ).encode(),
            200,
            "well-known dapps",
        ),
        (json.dumps(["not a host"] * 10 + ["ok.com"]).encode(), 200, "no host name"),
        (b"\xff\xfe\x00garbage", 200, "UTF-8"),
        (GOOD, 404, "HTTP 404"),
    ],
)
def test_a_bad_list_is_refused_and_the_stored_one_kept(db, server, body, code, why) -> None:
    url = server.url + "/config.json"
    use_only(db, url)
    assert update(db)[0].ok
    server.body, server.status = body, code
    [result] = update(db)
    assert not result.ok and why in result.error
    [row] = status(db)
    assert row.domains == 2 and why in (row.last_error or "")
    assert review(db, "https://drainer-claim.com").verdict == "danger"


def test_a_list_over_the_size_cap_is_refused(server) -> None:
    with pytest.raises(ListRejected, match="larger than"):
        list_update.fetch(server.url + "/big.json", max_bytes=len(GOOD) - 1)
    assert list_update.fetch(server.url + "/big.json", max_bytes=len(GOOD)) == GOOD


def test_offline_the_stale_list_stays_in_use_and_shows_its_age(db, server) -> None:
    url = server.url + "/config.json"
    use_only(db, url)
    long_ago = datetime.now(UTC) - timedelta(days=30)
    assert update(db, now=long_ago)[0].ok
    server.stop()  # offline from here on
    [result] = update(db)
    assert not result.ok and "Could not fetch" in result.error
    [row] = status(db)
    assert row.domains == 2
    assert row.age_days(datetime.now(UTC)) == pytest.approx(30, abs=0.1)
    assert review(db, "https://drainer-claim.com").verdict == "danger"


def test_removing_a_source_deletes_its_list(db, server) -> None:
    url = server.url + "/config.json"
    use_only(db, url)
    update(db)
    remove_source(db, url)
    with db.session() as s:
        assert s.get(ThreatList, url) is None
    assert threat_facts(db) == ({}, frozenset())
    with pytest.raises(InvalidInput, match="not one of your list sources"):
        remove_source(db, url)


@pytest.mark.parametrize(
    "url",
    ["http://lists.example.com/x.json", "ftp://127.0.0.1/x", "not a url", "file:///etc/passwd"],
)
def test_only_https_or_this_machine(url: str) -> None:
    with pytest.raises(InvalidInput):
        check_source(url)


def test_the_daily_delegate_updates_and_survives_offline(db, server) -> None:
    url = server.url + "/config.json"
    use_only(db, url)
    from delegates import load_builtin

    load_builtin()
    runner = Runner(REGISTRY, db, EventBus(), Notifier(RecordingBackend(), batch_window=0))
    try:
        assert "phishing_lists" in REGISTRY
        result = runner.run("phishing_lists")
        assert result.outcome == "ok", result
        assert result.output["summary"] == "1 of 1 list(s) updated"
        server.status = 500
        result = runner.run("phishing_lists")
        assert result.outcome == "ok"
        assert "keep their last copy" in result.output["summary"]
        assert "HTTP 500" in result.output["failed"][0]
        assert threat_facts(db)[0].keys() == {"drainer-claim.com", "fake-mint.net"}
    finally:
        runner.shutdown()
