"""Onboarding without a GUI: create, import a phrase or a key, watch an address, on a real
encrypted store under a temporary home; the keyring cases run against a real Secret Service
(``dbus-run-session -- bash packaging/with-keyring.sh``)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from eth_account import Account as EthAccount
from keyring.backends import fail
from sqlalchemy import func, select

from app.config import Paths
from app.errors import InvalidInput, StoreError, StoreLocked
from app.store import Store, keys
from app.store.schema import Account, Network, Preference, Secret
from app.wallet import accounts, networks, onboarding
from app.wallet.onboarding import NewPhrase, WalletPlan, create_wallet
from tests.app.wallet.conftest import ADDR0, PHRASE

PASSWORD = "correct horse battery"  # noqa: S105
# anvil's first development key (of PHRASE's account 0).
KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
WATCHED = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
REAL_KEYRING = os.environ.get("WARDEN_TEST_KEYRING") == "1"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at 8 MiB, one pass: the cost only (the parameters are read back from each key
    file); tests/app/store/test_keys.py checks the real default."""
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(1, 8 * 1024, 1))


@pytest.fixture(autouse=True)
def no_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    """Stores made here stay out of the developer's keyring, except in tests marked
    ``keyring``."""
    if request.node.get_closest_marker("keyring"):
        yield
        return
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    root = tmp_path / "home"
    return Paths(root / "data", root / "config", root / "cache", root / "logs")


def confirmed_phrase() -> NewPhrase:
    new = NewPhrase()
    new.confirm([new.words[p] for p in new.check_positions])
    return new


def prefs(store: Store) -> dict[str, Any]:
    with store.session() as s:
        return {p.key: p.value for p in s.scalars(select(Preference))}


def test_create_shows_a_new_phrase_once_asks_words_back_and_makes_the_wallet(
    paths: Paths,
) -> None:
    new = NewPhrase()
    words = new.words
    assert len(words) == 12 and len(new.check_positions) == 3
    assert " ".join(words) not in repr(new)
    # Not confirmed yet: no plan.
    with pytest.raises(InvalidInput, match="not been confirmed"):
        WalletPlan("create", password=PASSWORD, new_phrase=new)
    wrong = [words[p] for p in new.check_positions]
    wrong[1] = "zoo" if wrong[1] != "zoo" else "abandon"
    with pytest.raises(InvalidInput, match=f"Word {new.check_positions[1] + 1} does not"):
        new.confirm(wrong)
    with pytest.raises(InvalidInput, match="Type the 3 words"):
        new.confirm(wrong[:2])
    assert not new.confirmed
    # Typed back with stray case and spaces: accepted.
    new.confirm([f"  {words[p].upper()} " for p in new.check_positions])
    plan = WalletPlan("create", password=PASSWORD, networks=["Ethereum", "Base"], new_phrase=new)
    assert PASSWORD not in repr(plan) and words[0] + " " + words[1] not in repr(plan)

    made = create_wallet(paths, plan)
    try:
        expected = EthAccount.from_mnemonic(" ".join(words)).address
        assert made.account == accounts.AccountInfo(expected, "Main", "hd", 0)
        assert prefs(made.store) == {
            "networks.enabled": ["Ethereum", "Base"],
            "network.current": "Ethereum",
        }
        with made.store.session() as s:
            names = set(s.scalars(select(Network.name)))
            assert {p.name for p in networks.PRESETS} <= names
            assert s.scalars(select(Secret.value)).one() == " ".join(words)
    finally:
        made.store.close()
    # Shown once: the object that held the phrase no longer gives it out.
    with pytest.raises(InvalidInput, match="not shown again"):
        _ = new.words
    reopened = Store.open(paths, PASSWORD)
    try:
        with reopened.session() as s:
            assert [a.address for a in accounts.list_accounts(s)] == [expected]
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("mode", "secret", "address", "kind", "name"),
    [
        ("phrase", "  " + PHRASE.upper().replace(" ", "   ") + "\n", ADDR0, "hd", "Main"),
        ("key", KEY0[2:].upper(), ADDR0, "imported", "Imported"),
        ("watch", WATCHED.lower(), WATCHED, "watch", "Watched"),
    ],
)
def test_imports_and_watch_make_the_first_account(
    paths: Paths, mode: str, secret: str, address: str, kind: str, name: str
) -> None:
    made = create_wallet(paths, WalletPlan(mode, secret, PASSWORD, ("Demo",)))
    try:
        assert (made.account.address, made.account.kind, made.account.name) == (
            address,
            kind,
            name,
        )
        assert made.account.can_sign == (mode != "watch")
        assert not made.keyring_used  # no keyring here: the password alone
        assert prefs(made.store)["network.current"] == "Demo"
        with made.store.session() as s:
            stored = list(s.scalars(select(Secret.value)))
        assert stored == {"phrase": [PHRASE], "key": [KEY0], "watch": []}[mode]
    finally:
        made.store.close()
    with pytest.raises(StoreLocked):
        Store.open(paths)
    Store.open(paths, PASSWORD).close()


