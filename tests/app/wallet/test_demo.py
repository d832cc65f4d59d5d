"""The demo: built offline from the committed artifact, which matches its Vyper source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.wallet import balances, history, signing
from app.wallet.demo import DEMO_PASSWORD, DEMO_PHRASE, build_demo, token_artifact
from tests.support.erc20 import ARTIFACT, compile_token
from warden.cli import main


def test_artifact_matches_the_vyper_source() -> None:
    art = token_artifact()
    fresh = compile_token()
    assert art["abi"] == json.loads(json.dumps(fresh["abi"]))
    if art["compiler"] != fresh["compiler"]:
        pytest.skip(f"artifact from {art['compiler']}, installed {fresh['compiler']}")
    assert art["bytecode"] == fresh["bytecode"], (
        f"regenerate {ARTIFACT.name}: python -m tests.support.erc20"
    )


def test_demo_has_funds_tokens_and_history(tmp_path: Path) -> None:
    demo = build_demo(tmp_path / "demo")
    try:
        main_account = demo.accounts[0]
        found = {
            b.symbol: b.amount
            for b in balances.balances(demo.client, main_account.address, demo.tokens)
        }
        assert found["ETH"] and found["ETH"] > 10 * 10**18
        assert found["dUSD"] == 2_375 * 10**6 and found["dGOV"] == 420 * 10**18
        rows = history.list_history(demo.store, chain_id=demo.network.chain_id)
        directions = {(r.direction, r.token is not None) for r in rows}
        assert directions == {("in", False), ("in", True), ("out", False), ("out", True)}
        assert signing.reveal_phrase(demo.store, demo.store, DEMO_PASSWORD) == DEMO_PHRASE
    finally:
        demo.close()


def test_warden_demo_prints_the_wallet(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    assert main(["demo", "--no-gui"]) == 0
    out = capsys.readouterr().out
    assert "Demo main" in out and "dUSD" in out and "sent to Alice (demo)" in out
    assert not list(tmp_path.glob("warden-demo-*")), "the throw-away folder is removed"
