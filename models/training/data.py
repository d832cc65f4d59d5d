"""``warden train data``: the training and held-out sets, generated with a fixed seed.

Four tasks, each a chat (``messages``) and the answer to learn:

- ``review``: a request and its facts as text -> the teacher's reasoning, verdict, findings;
- ``explain``: the rules' outcome -> a plain-language explanation (JSON, one point a finding);
- ``intent``: a sentence -> a wallet action (JSON), or a question back when it is ambiguous;
- ``brief``: indicator numbers -> a market brief (the market delegate's template is the teacher).

Every text passes the anonymization layer (``anon.Scrubber``) before it is written. The
held-out cases come from another random stream and any whose description also occurs in
training is dropped, so the evaluation never sees a trained example.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.fileio import write_atomic
from models.shipped.anon import Scrubber
from models.shipped.describe import describe
from models.shipped.prompts import (
    brief_messages,
    explain_answer,
    explain_messages,
    intent_messages,
    review_answer,
    review_messages,
)
from models.training.intents import make_intent
from models.training.scenarios import make_case
from models.training.teacher import codes_of, label

MAX_WHYS = 3
MAX_WHY_CHARS = 160
DEFAULT_SIZES = {"review": 900, "explain": 300, "intent": 300, "brief": 60, "heldout": 120}
TINY_SIZES = {"review": 6, "explain": 3, "intent": 3, "brief": 2, "heldout": 4}


def labelled_case(rng: random.Random, index: int) -> dict[str, Any]:
    """A generated case whose ``expected`` and ``labels`` come from the teacher."""
    case = make_case(rng, index)
    labels = label(case["request"], case["facts"])
    case["expected"] = {"verdict": labels["verdict"], "findings": codes_of(labels)}
    case["labels"] = labels
    return case


def review_record(case: dict[str, Any]) -> dict[str, Any]:
    s = Scrubber()
    labels = case["labels"]
    desc = s(describe(case["request"], case["facts"]))
    whys = [s(f["detail"])[:MAX_WHY_CHARS] for f in labels["findings"][:MAX_WHYS]]
    answer = review_answer(s(labels["action"]), whys, labels["verdict"], codes_of(labels))
    return {"task": "review", "messages": review_messages(desc), "answer": answer}


def explain_parts(labels: dict[str, Any], s: Scrubber) -> tuple[Any, str]:
    """The explain prompt and the teacher's answer for an outcome, scrubbed by ``s``."""
    action = s(labels["action"])
    findings = [
        {"code": f["code"], "severity": f["severity"], "detail": s(f["detail"])}
        for f in labels["findings"]
    ]
    points = [(f["code"], f["detail"]) for f in findings]
    messages = explain_messages(labels["verdict"], action, findings)
    return messages, explain_answer(labels["verdict"], action, points)


def explain_record(case: dict[str, Any]) -> dict[str, Any]:
    messages, answer = explain_parts(case["labels"], Scrubber())
    return {"task": "explain", "messages": messages, "answer": answer}


def intent_record(rng: random.Random, exclude: set[str]) -> dict[str, Any] | None:
    sentence, action = make_intent(rng)
    if sentence.strip().lower() in exclude:
        return None
    s = Scrubber()
    return {
        "task": "intent",
        "messages": intent_messages(s(sentence)),
        "answer": s(json.dumps(action, ensure_ascii=False)),
    }


def brief_record(rng: random.Random) -> dict[str, Any]:
    from delegates.market.brief import facts, template

    close = rng.uniform(0.5, 70000)
    latest: dict[str, Any] = {
        "close": close,
        "sma_20": close * rng.uniform(0.9, 1.1),
        "ema_50": close * rng.uniform(0.85, 1.15),
        "rsi_14": rng.uniform(10, 90),
        "macd_hist": rng.uniform(-1, 1) * close * 0.01,
        "volatility_30": rng.uniform(0.2, 1.2),
        "atr_14": close * rng.uniform(0.01, 0.08),
        "drawdown": rng.uniform(0, 0.6),
        "max_drawdown": rng.uniform(0.6, 0.9),
    }
    asset = rng.choice(["BTC/USDT", "ETH/USDT", "SOL/USDT", "ARB/USDT", "LINK/USDT"])
    f = facts(asset, latest, None)
    s = Scrubber()
    return {"task": "brief", "messages": brief_messages(f), "answer": s(template(f, latest))}


def runtime_intent_sentences(path: Path) -> set[str]:
    """The runtime's labelled sentences (lower-cased), which training must not contain."""
    if not path.exists():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.add(str(row.get("text") or row.get("sentence") or "").strip().lower())
    return out


def _records(seed: int, sizes: dict[str, int], exclude: set[str]) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(sizes["review"]):
        case = labelled_case(rng, i)
        yield review_record(case)
        if i < sizes["explain"]:
            yield explain_record(case)
    made = 0
    while made < sizes["intent"]:
        rec = intent_record(rng, exclude)
        if rec:
            made += 1
            yield rec
    for _ in range(sizes["brief"]):
        yield brief_record(rng)


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def build(
    out_dir: Path,
    *,
    seed: int = 7,
    sizes: dict[str, int] | None = None,
    intents: Path | None = None,
) -> dict[str, int]:
    """Write ``train.jsonl`` (shuffled) and ``heldout_cases.jsonl``; return the counts."""
    from tqdm import tqdm

    sizes = sizes or DEFAULT_SIZES
    exclude = runtime_intent_sentences(intents) if intents else set()
    total = sizes["review"] + sizes["intent"] + sizes["brief"] + sizes["explain"]
    train = list(tqdm(_records(seed, sizes, exclude), total=total, desc="training data"))
    seen = {r["messages"][-1]["content"] for r in train if r["task"] == "review"}
    random.Random(seed).shuffle(train)
    rng = random.Random(seed + 1_000_003)
    held: list[dict[str, Any]] = []
    i = 0
    while len(held) < sizes["heldout"]:
        case = labelled_case(rng, 100_000 + i)
        i += 1
        if Scrubber()(describe(case["request"], case["facts"])) not in seen:
            held.append(case)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / "train.jsonl", _jsonl(train))
    write_atomic(out_dir / "heldout_cases.jsonl", _jsonl(held))
    counts: dict[str, int] = {}
    for r in train:
        counts[r["task"]] = counts.get(r["task"], 0) + 1
    counts["heldout"] = len(held)
    return counts


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
