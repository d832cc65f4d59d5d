"""Model commands: ``warden model list|import|settings|bench|about`` and ``warden ask``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("model", help="the on-device language models: list, import, benchmark")
    msub = p.add_subparsers(dest="model_cmd", metavar="ACTION", required=True)

    m = msub.add_parser("list", help="models in the catalog (the bundled one first)")
    m.add_argument("--json", action="store_true", help="print JSON")
    m.set_defaults(func=cmd_list)

    m = msub.add_parser("import", help="add a GGUF model (copied) or a LoRA adapter")
    m.add_argument("path", metavar="PATH", type=Path)
    m.add_argument("--name", help="name in the catalog (default: from the file)")
    m.add_argument(
        "--reference", action="store_true", help="use the file where it is instead of a copy"
    )
    m.add_argument("--adapter-for", metavar="MODEL", help="PATH is a LoRA adapter for MODEL")
    m.set_defaults(func=cmd_import)

    m = msub.add_parser("settings", help="show or change a model's settings")
    m.add_argument("name", metavar="MODEL")
    m.add_argument("--ctx", type=int, dest="n_ctx", help="context size in tokens")
    m.add_argument("--threads", type=int, dest="n_threads", help="CPU threads")
    m.add_argument("--temperature", type=float)
    m.set_defaults(func=cmd_settings)

    m = msub.add_parser("bench", help="Warden's runtime against raw llama.cpp, same settings")
    m.add_argument("--json", action="store_true", help="print one JSON object")
    m.add_argument("--model", default=None, help="catalog name (default: the bundled model)")
    m.add_argument("--tokens", type=int, default=64, help="tokens to generate per side")
    m.add_argument(
        "--reps", type=int, default=3, help="measurements, alternating sides (medians shown)"
    )
    m.set_defaults(func=cmd_bench)

    m = msub.add_parser("about", help="licence and origin of the bundled model")
    m.set_defaults(func=cmd_about)

    p = sub.add_parser(
        "ask",
        help="ask the assistant about your wallet; answers are computed or checked, never acted",
    )
    p.add_argument("question", metavar="TEXT")
    p.add_argument("--model", default=None, help="catalog name (default: the assistant's)")
    p.add_argument("--network", "-n", default=None, help="network name (default: the app's)")
    p.add_argument("--max-tokens", type=int, default=96, help="longest model answer, in tokens")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds")
    p.set_defaults(func=cmd_ask)


def _catalog() -> Any:
    from app.config import default_paths
    from models.catalog import Catalog

    return Catalog(default_paths().ensure().models_dir)


def _model_name(name: str | None) -> str:
    from models.bundled import BUNDLED_NAME

    return name or BUNDLED_NAME


def cmd_list(args: argparse.Namespace) -> int:
    rows = [e.summary() for e in _catalog().entries()]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    for r in rows:
        extra = f", adapter {r['adapter']}" if r["adapter"] else ""
        s = r["settings"]
        print(
            f"{r['name']}  [{r['source']}] {r['architecture']}, {r['size_mb']} MB, "
            f"context {r['context_length']}, licence {r['license']}{extra}\n"
            f"    settings: ctx {s['n_ctx']}, threads {s['n_threads']}, "
            f"temperature {s['temperature']}\n    {r['path']}"
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    catalog = _catalog()
    path = args.path.expanduser()
    if args.adapter_for:
        entry = catalog.import_adapter(path, base=args.adapter_for)
        print(f"Adapter added to {entry.name}; it is applied each time the model loads.")
        return 0
    entry = catalog.import_model(path, name=args.name, copy=not args.reference)
    how = "referenced in place" if args.reference else "copied into the catalog"
    print(
        f"Imported {entry.name} ({entry.info.architecture}, context {entry.info.context_length}), "
        f"{how}."
    )
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    catalog = _catalog()
    changes = {
        k: v for k in ("n_ctx", "n_threads", "temperature") if (v := getattr(args, k)) is not None
    }
    entry = catalog.update_settings(args.name, **changes) if changes else catalog.get(args.name)
    print(json.dumps(entry.summary()["settings"]))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from app.config import default_paths
    from models import bench

    if args.reps < 1:
        from app.errors import InvalidInput

        raise InvalidInput("--reps must be at least 1.")
    models_dir = default_paths().ensure().models_dir
    result = bench.run_reps(models_dir, _model_name(args.model), args.tokens, args.reps)
    if args.json:
        print(json.dumps(result))
        return 0
    for side in ("warden", "raw"):
        f = result[side]
        print(
            f"{side:7} load {f['load_s']:.2f} s, prompt {f['prompt_tok_s']:.0f} tok/s, "
            f"generation {f['gen_tok_s']:.1f} tok/s, RSS {f['rss_mb']:.0f} MB"
        )
    print(
        f"generation speed ratio (warden / raw, medians of {result['reps']}): "
        f"{result['gen_ratio']:.3f}"
    )
    return 0


def cmd_about(args: argparse.Namespace) -> int:
    from models.bundled import about

    for key, value in about().items():
        print(f"{key}: {value}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """The Assistant's answer, checked against the wallet's facts before it is printed (so it
    is printed whole, not streamed)."""
    from warden.ask import answer

    text = answer(
        args.question,
        model_name=args.model,
        network=args.network,
        catalog=_catalog(),
        max_tokens=args.max_tokens,
        timeout_s=args.timeout,
    )
    print(text)
    return 0
