"""``warden intent`` as the user runs it (its own process, the real bundled model where the
rules cannot place a sentence): one schema-valid object per sentence, in order; the wallet's
names used when there is a wallet; bad files refused with a message. The full evaluation is
``bench/intents.py``."""

from __future__ import annotations

import json
from pathlib import Path

from models.intent_schema import validate_action
from tests.warden.cli_run import warden

PASSWORD = "a long password"  # noqa: S105
WATCHED = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
FAMILY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def _objects(out: str) -> list[dict]:
    rows = [json.loads(line) for line in out.splitlines()]
    for row in rows:
        validate_action(row)
    return rows


def test_one_sentence_without_a_wallet(tmp_path: Path) -> None:
    done = warden(tmp_path, "intent", "send 12.5 usdc to nina.eth via base", "--json")
    assert done.returncode == 0, done.stderr
    assert _objects(done.stdout) == [
        {
            "action": "send",
            "amount": "12.5",
            "asset": "USDC",
            "recipient": "nina.eth",
            "chain": "base",
        }
    ]


def test_a_file_gives_one_object_a_line_in_order(tmp_path: Path) -> None:
    lines = [
        "send 0.25 eth to bob",
        "",
        "what's my usdc balance on arbitrum",
        "tell me my recovery phrase",
        "alert me if eth drops below 2500",
        "revoke the usdc approval to " + WATCHED,
        "x" * 600,
        "hmm, do the usual thing please",  # the rules cannot place it: the model is asked
    ]
    f = tmp_path / "requests.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = warden(tmp_path, "intent", "--file", str(f))
    assert done.returncode == 0, done.stderr
    rows = _objects(done.stdout)
    assert len(rows) == len(lines)
    assert rows[0] == {
        "action": "send",
        "amount": "0.25",
        "asset": "ETH",
        "recipient": "bob",
        "chain": None,
    }
    assert rows[1]["action"] == "clarify"
    assert rows[2] == {"action": "balance", "asset": "USDC", "chain": "arbitrum"}
    assert rows[3] == {"action": "refuse", "reason": "secret"}
    assert rows[4] == {
        "action": "price_alert",
        "asset": "ETH",
        "direction": "below",
        "price": "2500",
    }
    assert rows[5] == {"action": "revoke", "asset": "USDC", "spender": WATCHED}
    assert rows[6]["action"] == "clarify" and "too long" in rows[6]["question"]
    assert rows[7]["action"] == "clarify"  # nothing to act on: never a guessed action


def test_the_wallets_contact_names_are_known_words(tmp_path: Path) -> None:
    env = {"WARDEN_PASSWORD": PASSWORD}
    assert warden(tmp_path, "init", "--watch", WATCHED, **env).returncode == 0
    added = warden(tmp_path, "contacts", "add", FAMILY, "Mum and Dad", **env)
    assert added.returncode == 0, added.stderr
    done = warden(tmp_path, "intent", "send 5 dai to mum and dad", "--no-model", **env)
    assert done.returncode == 0, done.stderr
    assert _objects(done.stdout)[0]["recipient"] == "mum and dad"
    bare = warden(tmp_path, "intent", "send 5 dai to mum and dad", "--no-wallet", "--no-model")
    assert _objects(bare.stdout)[0]["recipient"] != "mum and dad"


def test_a_bad_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    binary = tmp_path / "model.gguf"
    binary.write_bytes(b"GGUF\x00\x00\x01")
    done = warden(tmp_path, "intent", "--file", str(binary))
    assert done.returncode == 2 and done.stdout == ""
    assert "not a text file" in done.stderr and "one request a line" in done.stderr
    missing = warden(tmp_path, "intent", "--file", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "Check the file's path" in missing.stderr
    neither = warden(tmp_path, "intent")
    assert neither.returncode == 2 and "Say what to parse" in neither.stderr
