"""The parts of ``warden federate`` that need no federation: certificates and keys (real TLS
handshake against a real socket server), the privacy ledger's ceiling (opacus's accountant),
the Flower App project (checked by Flower's own validator), settings that fail closed, and
the command's refusals before anything starts."""

from __future__ import annotations

import argparse
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest

from app.errors import InvalidInput, NetworkError

pytest.importorskip("flwr", reason="the 'train' extra is not installed")
pytest.importorskip("opacus", reason="the 'train' extra is not installed")


def _tls_server(cert: Path, key: Path) -> tuple[int, threading.Thread]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = socket.create_server(("127.0.0.1", 0))
    port = srv.getsockname()[1]

    def serve() -> None:
        with srv:
            conn, _ = srv.accept()
            try:
                with ctx.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return port, t


def test_the_pinned_ca_verifies_the_server_and_another_ca_does_not(tmp_path: Path) -> None:
    from models.federated.certs import make_server_certs
    from models.federated.processes import wait_tls_ready

    ours = make_server_certs(tmp_path / "ours", ["127.0.0.1", "localhost"])
    other = make_server_certs(tmp_path / "other", ["127.0.0.1"])
    assert ours.key.stat().st_mode & 0o777 == 0o600
    port, t = _tls_server(ours.cert, ours.key)
    wait_tls_ready("127.0.0.1", port, ours.ca, deadline=time.monotonic() + 30, proc=None)
    t.join(10)
    port, t = _tls_server(ours.cert, ours.key)
    with pytest.raises(NetworkError, match="not signed by the pinned CA"):
        wait_tls_ready("127.0.0.1", port, other.ca, deadline=time.monotonic() + 30, proc=None)
    t.join(10)


def test_node_keys_are_what_flower_reads(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import load_ssh_private_key
    from flwr.cli.supernode.register import try_load_public_key

    from models.federated.certs import check_public_key, make_node_keys

    keys = make_node_keys(tmp_path)
    assert keys.private.stat().st_mode & 0o777 == 0o600
    load_ssh_private_key(keys.private.read_bytes(), password=None)  # flower-supernode's loader
    assert try_load_public_key(keys.public)  # flwr supernode register's loader
    assert check_public_key(keys.public).startswith(b"ecdsa-sha2-nistp384 ")
    bad = tmp_path / "bad.pub"
    bad.write_text("ssh-ed25519 AAAA not a key")
    with pytest.raises(ValueError):
        check_public_key(bad)


def test_the_ledger_refuses_a_round_past_the_ceiling_and_keeps_counting(tmp_path: Path) -> None:
    from opacus.accountants import RDPAccountant

    from models.federated.ledger import PrivacyLedger

    path = tmp_path / "ledger.json"
    ledger = PrivacyLedger.open(path, 1e-5)
    assert ledger.epsilon() == 0.0
    first = ledger.check(1.0, 0.5, 4, ceiling=100.0)
    ledger.record(1.0, 0.5, 4)
    again = PrivacyLedger.open(path, 1e-5)  # read back from disk
    assert again.epsilon() == pytest.approx(first)
    ref = RDPAccountant()
    ref.history = [(1.0, 0.5, 8)]
    assert again.check(1.0, 0.5, 4, ceiling=100.0) == pytest.approx(ref.get_epsilon(1e-5))
    with pytest.raises(InvalidInput, match="past the ceiling"):
        again.check(1.0, 0.5, 4, ceiling=first)
    assert again.epsilon((0.0, 0.5, 1)) == float("inf")  # a noiseless step: no guarantee
    with pytest.raises(InvalidInput, match="delta"):
        PrivacyLedger.open(path, 1e-6)
    path.write_text("{not json")
    with pytest.raises(InvalidInput, match="cannot be read"):
        PrivacyLedger.open(path, 1e-5)


def test_the_app_project_passes_flowers_validation(tmp_path: Path) -> None:
    import tomllib

    from flwr.common.config import validate_config

    from models.federated.fab import write_app

    folder = write_app(tmp_path / "app", {"model": "tiny", "rounds": 2, "noise": 1.0})
    config = tomllib.loads((folder / "pyproject.toml").read_text())
    ok, errors, _ = validate_config(config, check_module=True, project_dir=folder)
    assert ok, errors
    assert config["tool"]["flwr"]["app"]["config"] == {"model": "tiny", "rounds": 2, "noise": 1.0}
    with pytest.raises(ValueError, match="quotes"):
        write_app(tmp_path / "bad", {"model": 'x"\nrm = 1'})


@pytest.mark.parametrize(
    "cfg",
    [{"model": "gpt"}, {"rank": 0}, {"noise": -1.0}, {"sample-rate": 2.0}, {"lr": "fast"}],
)
def test_run_settings_fail_closed(cfg: dict[str, object]) -> None:
    from models.federated.task import RunSettings

    with pytest.raises(ValueError):
        RunSettings.from_config(cfg)


def test_heldout_examples_are_never_trained_on() -> None:
    from models.federated.task import split_heldout

    records = [{"i": i} for i in range(9)]
    train, held = split_heldout(records)
    assert [r["i"] for r in held] == [3, 7] and len(train) == 7
    assert not any(r in train for r in held)
    assert split_heldout([{"i": 0}, {"i": 1}])[1] == [{"i": 1}]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["serve", "--noise", "0"], "DP noise"),
        (["serve", "--min-clients", "1"], "at least 2 clients"),
        (["serve", "--model", "tiny"], "No certificates"),
        (["join", "127.0.0.1:1"], "CA certificate"),
        (["join", "nowhere", "--ca", "x"], "HOST:PORT"),
        (["leave"], "not taking part"),
    ],
)
def test_the_commands_refuse_before_starting_anything(
    argv: list[str], message: str, tmp_path: Path
) -> None:
    from warden.commands.federate import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    where = ["--state", str(tmp_path / "s")] if argv[0] == "serve" else []
    where = ["--node", str(tmp_path / "n")] if argv[0] in ("join", "leave") else where
    args = parser.parse_args(["federate", *argv, *where])
    with pytest.raises(InvalidInput, match=message):
        args.func(args)
    assert not (tmp_path / "s" / "superlink.log").exists()


def test_federate_is_reachable_from_the_console_command() -> None:
    from warden.cli import build_parser

    args = build_parser().parse_args(["federate", "status"])
    assert callable(args.func)
