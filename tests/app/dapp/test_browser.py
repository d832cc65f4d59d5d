"""End to end in a real headless Chromium (Debian's ``chromium`` and ``chromium-driver``,
driven by selenium; nothing is downloaded): the extension, built by extension/build.py with
the pairing token, is loaded unpacked; a test dapp page served on 127.0.0.1 connects, reads
the chain id, sends a transaction on anvil, signs an EIP-712 permit, and gets 4001 for an
unlimited approval to a fresh EOA that the user rejects. The user's clicks are played by
ScriptedApproval (harness.py)."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.dapp.permissions import Permissions
from tests.app.dapp.harness import RunningServer, ScriptedApproval, make_provider, make_store
from tests.app.dapp.test_provider import ADDR0, FRESH, _permit
from tests.support.anvil import Anvil

pytestmark = [pytest.mark.anvil, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Test dapp</title></head>
<body><h1>Test dapp</h1><button id="connect">Connect</button><pre id="out"></pre></body></html>"""


@pytest.fixture
def dapp_page(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(PAGE)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    yield functools.partial(_start_browser, webdriver, Service, tmp_path)


def _start_browser(webdriver: Any, service_cls: Any, tmp_path: Path, extension: Path) -> Any:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--disable-extensions-except={extension}",
        f"--load-extension={extension}",
        "--disable-features=DisableLoadExtensionCommandLineSwitch",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=service_cls(executable_path=DRIVER))


def _extension_builder() -> Any:
    """extension/build.py's ``build`` (the extension folder is no Python package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "warden_extension_build", ROOT / "extension" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build


REQUEST_JS = """
const [method, params, done] = arguments;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  for (let i = 0; i < 100 && !window.ethereum; i++) await wait(50);
  try {
    done({ result: await window.ethereum.request({ method, params }) });
  } catch (e) {
    done({ error: { code: e.code, message: String(e.message) } });
  }
})();
"""

ANNOUNCE_JS = """
const done = arguments[0];
window.addEventListener("eip6963:announceProvider", (ev) => {
  done({ name: ev.detail.info.name, rdns: ev.detail.info.rdns,
         isWarden: ev.detail.provider.isWarden === true });
});
window.dispatchEvent(new Event("eip6963:requestProvider"));
"""


LISTEN_JS = """
window.__events = [];
window.ethereum.on("accountsChanged", (a) => window.__events.push(["accountsChanged", a]));
window.ethereum.on("chainChanged", (c) => window.__events.push(["chainChanged", c]));
"""

EVENTS_JS = """
const done = arguments[0];
const poll = () => (window.__events.length ? done(window.__events) : setTimeout(poll, 50));
poll();
"""


def _wait_for(condition: Any, tries: int = 600) -> None:
    import time

    for _ in range(tries):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the extension never watched the page's origin")


def test_a_dapp_in_chromium_connects_sends_signs_and_gets_4001_for_danger(
    tmp_path: Path, anvil: Anvil, dapp_page: str, browser: Any
) -> None:
    build = _extension_builder()
    approval = ScriptedApproval(approve=("safe", "caution", "danger"), type_danger=True)
    store = make_store(tmp_path / "store", anvil)
    server = RunningServer(make_provider(store, anvil, approval))
    extension = build(tmp_path / "extension", token=server.token, port=server.port)
    driver = browser(extension)
    try:
        driver.set_script_timeout(120)
        driver.get(dapp_page + "/index.html")

        def request(method: str, *params: Any) -> dict[str, Any]:
            return driver.execute_async_script(REQUEST_JS, method, list(params))  # type: ignore[no-any-return]

        assert driver.execute_async_script(ANNOUNCE_JS) == {
            "name": "Warden",
            "rdns": "org.warden.wallet",
            "isWarden": True,
        }
        assert request("eth_accounts") == {"result": []}
        assert request("eth_requestAccounts") == {"result": [ADDR0]}
        assert approval.connects == [(dapp_page, None)]
        assert request("eth_chainId") == {"result": hex(31337)}

        tx = {"from": ADDR0, "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "value": "0x1000"}
        sent = request("eth_sendTransaction", tx)
        receipt = anvil.rpc("eth_getTransactionReceipt", sent["result"])
        assert receipt["status"] == "0x1"
        assert approval.prompts[-1].origin == dapp_page

        permit = _permit(spender="0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value=10**6)
        signed = request("eth_signTypedData_v4", ADDR0, json.dumps(permit))
        assert signed["result"].startswith("0x") and len(signed["result"]) == 132

        approval.approve = ("safe", "caution")  # the user rejects danger from now on
        data = "0x095ea7b3" + FRESH[2:].lower().rjust(64, "0") + "f" * 64
        approve = {"from": ADDR0, "to": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                   "data": data, "gas": "0x20000"}  # fmt: skip
        refused = request("eth_sendTransaction", approve)
        assert refused["error"]["code"] == 4001
        assert approval.prompts[-1].review.verdict == "danger"
        assert int(anvil.rpc("eth_getTransactionCount", ADDR0, "pending"), 16) == 1

        # The user disconnects the site in Warden: the page hears accountsChanged([]).
        _wait_for(lambda: dapp_page in server.server._watchers)  # the extension watches it
        driver.execute_script(LISTEN_JS)
        Permissions(store).revoke(dapp_page)
        server.server.provider.permissions_changed(dapp_page)
        assert driver.execute_async_script(EVENTS_JS) == [["accountsChanged", []]]
        assert request("eth_accounts") == {"result": []}
    finally:
        driver.quit()
        server.stop()
        store.close()
