"""``warden train data|parent|child|export|personalize|intent`` and ``warden eval``.

Each step is one command with a fixed seed, a progress bar and a resumable checkpoint in the
work folder (``build/training`` by default). torch, transformers and peft are imported inside
the handlers only: they are the optional ``train`` extra, never needed to run the wallet.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_WORK = Path("build/training")
DEFAULT_CASES = REPO.parent / "shared" / "review-cases"
SHIPPED = REPO / "models" / "shipped"
SHIPPED_ADAPTER = SHIPPED / "warden-smollm2-135m.lora.gguf"
CHILD_FILE = "warden-child.Q8_0.gguf"
ADAPTER_FILE = "warden-parent.lora.gguf"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--work", type=Path, default=DEFAULT_WORK, help="work folder (checkpoints)")
    p.add_argument("--seed", type=int, default=7)


def _loop(p: argparse.ArgumentParser, steps: int, batch: int, lr: float) -> None:
    p.add_argument("--steps", type=int, default=steps)
    p.add_argument("--batch", type=int, default=batch)
    p.add_argument("--lr", type=float, default=lr)
    p.add_argument("--max-len", type=int, default=320, help="longer examples are skipped")


def register(sub: Any) -> None:
    p = sub.add_parser("train", help="training pipeline (needs the 'train' extra)")
    tsub = p.add_subparsers(dest="train_cmd", metavar="STEP", required=True)
    t = tsub.add_parser("data", help="generate training and held-out data (teacher: the rules)")
    _common(t)
    t.add_argument("--tiny", action="store_true", help="a handful of examples (CI)")
    t.set_defaults(func=cmd_data)
    t = tsub.add_parser("parent", help="LoRA reasoning fine-tuning of the bundled SmolLM2")
    _common(t)
    _loop(t, 120, 8, 1e-3)
    t.add_argument("--rank", type=int, default=8)
    t.set_defaults(func=cmd_parent)
    t = tsub.add_parser("child", help="distil the parent into a smaller child")
    _common(t)
    _loop(t, 120, 8, 3e-4)
    t.add_argument("--layers", type=int, default=12)
    t.set_defaults(func=cmd_child)
    t = tsub.add_parser("export", help="write the GGUF adapter and child model")
    _common(t)
    t.add_argument("--ship", action="store_true", help="also copy the adapter to models/shipped")
    t.set_defaults(func=cmd_export)
    t = tsub.add_parser("personalize", help="fine-tune a personal adapter from your feedback")
    _common(t)
    _loop(t, 30, 4, 5e-4)
    t.add_argument("--adapter", type=Path, default=SHIPPED_ADAPTER, help="adapter to start from")
    t.add_argument("--out", type=Path, default=None, help="where to write the personal adapter")
    t.set_defaults(func=cmd_personalize)
    t = tsub.add_parser(
        "intent",
        help="fine-tune the action choice of 'warden intent': data|parent|child|export|val",
    )
    from models.training.intent_train import configure

    configure(t)
    t.set_defaults(func=cmd_intent)
    from models.federated.cli import register as register_federated

    register_federated(tsub)

    e = sub.add_parser("eval", help="score base, parent, child, personalized and templates")
    _common(e)
    e.add_argument(
        "--models", default="base,parent,child", help="comma list of base,parent,child,personal"
    )
    e.add_argument("--personal", type=Path, default=None, help="a personal adapter to score")
    e.add_argument("--limit", type=int, default=40, help="held-out generated cases to score")
    e.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="review-case folder")
    e.add_argument("--no-intents", action="store_true", help="skip the intent set")
    e.add_argument("--json", type=Path, default=None, help="also write all results here")
    e.add_argument(
        "--threads", type=int, default=None, help="llama.cpp threads (default: as the app)"
    )
    e.add_argument(
        "--intent-limit", type=int, default=None, help="N labelled sentences, evenly spread"
    )
    e.set_defaults(func=cmd_eval)


def _need_torch() -> None:
    import importlib.util

    from app.errors import WardenError

    missing = [m for m in ("torch", "transformers", "peft") if importlib.util.find_spec(m) is None]
    if missing:
        raise WardenError(
            f"Training needs {', '.join(missing)}, which are not installed.",
            hint="Install the extra: pip install 'warden[train]' (torch==2.13.0, CPU build).",
        )


def _cfg(args: argparse.Namespace) -> Any:
    from models.training.loop import TrainConfig

    return TrainConfig(
        steps=args.steps, batch_size=args.batch, lr=args.lr, max_len=args.max_len, seed=args.seed
    )


def cmd_data(args: argparse.Namespace) -> int:
    from models.intents import DATA_FILE
    from models.training.data import TINY_SIZES, build

    counts = build(
        args.work / "data",
        seed=args.seed,
        sizes=TINY_SIZES if args.tiny else None,
        intents=DATA_FILE,
    )
    print(json.dumps(counts))
    return 0


def cmd_parent(args: argparse.Namespace) -> int:
    _need_torch()
    from models.training.parent import train_parent

    out = train_parent(
        args.work / "data", args.work, _cfg(args), rank=args.rank, alpha=2 * args.rank
    )
    print(f"parent adapter: {out}")
    return 0


def cmd_child(args: argparse.Namespace) -> int:
    _need_torch()
    from models.training.child import train_child

    out = train_child(args.work / "data", args.work, _cfg(args), child_layers=args.layers)
    print(f"child model: {out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from models.training.export import export_adapter, export_child

    out = args.work / "export"
    out.mkdir(parents=True, exist_ok=True)
    done = []
    if (args.work / "parent" / "adapter").exists():
        done.append(export_adapter(args.work / "parent" / "adapter", out / ADAPTER_FILE))
    if (args.work / "child" / "model").exists():
        done.append(export_child(args.work / "child" / "model", out / CHILD_FILE))
    if not done:
        from app.errors import InvalidInput

        raise InvalidInput("Nothing to export.", hint="Run 'warden train parent' first.")
    if args.ship and (out / ADAPTER_FILE).exists():
        SHIPPED.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / ADAPTER_FILE, SHIPPED_ADAPTER)
        done.append(SHIPPED_ADAPTER)
    for path in done:
        print(f"{path}  {path.stat().st_size / 1_048_576:.1f} MB")
    return 0


def cmd_intent(args: argparse.Namespace) -> int:
    """``models.training.intent_train`` under ``warden train intent`` (its own options)."""
    if args.intent_cmd in ("parent", "child", "val"):
        _need_torch()
    from models.training.intent_train import run

    run(args)
    return 0


def cmd_personalize(args: argparse.Namespace) -> int:
    _need_torch()
    from app.config import default_paths
    from models.training.personalize import personalize
    from warden.context import open_store

    paths = default_paths().ensure()
    out = args.out or paths.models_dir / "personal.lora.gguf"
    out.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(paths)
    try:
        result = personalize(store, args.adapter, out, args.work / "personal", _cfg(args))
    finally:
        store.close()
    register_personal(paths.models_dir, out)
    print(json.dumps({k: v for k, v in result.items() if k != "losses"}))
    return 0


PERSONAL_NAME = "smollm2-135m-personal"


def register_personal(models_dir: Path, adapter: Path) -> None:
    """Make the adapter a catalog model: the bundled file (referenced) with it applied."""
    from models.bundled import bundled_model_path
    from models.catalog import Catalog

    catalog = Catalog(models_dir)
    if PERSONAL_NAME not in catalog.names():
        catalog.import_model(bundled_model_path(), name=PERSONAL_NAME, copy=False)
    catalog.import_adapter(adapter, base=PERSONAL_NAME)
    print(f"catalog model {PERSONAL_NAME!r} now uses {adapter.name}")


def cmd_eval(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput
    from models.bundled import bundled_model_path
    from models.training.evaluate import Candidate, evaluate_candidates, table

    base = bundled_model_path()
    export = args.work / "export"
    known = {
        "base": Candidate("base", base, trained=False),
        "parent": Candidate("parent", base, export / ADAPTER_FILE),
        "child": Candidate("child", export / CHILD_FILE),
        "shipped": Candidate("shipped", base, SHIPPED_ADAPTER),
    }
    if args.personal:
        known["personal"] = Candidate("personal", base, args.personal)
    cands = []
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        cand = known.get(name)
        if cand is None:
            raise InvalidInput(f"Unknown model {name!r}.", hint=f"Choose from {sorted(known)}.")
        missing = [p for p in (cand.model, cand.adapter) if p is not None and not p.exists()]
        if missing:
            print(f"skipping {name}: {missing[0]} does not exist", file=sys.stderr)
            continue
        cands.append(cand)
    heldout = args.work / "data" / "heldout_cases.jsonl"
    if not heldout.exists():
        raise InvalidInput("No held-out data.", hint="Run 'warden train data' first.")
    results = evaluate_candidates(
        cands,
        heldout,
        args.cases,
        limit=args.limit,
        intents=not args.no_intents,
        threads=args.threads,
        intent_limit=args.intent_limit,
    )
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0
