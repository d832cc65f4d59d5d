"""Plant a private key and a recovery phrase, log them every way a program does, then search
every file Warden wrote and everything on stdout and stderr."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from eth_account import Account
from eth_account.hdaccount.mnemonic import Mnemonic

from app.logs import REDACTED, redact, register_secret

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import logging, os, warnings
    from pathlib import Path
    from app.config import default_paths
    from app.logs import register_secret, setup_logging
    from app.store import Store
    from app.store.schema import Secret

    key, key2, stored_key = os.environ["T_KEY"], os.environ["T_KEY2"], os.environ["T_STORED"]
    phrase = os.environ["T_PHRASE"]
    paths = default_paths().ensure()
    setup_logging(verbose=True, log_dir=paths.log_dir)
    register_secret(key)  # as the wallet does when it loads a key

    logging.getLogger("app.wallet").info("loaded %s for signing", key)
    logging.getLogger("app.wallet").debug("upper %s bare %s", key.upper(), key[2:])
    logging.getLogger("web3.providers").warning("private key: %s", key2)  # never registered
    logging.getLogger("warden").error("phrase is %s", phrase)  # never registered
    logging.getLogger("delegates.x").info(
        "numbered: %s", " ".join(f"{i}. {w.upper()}," for i, w in enumerate(phrase.split(), 1))
    )
    logging.getLogger("models").info("state %r", {"mnemonic": phrase, "private_key": key2})
    try:
        try:
            raise KeyError(phrase)
        except KeyError as inner:
            raise ValueError(f"could not use {key} with {phrase}") from inner
    except ValueError:
        logging.getLogger("app.store").exception("import failed for %s", key)
    logging.getLogger("ui").warning("where was %s", key, stack_info=True)
    warnings.warn(f"deprecated call with {key}")

    store = Store.create(paths, "pw-for-tests")
    with store.session() as s:
        s.add(Secret(kind="private_key", value=stored_key))
    store.close()
    store = Store.open(paths, "pw-for-tests")
    with store.session() as s:
        loaded = s.query(Secret).one().value
    logging.getLogger("app.wallet.signing").info("signing with %s", loaded[2:])
    store.close()
    print("child done", flush=True)
    raise RuntimeError(f"escaped with {phrase} and {key}")
    """
)


def _secret_patterns(keys: list[str], phrase: str) -> list[re.Pattern[str]]:
    words = phrase.split()
    patterns = [re.compile(re.escape(k[2:]), re.IGNORECASE) for k in keys]
    # Any four words of the phrase in a row, however they are separated.
    for i in range(len(words) - 3):
        gap = r"[^A-Za-z]{1,8}"
        patterns.append(re.compile(gap.join(words[i : i + 4]), re.IGNORECASE))
    return patterns


def test_no_secret_reaches_a_log_file_or_the_terminal(tmp_path: Path) -> None:
    keys = [Account.create().key.hex() for _ in range(3)]
    keys = [k if k.startswith("0x") else "0x" + k for k in keys]
    phrase = Mnemonic().generate(12)
    env = {
        **os.environ,
        "WARDEN_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(ROOT),
        "T_KEY": keys[0],
        "T_KEY2": keys[1],
        "T_STORED": keys[2],
        "T_PHRASE": phrase,
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "child done" in done.stdout, done.stderr[-3000:]
    assert done.returncode == 1  # the escaped exception, logged by the excepthook

    texts = {"stdout": done.stdout, "stderr": done.stderr}
    for f in (tmp_path / "home").rglob("*"):
        if f.is_file() and f.suffix != ".db" and ".db" not in f.name:
            texts[str(f)] = f.read_text("utf-8", errors="replace")
    log_files = [name for name in texts if name.endswith("warden.log")]
    assert log_files, "no log file was written"
    log = texts[log_files[0]]

    # The records are there (so the search below can find something), scrubbed.
    for marker in (
        "loaded",
        "private key",
        "phrase is",
        "numbered",
        "import failed",
        "Traceback",
        "where was",
        "deprecated call",
        "signing with",
        "escaped with",
    ):
        assert marker in log, f"{marker!r} missing from the log"
    assert log.count(REDACTED) >= 12
    assert "escaped with" in done.stderr and REDACTED in done.stderr

    for pattern in _secret_patterns(keys, phrase):
        for name, text in texts.items():
            m = pattern.search(text)
            assert not m, f"a secret is in {name}: {text[max(0, m.start() - 300) : m.end()]}"


def test_the_search_would_find_an_unscrubbed_secret() -> None:
    """The patterns above are not vacuous: an unscrubbed line matches them."""
    key = "0x" + "5e" * 32
    phrase = Mnemonic().generate(12)
    line = f"key {key[2:].upper()} and phrase {phrase.replace(' ', ', ')}"
    hits = [p for p in _secret_patterns([key], phrase) if p.search(line)]
    assert len(hits) == 1 + 9
    assert not [p for p in _secret_patterns([key], phrase) if p.search(redact(line))]


def test_ordinary_text_is_left_alone() -> None:
    text = (
        "tx 0x" + "ab" * 32 + " confirmed in block 12; the store could not be read because"
        " the file was damaged and must be restored from a backup"
    )
    assert redact(text) == text


def test_registered_secrets_are_scrubbed_in_any_case() -> None:
    secret = "0x" + "7c" * 32
    register_secret(secret)
    assert secret[2:].upper() not in redact(f"value {secret[2:].upper()}")
    assert REDACTED in redact(f"value {secret}")
