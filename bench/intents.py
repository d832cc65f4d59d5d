"""Benchmark: intent parsing on a labelled split, one variant after another, in one run.

Variants: ``legacy`` (the first parser, ``models.intents.legacy_parse_intent``, with the
bundled model and its plain few-shot prompt, no retrieval; its answers mapped onto the action
schema), ``rules`` (the grounded pipeline without a model), ``pipeline`` (the grounded
pipeline with the model as the constrained fallback for the action), ``model-only`` (EVERY
sentence sent to the model with the pipeline's exact prompt, retrieval and grammar, the rules
ignored for the action: what the model itself knows (action accuracy scores its own answer);
its fields are then read by code, so its exact match is the model's action plus the rules'
fields).

Models (``--models``): ``base`` (the bundled GGUF), ``parent`` (base + the intent-action LoRA
adapter, ``--adapter``), ``child`` (the distilled 12-layer GGUF, ``--child``); every variant
that needs a model runs once per model (``legacy`` only for the base: it is the old prompt).
Prints, per variant: action accuracy, exact match
(a clarify's missing fields count), exact match with any clarify counting as one (the only
fair figure for the first parser, whose questions carry no fields), refusals caught, false
refusals, how often the model was asked, and seconds per sentence (median, 95th percentile).

Splits: ``heldout`` (models/data/intents_heldout.jsonl, never tuned on), ``generated`` (the
generator's validation split, another random stream than its training split), ``dev`` (the pool
the model's examples come from), ``legacy`` (models/data/intents.jsonl, written by another
hand for the first parser; its labels mapped onto the action schema, clarify compared by
action only).

    PYTHONPATH=. .venv/bin/python bench/intents.py [--split heldout] [--limit N]
        [--variants legacy,rules,pipeline,model-only] [--models base,parent,child]
        [--adapter F] [--child F] [--threads 1] [--legacy-limit N] [--speed-rounds 3]
        [--failures] [--json]

``--speed-rounds N`` then times the same models' generation in the same process
(``models.training.speed``): file size, parameters, tokens/s and the child/parent ratios.

On a shared, oversubscribed 2-core machine ``--threads 1`` is about five times faster than 2
(llama.cpp's threads wait on each other; measured 4.6 s against 26.6 s a sentence).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.intent_schema import from_legacy, normalize_action  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "models" / "data"
SPLITS = {
    "heldout": DATA / "intents_heldout.jsonl",
    "dev": DATA / "intents_dev.jsonl",
    "legacy": DATA / "intents.jsonl",
}


def load_split(name: str) -> list[tuple[str, dict[str, Any]]]:
    if name == "generated":
        from models.training.intent_train import splits

        return [(r["text"], r["intent"]) for r in splits()[1]]
    rows = []
    for line in SPLITS[name].read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            intent = from_legacy(row["intent"]) if name == "legacy" else row["intent"]
            rows.append((row["text"], intent))
    return rows


def measure(
    parse: Callable[[str], dict[str, Any]], rows: list[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    times, failures = [], []
    action_ok = exact = loose = refused = refuse_total = false_refusals = 0
    for text, want in rows:
        start = time.perf_counter()
        got = parse(text)
        times.append(time.perf_counter() - start)
        action_ok += got.get(RAW_ACTION, got.get("action")) == want["action"]
        same = normalize_action(got) == normalize_action(want)
        exact += same
        loose += normalize_action(got, strict_clarify=False) == normalize_action(
            want, strict_clarify=False
        )
        if want["action"] == "refuse":
            refuse_total += 1
            refused += got.get("action") == "refuse"
        elif got.get("action") == "refuse":
            false_refusals += 1
        if not same:
            failures.append({"text": text, "want": normalize_action(want), "got": got})
    n = len(rows)
    times.sort()
    return {
        "n": n,
        "action_accuracy": round(action_ok / n, 3),
        "exact_match": round(exact / n, 3),
        "exact_match_any_clarify": round(loose / n, 3),
        "refusals": f"{refused}/{refuse_total}",
        "false_refusals": false_refusals,
        "median_s": round(statistics.median(times), 4),
        "p95_s": round(times[min(n - 1, int(n * 0.95))], 4),
        "failures": failures,
    }


RAW_ACTION = "_model_action"


class _CountingModel:
    """The real model, counting the requests that reach it."""

    def __init__(self, model: Any) -> None:
        self.model, self.name, self.calls = model, model.name, 0

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.model.submit(*args, **kwargs)


def model_only(model: Any, sentence: str) -> dict[str, Any]:
    """The model's action for every sentence (the pipeline's prompt, retrieval and grammar),
    with the fields read by code as the pipeline does."""
    from models.intent_guard import check
    from models.intent_model import model_action
    from models.intent_rules import fill
    from models.intent_schema import empty
    from models.intent_spans import read_spans

    kind = model_action(model, sentence)
    if kind is None or kind == "clarify":
        out = empty("clarify", missing=[], question="?")
    elif kind == "refuse":
        out = empty("refuse", reason="secret")
    else:
        sp = read_spans(sentence, None)
        out = check(fill(kind, sp), sp)
    out[RAW_ACTION] = kind  # the model's own answer, before a missing field turns it into clarify
    return out


def _variant(name: str, model: Any) -> Callable[[str], dict[str, Any]] | None:
    from models.intents import legacy_parse_intent, parse_intent

    if name == "legacy":
        return lambda s: from_legacy(legacy_parse_intent(model, s))
    if name == "rules":
        return lambda s: parse_intent(None, s)
    if name == "pipeline":
        return lambda s: parse_intent(model, s)
    if name == "model-only":
        return lambda s: model_only(model, s)
    return None


def _entry(which: str, tmp: Path, args: argparse.Namespace) -> Any:
    """The catalog entry for base, parent (base + adapter) or child, at ``args.threads``."""
    from dataclasses import replace

    from models.catalog import Catalog
    from models.gguf_info import read_gguf_info

    base = Catalog(tmp).get()
    entry = replace(base, settings=replace(base.settings, n_threads=args.threads))
    if which == "parent":
        return replace(entry, name="parent", adapter=read_gguf_info(args.adapter))
    if which == "child":
        return replace(entry, name="child", info=read_gguf_info(args.child))
    return entry


def _speed(args: argparse.Namespace) -> dict[str, Any]:
    """File size, parameters and generation speed of the same models (``models.training.speed``)."""
    from models.bundled import bundled_model_path
    from models.training.evaluate import Candidate
    from models.training.speed import size_and_speed

    base = bundled_model_path()
    known = {
        "base": Candidate("base", base, trained=False),
        "parent": Candidate("parent", base, args.adapter),
        "child": Candidate("child", args.child),
    }
    names = [m.strip() for m in args.models.split(",") if m.strip() in known]
    cands = [known[n] for n in names]
    return size_and_speed(cands, threads=args.threads, rounds=args.speed_rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=[*sorted(SPLITS), "generated"], default="heldout")
    parser.add_argument("--variants", default="legacy,rules,pipeline")
    parser.add_argument("--models", default="base", help="comma list of base,parent,child")
    work = Path("build/intent-training/export")
    parser.add_argument("--adapter", type=Path, default=work / "warden-intent-action.lora.gguf")
    parser.add_argument("--child", type=Path, default=work / "warden-intent-child.gguf")
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp threads")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument(
        "--legacy-limit", type=int, default=0, help="legacy on the first N only (it is slow)"
    )
    parser.add_argument(
        "--speed-rounds",
        type=int,
        default=0,
        help="then time generation of the same models in N alternating rounds (0: skip)",
    )
    parser.add_argument("--failures", action="store_true", help="print each miss")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = load_split(args.split)[: args.limit or None]
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]

    results: dict[str, Any] = {}
    if "rules" in variants:
        from models.intents import parse_intent

        results["rules"] = measure(lambda s: parse_intent(None, s), rows)
        results["rules"]["model_calls"] = 0
    with tempfile.TemporaryDirectory() as tmp:
        for which in [m.strip() for m in args.models.split(",") if m.strip()]:
            wanted = [v for v in variants if v != "rules" and (v != "legacy" or which == "base")]
            if not wanted:
                continue
            from models.runtime import LocalModel

            model = LocalModel(_entry(which, Path(tmp), args))
            model.preload().result()  # loading is not parsing: keep it out of the times
            try:
                for name in wanted:
                    counting = _CountingModel(model)
                    parse = _variant(name, counting)
                    if parse is None:
                        parser.error(f"unknown variant {name!r}")
                    some = rows[: args.legacy_limit or None] if name == "legacy" else rows
                    res = measure(parse, some)
                    res["model_calls"] = counting.calls
                    results[f"{which}/{name}"] = res
                    print(f"{which}/{name}: done", file=sys.stderr)
            finally:
                model.close()
    speed = _speed(args) if args.speed_rounds else {}
    if args.json:
        print(json.dumps({"split": args.split, "variants": results, "size_speed": speed}))
        return
    print(f"split {args.split}: {len(rows)} sentences")
    head = f"{'variant':18}{'n':>4}{'action':>8}{'exact':>8}{'exact*':>8}{'refuse':>8}{'false':>7}"
    print(head + f"{'model':>7}{'median s':>10}{'p95 s':>8}")
    for name, r in results.items():
        print(
            f"{name:18}{r['n']:4d}{r['action_accuracy']:8.3f}{r['exact_match']:8.3f}"
            f"{r['exact_match_any_clarify']:8.3f}{r['refusals']:>8}{r['false_refusals']:7d}"
            f"{r['model_calls']:7d}{r['median_s']:10.4f}{r['p95_s']:8.4f}"
        )
    print("exact* = exact match with any clarify counted as one (the first parser has no fields)")
    if speed:
        print(f"size and generation speed ({args.threads} thread(s)): {json.dumps(speed)}")
    if args.failures:
        for name, r in results.items():
            for f in r["failures"]:
                print(f"[{name}] {f['text']!r}\n    want {f['want']}\n    got  {f['got']}")


if __name__ == "__main__":
    main()
