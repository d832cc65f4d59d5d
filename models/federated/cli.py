"""``warden train federated``: a local federated run (one Flower server, N simulated users).

Registered by ``warden/commands/train.py`` under ``warden train`` (``register(tsub)``). Each
simulated user gets a throwaway encrypted store filled with different synthetic feedback;
everything heavy (torch, transformers, peft, flwr, opacus) is imported inside the handler.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path
from typing import Any

NEEDS = ("torch", "transformers", "peft", "flwr", "opacus")


def register(sub: Any) -> None:
    """Add ``federated`` to the ``warden train`` sub-commands (``sub``: its subparsers)."""
    p = sub.add_parser(
        "federated",
        help="federated LoRA fine-tuning with differential privacy (local Flower simulation)",
        description=(
            "Runs a Flower server on 127.0.0.1 and --clients simulated users, each with its "
            "own encrypted store of synthetic feedback. Each user trains the LoRA adapter "
            "with DP-SGD (per-example clipping + Gaussian noise); only the adapter's weights "
            "travel; the server averages them (FedAvg). Prints each round's privacy budget."
        ),
    )
    p.add_argument("--clients", type=int, default=3, help="simulated users (at least 2)")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--examples", type=int, default=6, help="feedback items per user")
    p.add_argument("--steps", type=int, default=4, help="local DP-SGD steps per round")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--noise", type=float, default=1.0, help="noise multiplier (0: no DP)")
    p.add_argument("--clip", type=float, default=1.0, help="per-example gradient norm bound")
    p.add_argument("--delta", type=float, default=1e-5)
    p.add_argument("--sample-rate", type=float, default=0.5, help="Poisson sampling rate")
    p.add_argument("--rank", type=int, default=8)
    p.add_argument("--max-len", type=int, default=320, help="longer examples are skipped")
    p.add_argument(
        "--tiny-model",
        action="store_true",
        help="a toy random model with SmolLM2's architecture instead of SmolLM2 (seconds)",
    )
    p.add_argument("--work", type=Path, default=Path("build/training"), help="work folder")
    p.add_argument(
        "--seed", type=int, default=7, help="fixes the start, sampling and noise (a simulation)"
    )
    p.set_defaults(func=cmd_federated)


def cmd_federated(args: argparse.Namespace) -> int:
    import importlib.util

    from app.errors import InvalidInput, WardenError
    from models.federated.privacy import LocalConfig, PrivacyConfig

    missing = [m for m in NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        raise WardenError(
            f"Federated training needs {', '.join(missing)}, which are not installed.",
            hint="Install the extra: pip install 'warden[train]' (torch==2.13.0, CPU build).",
        )
    try:
        privacy = PrivacyConfig(
            noise_multiplier=args.noise,
            max_grad_norm=args.clip,
            delta=args.delta,
            sample_rate=args.sample_rate,
        )
    except ValueError as e:
        raise InvalidInput(f"Bad privacy setting: {e}.", hint="Nothing was run.") from e
    if args.clients < 2 or args.rounds < 1 or args.examples < 1 or args.steps < 1:
        raise InvalidInput(
            "Use at least 2 clients, 1 round, 1 example and 1 step.", hint="Nothing was run."
        )
    from app.store import open_throwaway
    from models.federated.simulate import run_federated, tiny_base
    from models.federated.synthetic import synthetic_feedback
    from models.training.feedback import add_feedback
    from models.training.loop import load_base, load_tokenizer

    out = args.work / "federated"
    out.mkdir(parents=True, exist_ok=True)
    tok = load_tokenizer()
    base = tiny_base(len(tok), seed=args.seed) if args.tiny_model else load_base()
    print("round  clients  examples  loss    epsilon  delta   seconds")

    def show(r: Any) -> None:
        eps = "inf" if math.isinf(r.epsilon) else f"{r.epsilon:.2f}"
        print(
            f"{r.round:5d}  {r.clients:7d}  {r.examples:8d}  {r.loss:6.3f}  "
            f"{eps:>7}  {r.delta:.0e}  {r.seconds:7.1f}"
        )

    with tempfile.TemporaryDirectory(prefix="warden-fed-") as tmp:
        stores = []
        try:
            for i in range(args.clients):
                store = open_throwaway(Path(tmp) / f"user-{i + 1}")
                stores.append(store)
                for kind, payload in synthetic_feedback(i, args.examples, seed=args.seed):
                    add_feedback(store, kind, payload)
            result = run_federated(
                stores,
                base,
                tok,
                rounds=args.rounds,
                privacy=privacy,
                local=LocalConfig(steps=args.steps, lr=args.lr, max_len=args.max_len),
                rank=args.rank,
                alpha=2 * args.rank,
                seed=args.seed,
                on_round=show,
            )
        finally:
            for store in stores:
                store.close()
    summary: dict[str, Any] = {
        "rounds": [vars(r) for r in result.reports],
        "model": "tiny" if args.tiny_model else "SmolLM2-135M-Instruct",
        "privacy": vars(privacy) | {"unit": "one feedback example of one user"},
        "seconds": result.seconds,
    }
    if not args.tiny_model:
        from models.training.export import export_adapter

        result.model.save_pretrained(out / "adapter")
        gguf = export_adapter(out / "adapter", out / "federated.lora.gguf")
        summary["adapter"] = str(gguf)
        print(f"adapter: {gguf}")
    (out / "rounds.json").write_text(json.dumps(summary, indent=2, default=str))
    print(f"figures: {out / 'rounds.json'}")
    return 0
