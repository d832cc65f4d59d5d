"""`warden train federated` is reachable from the console command."""

from __future__ import annotations


def test_federated_is_a_train_step() -> None:
    from warden.cli import build_parser

    args = build_parser().parse_args(["train", "federated", "--clients", "2", "--rounds", "1"])
    assert callable(args.func)
    assert (args.clients, args.rounds) == (2, 1)
