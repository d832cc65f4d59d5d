"""A local federated run: one Flower server and N clients on 127.0.0.1, each client a separate
user with its own encrypted store of feedback, anonymized before it becomes training text.

The server and the clients run in threads of this process (a real gRPC server and real gRPC
connections between them); each client holds its own copy of the frozen base with its own
LoRA adapter, so the base is never sent, and nothing but the adapter's arrays and a few numbers
crosses the connection.
"""

from __future__ import annotations

import copy
import functools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.errors import InvalidInput, ModelError
from models.federated.privacy import LocalConfig, PrivacyConfig


@dataclass
class FederatedResult:
    reports: list[Any]  # flower.RoundReport per round
    initial: list[np.ndarray]
    final: list[np.ndarray]
    strategy: Any  # the server's strategy, with what it received
    clients: list[Any]  # the Flower clients (tests read what each sent)
    records: list[list[dict[str, Any]]] = field(repr=False)  # each client's training text
    model: Any = field(repr=False, default=None)  # a LoRA model holding the final adapter
    seconds: float = 0.0


def store_records(store: Any) -> list[dict[str, Any]]:
    """One user's training examples from their store's feedback, anonymized
    (``models.training.feedback.feedback_records`` scrubs every text with the anonymizer)."""
    from models.training.feedback import feedback_records, load_feedback

    records = feedback_records(load_feedback(store))
    if not records:
        raise InvalidInput(
            "This store holds no usable feedback to learn from.",
            hint="Mark a few explanations as helpful or correct a few intent parses first.",
        )
    return records


def run_federated(
    stores: Sequence[Any],
    base: Any,
    tok: Any,
    *,
    rounds: int = 2,
    privacy: PrivacyConfig | None = None,
    local: LocalConfig | None = None,
    rank: int = 8,
    alpha: int = 16,
    seed: int | None = 7,
    address: str | None = None,
    threads: int = 1,
    timeout: float = 3600.0,
    on_round: Callable[[Any], None] | None = None,
) -> FederatedResult:
    """FedAvg with client-side DP-SGD over ``len(stores)`` users for ``rounds`` rounds.

    ``base``: the frozen base model (each client gets a copy with its own adapter);
    ``seed``: fixes the adapter's start, the sampling and the noise (None: OS entropy for
    sampling and noise); ``threads``: torch threads per client (CPU-friendly default 1)."""
    import torch

    from models.federated import flower
    from models.federated.params import get_weights, set_weights
    from models.federated.privacy import DPTrainer, encode_records, quiet_warnings
    from models.training.parent import lora_model

    privacy = privacy or PrivacyConfig()
    local = local or LocalConfig()
    if len(stores) < 2:
        raise InvalidInput("Federated training needs at least two clients.")
    if rounds < 1:
        raise InvalidInput("Federated training needs at least one round.")
    records = [store_records(s) for s in stores]
    quiet_warnings()
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    before = torch.get_num_threads()
    torch.set_num_threads(max(1, threads))
    try:
        if seed is not None:
            torch.manual_seed(seed)
        models, clients = [], []
        for i, recs in enumerate(records):
            encoded = encode_records(tok, recs, local.max_len)
            if not encoded:
                raise InvalidInput(
                    f"Client {i + 1}'s feedback has no example short enough to train on.",
                    hint=f"Raise the length limit (now {local.max_len} tokens).",
                )
            model = lora_model(copy.deepcopy(base), rank, alpha)
            trainer = DPTrainer(
                model, encoded, pad, privacy, seed=None if seed is None else seed + 101 * i
            )
            models.append(model)
            clients.append(flower.make_client(model, trainer, local, len(encoded)))
        initial = get_weights(models[0])
        strategy = flower.make_strategy(initial, len(clients))
        # Port 0: the OS picks a free port as the server binds it (a port picked here and
        # bound later could be taken in between).
        address = address or "127.0.0.1:0"
        errors: list[BaseException] = []

        def guarded(fn: Callable[[], Any]) -> Callable[[], None]:
            def run() -> None:
                try:
                    fn()
                except BaseException as e:  # noqa: BLE001  (reported by the caller's thread)
                    errors.append(e)

            return run

        bound: list[str] = []
        listening = threading.Event()

        def on_listening(at: str) -> None:
            bound.append(at)
            listening.set()

        def run_server() -> None:
            serve = guarded(
                lambda: flower.serve(strategy, rounds, address, on_listening=on_listening)
            )
            serve()
            listening.set()  # a server that failed (its error recorded) wakes the wait too

        started = time.monotonic()
        deadline = started + timeout
        server = threading.Thread(target=run_server, daemon=True)
        server.start()
        # The clients dial only once the server is listening, and the address it bound.
        listening.wait(timeout=timeout)
        if not bound:
            if errors:
                raise ModelError(f"The federated server did not start: {errors[0]}") from errors[0]
            raise ModelError(f"The federated server did not start within {timeout:.0f} s.")
        workers = [
            threading.Thread(
                target=guarded(functools.partial(flower.join, c, bound[0])), daemon=True
            )
            for c in clients
        ]
        for w in workers:
            w.start()
        # Poll rather than join: a failed client would leave the server waiting for it.
        alive = [server, *workers]
        while any(t.is_alive() for t in alive) and not errors:
            if time.monotonic() > deadline:
                raise ModelError(f"The federated run did not finish within {timeout:.0f} s.")
            time.sleep(0.05)
        if errors:
            raise ModelError(f"The federated run failed: {errors[0]}") from errors[0]
        if len(strategy.reports) != rounds:
            raise ModelError(
                f"The federated run finished {len(strategy.reports)} of {rounds} rounds."
            )
        for r in strategy.reports:
            if on_round:
                on_round(r)
        set_weights(models[0], strategy.aggregates[-1])
        return FederatedResult(
            reports=strategy.reports,
            initial=initial,
            final=strategy.aggregates[-1],
            strategy=strategy,
            clients=clients,
            records=records,
            model=models[0],
            seconds=time.monotonic() - started,
        )
    finally:
        torch.set_num_threads(before)


def tiny_base(vocab_size: int, *, seed: int = 0, layers: int = 2) -> Any:
    """A randomly initialised LlamaForCausalLM with SmolLM2's architecture at toy size
    (2 layers by default, width 32): fast enough for a CI round trip; it learns nothing useful."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
    )
    return LlamaForCausalLM(cfg).eval()
