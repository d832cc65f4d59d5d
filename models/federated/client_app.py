"""The Flower ClientApp a SuperNode runs for this wallet (``warden federate join``).

Flower starts one short process per message, so this module imports nothing heavy at the top:
the SecAgg+ stages that only exchange keys stay quick, and torch is loaded only to train or
to score. What it reads, from the node's folder (``node_config["data"]``):

- ``examples.json``: this wallet's training examples, anonymized by ``join`` before they were
  written (``models.federated.examples.prepare_examples``, with the wallet's names), and
  passed through the same layer again here before anything is tokenized (``_records``);
- ``ledger.json``: the privacy spent so far (``ledger.PrivacyLedger``);
- ``local.npz``: the adapter this wallet uses now, the one an aggregate has to beat.

What leaves: the adapter's arrays after DP-SGD (masked by SecAgg+, so the server sees only the
sum), the number of examples, epsilon and delta; after the last round, whether the aggregate
was adopted. Never the examples, the scores or the loss.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

EXAMPLES = "examples.json"
LEDGER = "ledger.json"
LOCAL = "local.npz"
STATUS = "status.json"
TRAINING = "training.json"  # written when a round's training starts (tests watch it)


def read_status(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / STATUS).read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _update_status(folder: Path, **changes: Any) -> None:
    from models.federated.ledger import write_json

    write_json(folder / STATUS, read_status(folder) | changes)


class AdapterClient:
    """What the ClientApp does with a round's messages (wrapped as a Flower NumPyClient by
    ``make_app``, so this module imports no flwr at the top)."""

    def __init__(self, folder: Path, run_config: Any, ceiling: float) -> None:
        from models.federated.task import RunSettings

        self.folder = folder
        self.settings = RunSettings.from_config(run_config)
        self.ceiling = ceiling

    def _records(self) -> list[Any]:
        """The examples, through the anonymization layer once more: whatever wrote the file,
        an example with a secret is not trained on and identifying values are placeholders."""
        from app.errors import InvalidInput
        from models.federated.examples import scrub_records

        try:
            records = json.loads((self.folder / EXAMPLES).read_text())
        except (OSError, ValueError) as e:
            raise InvalidInput(
                "This node has no examples to learn from.",
                hint="Run 'warden federate join' again; it prepares them.",
            ) from e
        records = scrub_records(records) if isinstance(records, list) else []
        if not records:
            raise InvalidInput(
                "This node has no examples to learn from.",
                hint="Run 'warden federate join' again; it prepares them.",
            )
        return records

    def fit(self, parameters: list[Any], config: dict[str, Any]) -> tuple[list[Any], int, dict]:
        import numpy as np

        from models.federated.ledger import PrivacyLedger
        from models.federated.params import get_weights, set_weights
        from models.federated.privacy import DPTrainer, LocalConfig, PrivacyConfig, encode_records
        from models.federated.task import build_model, split_heldout

        s = self.settings
        rnd = int(config.get("round", 0))
        ledger = PrivacyLedger.open(self.folder / LEDGER, s.delta)
        try:
            after = ledger.check(s.noise, s.sample_rate, s.steps, self.ceiling)
        except Exception as e:
            _update_status(self.folder, refused=str(e), epsilon=ledger.epsilon())
            raise
        (self.folder / TRAINING).write_text(json.dumps({"round": rnd}))
        started = time.monotonic()
        train, _ = split_heldout(self._records())
        model, tok = build_model(s)
        if not (self.folder / LOCAL).exists():
            # no adapter of its own yet: the federation's starting point is the local model
            np.savez(self.folder / LOCAL, *parameters)
        set_weights(model, parameters)
        encoded = encode_records(tok, train, s.max_len)
        if not encoded:
            from app.errors import InvalidInput

            raise InvalidInput("No example of this node is short enough to train on.")
        pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        privacy = PrivacyConfig(
            noise_multiplier=s.noise, max_grad_norm=s.clip, delta=s.delta, sample_rate=s.sample_rate
        )
        DPTrainer(model, encoded, pad, privacy, seed=None).train_round(
            LocalConfig(steps=s.steps, lr=s.lr, max_len=s.max_len)
        )
        ledger.record(s.noise, s.sample_rate, s.steps)
        rounds = [*read_status(self.folder).get("rounds", []), {"round": rnd, "epsilon": after}]
        _update_status(
            self.folder,
            epsilon=after,
            delta=s.delta,
            ceiling=self.ceiling,
            rounds=rounds,
            seconds=time.monotonic() - started,
            refused=None,
        )
        return get_weights(model), len(encoded), {"epsilon": after, "delta": s.delta}

    def evaluate(self, parameters: list[Any], config: dict[str, Any]) -> tuple[float, int, dict]:
        """Adopt the aggregate only if it does at least as well as the local adapter on this
        wallet's held-out examples; the scores stay here."""
        import numpy as np

        from models.federated.params import set_weights
        from models.federated.task import build_model, heldout_loss, split_heldout

        s = self.settings
        _, held = split_heldout(self._records())
        model, tok = build_model(s)
        set_weights(model, parameters)
        aggregate = heldout_loss(model, tok, held, s.max_len)
        local_path = self.folder / LOCAL
        if local_path.exists():
            with np.load(local_path) as z:
                set_weights(model, [z[k] for k in sorted(z.files, key=lambda k: int(k[4:]))])
            local = heldout_loss(model, tok, held, s.max_len)
        else:
            local = float("inf")
        adopted = aggregate <= local
        if adopted:
            np.savez(local_path, *parameters)
        _update_status(
            self.folder,
            aggregate_loss=aggregate,
            local_loss=local,
            heldout=len(held),
            adopted=adopted,
        )
        return 0.0, max(1, len(held)), {"adopted": float(adopted)}


def client_fn(context: Any) -> Any:
    """The Flower client for one message: this node's folder and ceiling from its config."""
    from flwr.client import NumPyClient

    class Client(NumPyClient):  # type: ignore[misc]
        def __init__(self, inner: AdapterClient) -> None:
            self.inner = inner

        def fit(self, parameters: list[Any], config: dict[str, Any]) -> Any:
            return self.inner.fit(parameters, config)

        def evaluate(self, parameters: list[Any], config: dict[str, Any]) -> Any:
            return self.inner.evaluate(parameters, config)

    folder = Path(str(context.node_config["data"]))
    ceiling = float(context.node_config.get("epsilon-ceiling", 8.0))
    return Client(AdapterClient(folder, context.run_config, ceiling)).to_client()


def make_app() -> Any:
    """The ClientApp (SecAgg+ mod first); the generated app module calls this."""
    from flwr.client import ClientApp
    from flwr.client.mod import secaggplus_mod

    return ClientApp(client_fn=client_fn, mods=[secaggplus_mod])