def test_a_name_given_is_used(paths: Paths) -> None:
    made = create_wallet(paths, WalletPlan("watch", WATCHED, PASSWORD, name="  Savings "))
    made.store.close()
    assert made.account.name == "Savings"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "restore", "secret": PHRASE}, "Unknown way"),
        ({"mode": "phrase", "secret": "one two three"}, "has 3"),
        ({"mode": "phrase", "secret": PHRASE.replace("junk", "test")}, "not valid"),
        ({"mode": "phrase", "secret": None}, "Nothing usable"),
        ({"mode": "key", "secret": "0x1234"}, "64 hex digits"),
        ({"mode": "key", "secret": "0x" + "0" * 64}, "outside the valid range"),
        ({"mode": "watch", "secret": WATCHED.replace("B5", "b5")}, "checksum"),
        ({"mode": "watch", "secret": ""}, "empty"),
        ({"mode": "create", "secret": PHRASE}, "makes its own"),
        ({"mode": "create"}, "not been confirmed"),
        ({"mode": "watch", "secret": WATCHED, "password": "short"}, "at least 8"),
        ({"mode": "watch", "secret": WATCHED, "password": None}, "at least 8"),
        ({"mode": "watch", "secret": WATCHED, "networks": []}, "at least one network"),
        ({"mode": "watch", "secret": WATCHED, "networks": ["Main"]}, "Unknown network"),
        ({"mode": "watch", "secret": WATCHED, "networks": [7]}, "Unknown network"),
        ({"mode": "watch", "secret": WATCHED, "name": "a\u202eb"}, "invisible"),
        ({"mode": "watch", "secret": WATCHED, "name": "x" * 65}, "longer than 64"),
        ({"mode": "watch", "secret": WATCHED, "use_keyring": "yes"}, "yes or no"),
    ],
)
def test_malformed_plans_are_refused_before_anything_is_made(
    paths: Paths, kwargs: dict[str, Any], message: str
) -> None:
    kwargs = {"password": PASSWORD, **kwargs}
    with pytest.raises(InvalidInput, match=message):
        WalletPlan(**kwargs)
    assert not paths.data_dir.exists()


def test_answer_checks_for_the_front_ends() -> None:
    assert onboarding.check_password(PASSWORD, PASSWORD) == PASSWORD
    with pytest.raises(InvalidInput, match="differ"):
        onboarding.check_password(PASSWORD, PASSWORD + "!")
    assert onboarding.check_networks(["Base", "Base", " Polygon "]) == ("Base", "Polygon")
    assert onboarding.check_networks("Ethereum") == ("Ethereum",)
    assert onboarding.check_name("   ") is None
    with pytest.raises(InvalidInput, match="nothing to type"):
        onboarding.check_secret("create", "anything")


def test_a_second_create_on_the_same_home_is_refused_and_loses_nothing(paths: Paths) -> None:
    new = confirmed_phrase()
    first_words = " ".join(new.words)
    plan = WalletPlan("create", password=PASSWORD, new_phrase=new)
    create_wallet(paths, plan).store.close()
    key_file = paths.key_file.read_bytes()
    # The same plan again (a double click), and another wallet altogether.
    with pytest.raises(StoreError, match="A Warden wallet already exists") as caught:
        create_wallet(paths, plan)
    assert "nothing was changed" in caught.value.user_message()
    with pytest.raises(StoreError, match="A Warden wallet already exists"):
        create_wallet(paths, WalletPlan("key", KEY0, "another password"))
    assert paths.key_file.read_bytes() == key_file
    assert sorted(p.name for p in paths.data_dir.iterdir() if "warden" in p.name) == [
        "warden.db",
        "warden.key",
        "warden.lock",  # the data folder's writer lock (empty)
    ]
    store = Store.open(paths, PASSWORD)
    try:
        with store.session() as s:
            assert s.scalars(select(Secret.value)).one() == first_words
            assert s.scalar(select(func.count()).select_from(Account)) == 1
    finally:
        store.close()


def test_two_creators_at_once_in_one_process_one_wins(paths: Paths) -> None:
    """Two workers (two windows of one app) submit at the same moment."""
    start = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def run(label: str, plan: WalletPlan) -> None:
        start.wait()
        try:
            made = create_wallet(paths, plan, wait_s=60)
            made.store.close()
            outcomes[label] = made.account.address
        except StoreError as exc:
            outcomes[label] = exc

    plans = {
        "key": WalletPlan("key", KEY0, "password one"),
        "watch": WalletPlan("watch", WATCHED, "password two"),
    }
    threads = [threading.Thread(target=run, args=item) for item in plans.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    won = [label for label, o in outcomes.items() if isinstance(o, str)]
    lost = [o for o in outcomes.values() if isinstance(o, StoreError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "A Warden wallet already exists" in str(lost[0])
    password = {"key": "password one", "watch": "password two"}[won[0]]
    store = Store.open(paths, password)
    try:
        with store.session() as s:
            assert [a.address for a in accounts.list_accounts(s)] == [outcomes[won[0]]]
    finally:
        store.close()


_CHILD = """
import sys
from pathlib import Path
from app.config import Paths
from app.errors import StoreError
from app.store import keys
from app.wallet.onboarding import WalletPlan, create_wallet
keys.DEFAULT_KDF = keys.KdfParams(1, 8 * 1024, 1)
root = Path(sys.argv[1])
paths = Paths(root / "data", root / "config", root / "cache", root / "logs")
plan = WalletPlan("watch", sys.argv[2], sys.argv[3], use_keyring=False)
sys.stdout.write("ready\\n"); sys.stdout.flush(); sys.stdin.readline()
try:
    create_wallet(paths, plan, wait_s=60).store.close()
except StoreError as exc:
    print("refused:", exc); sys.exit(3)
print("created")
"""


@pytest.mark.slow
def test_two_processes_at_once_one_wins_and_the_store_opens(paths: Paths) -> None:
    """Two real processes (two ``warden init`` or an app and a script) race on one home."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    root = str(paths.data_dir.parent)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, root, WATCHED, f"password {i}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for i in (1, 2)
    ]
    for c in children:  # both imported and waiting: release them together
        assert c.stdout is not None and c.stdout.readline().strip() == "ready"
    for c in children:
        assert c.stdin is not None
        c.stdin.write("go\n")
        c.stdin.flush()
    results = [(c.wait(timeout=120), c.communicate()) for c in children]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 3], results
    winner = next(i for i, (code, _) in enumerate(results, 1) if code == 0)
    loser_out = next(out for code, (out, _) in results if code == 3)
    assert "A Warden wallet already exists" in loser_out or "already running" in loser_out
    store = Store.open(paths, f"password {winner}")
    try:
        with store.session() as s:
            assert [a.address for a in accounts.list_accounts(s)] == [WATCHED]
    finally:
        store.close()


def test_a_failure_inside_the_transaction_leaves_no_half_wallet(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection (a disk that fails mid-way cannot be had here): the presets step raises
    after the store exists. The empty store is set aside, not deleted, and a retry works."""
    real = networks.ensure_presets

    def broken(session: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(networks, "ensure_presets", broken)
    plan = WalletPlan("watch", WATCHED, PASSWORD)
    with pytest.raises(OSError, match="disk full"):
        create_wallet(paths, plan)
    assert not Store.exists(paths) and not paths.key_file.exists()
    kept = sorted(p.name.split("-")[0] for p in paths.data_dir.glob("warden.*.unfinished*"))
    assert kept == ["warden.db.unfinished", "warden.key.unfinished"]
    monkeypatch.setattr(networks, "ensure_presets", real)
    made = create_wallet(paths, plan)
    made.store.close()
    assert made.account.address == WATCHED


@pytest.mark.keyring
@pytest.mark.skipif(
    not REAL_KEYRING,
    reason="needs a real Secret Service: run under `dbus-run-session -- bash "
    "packaging/with-keyring.sh` (it sets WARDEN_TEST_KEYRING=1)",
)
def test_keyring_choice_with_a_real_secret_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails (never skips) when WARDEN_TEST_KEYRING=1 but the keyring does not work."""
    assert keys.secure_backend() is not None, f"no secure keyring: {keyring.get_keyring()!r}"

    def home(name: str) -> Paths:
        root = tmp_path / name
        return Paths(root / "data", root / "config", root / "cache", root / "logs")

    kept, refused, broken = home("kept"), home("refused"), home("broken")
    try:
        made = create_wallet(kept, WalletPlan("watch", WATCHED, PASSWORD, use_keyring=True))
        made.store.close()
        assert made.keyring_used
        Store.open(kept).close()  # the keyring alone opens it

        made = create_wallet(refused, WalletPlan("watch", WATCHED, PASSWORD, use_keyring=False))
        made.store.close()
        assert not made.keyring_used
        assert keys.keyring_load(refused.store_file) is None
        with pytest.raises(StoreLocked):
            Store.open(refused)

        # A failed create takes its keyring entry away with the set-aside store.
        def fails(session: Any) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(networks, "ensure_presets", fails)
        with pytest.raises(OSError):
            create_wallet(broken, WalletPlan("watch", WATCHED, PASSWORD, use_keyring=True))
        assert keys.keyring_load(broken.store_file) is None
    finally:
        for p in (kept, refused, broken):
            keys.keyring_delete(p.store_file)
