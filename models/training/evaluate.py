"""``warden eval``: score base, parent, child, personalized and the templates, honestly.

Every model is run as the app runs it, through llama.cpp from its GGUF (plus adapter), with
greedy decoding. Scores:

1. review: verdict accuracy and finding recall of the model alone (request and facts as text,
   no rule findings), on held-out generated cases and on ``shared/review-cases``;
2. explanation faithfulness given the rules' outcome: every finding's key entities (the
   address it names first, the token, the amount) appear and the verdict is not contradicted;
3. intent exact match on the runtime's labelled set (``models.intents.evaluate``);
4. size on disk, parameters, generation tokens/s and RSS growth on load.

The untrained base gets one format line added to the review prompt (the codes and the answer
shape): without it, it could not score at all, which would flatter the trained models.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.shipped.anon import Scrubber
from models.shipped.describe import describe
from models.shipped.prompts import (
    explanation_text,
    intent_messages,
    parse_json,
    parse_review,
    review_messages,
)
from models.training.data import explain_parts, read_jsonl
from models.training.scenarios import SEVERITY
from models.training.teacher import codes_of, label

BASE_HINT = (
    " Answer in this form:\nWhy: <reason>\nVerdict: safe|caution|danger\nFindings: <codes "
    "separated by commas, or none>. Codes: " + ", ".join(SEVERITY) + "."
)
SPEED_PROMPT = "Explain in plain words what an ERC-20 token approval lets a spender do."


@dataclass(frozen=True)
class Candidate:
    name: str
    model: Path
    adapter: Path | None = None
    trained: bool = True  # trained on this pipeline's prompts (False: the untrained base)


class Runner:
    """One loaded llama.cpp model, used by every score."""

    def __init__(self, cand: Candidate, *, n_ctx: int = 1024, threads: int | None = None) -> None:
        import psutil

        from models.runtime import construct_llama
        from models.settings import default_threads

        self.cand = cand
        proc = psutil.Process()
        before = proc.memory_info().rss
        kwargs: dict[str, Any] = {
            "model_path": str(cand.model),
            "n_ctx": n_ctx,
            # the runtime's default: one more thread than free cores makes llama.cpp crawl
            "n_threads": threads or default_threads(),
            "n_threads_batch": threads or default_threads(),
            "verbose": False,
            "seed": 0,
        }
        if cand.adapter:
            kwargs["lora_path"] = str(cand.adapter)
        self.llm = construct_llama(kwargs)  # without repack buffers on AMX CPUs (they crash)
        self.rss_mb = (proc.memory_info().rss - before) / 1_048_576

    def chat(self, messages: list[dict[str, str]], max_tokens: int, grammar: Any = None) -> str:
        out: Any = self.llm.create_chat_completion(
            messages,  # type: ignore[arg-type]
            max_tokens=max_tokens,
            temperature=0.0,
            grammar=grammar,
        )
        return str(out["choices"][0]["message"]["content"] or "")

    def gen_speed(self, tokens: int = 64, runs: int = 3) -> float:
        """Median generation tokens/s after the first token (prompt time excluded)."""
        prompt = self.llm.tokenize(SPEED_PROMPT.encode())
        rates = []
        for _ in range(runs):
            self.llm.reset()
            n, start = 0, 0.0
            for _tok in self.llm.generate(prompt, temp=0.0):
                n += 1
                if n == 1:
                    start = time.perf_counter()
                if n > tokens:
                    break
            rates.append(tokens / (time.perf_counter() - start))
        return statistics.median(rates)

    def close(self) -> None:
        self.llm.close()


def review_scores(
    run: Runner, cases: list[dict[str, Any]], max_tokens: int = 150
) -> dict[str, Any]:
    from tqdm import tqdm

    right, found, expected, rows = 0, 0, 0, []
    for case in tqdm(cases, desc=f"{run.cand.name} review", leave=False):
        msgs = review_messages(Scrubber()(describe(case["request"], case["facts"])))
        if not run.cand.trained:
            msgs[0] = {"role": "system", "content": msgs[0]["content"] + BASE_HINT}
        verdict, codes = parse_review(run.chat(msgs, max_tokens))
        want = set(case["expected"]["findings"])
        right += verdict == case["expected"]["verdict"]
        found += len(want & codes)
        expected += len(want)
        rows.append({"id": case.get("id"), "verdict": verdict, "codes": sorted(codes)})
    n = len(cases)
    return {
        "n": n,
        "verdict_accuracy": round(right / n, 4) if n else None,
        "finding_recall": round(found / expected, 4) if expected else None,
        "answers": rows,
    }


_ADDR = re.compile(r"0x[0-9a-fA-F]{40}")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s+([A-Z][A-Za-z0-9]{1,9})\b")
_UNLIMITED = re.compile(r"unlimited amount of ([A-Z][A-Za-z0-9]{1,9})\b")


def key_entities(detail: str) -> set[str]:
    """The finding's key entities: the address it names first, its amount and token."""
    ents: set[str] = set()
    if m := _ADDR.search(detail):
        ents.add(m.group(0).lower())
    if m := _AMOUNT.search(detail):
        ents.add(m.group(1).replace(",", ""))
        ents.add(m.group(2).lower())
    elif m := _UNLIMITED.search(detail):
        ents.add(m.group(1).lower())
    return ents


def names_all(text: str, entities: set[str]) -> bool:
    flat = text.lower().replace(",", "")
    return all(e in flat for e in entities)


def faithful(outcome: Any, text: str, data: dict[str, Any] | None) -> bool:
    """Names every finding's key entities and never contradicts the verdict."""
    from models.explain import rejection_reason

    probe = dict(data) if data else {"verdict": outcome.verdict, "summary": text}
    probe.setdefault("verdict", outcome.verdict)
    probe["summary"] = text  # the whole text is checked for reassurance or alarm
    probe.pop("points", None)
    reason = rejection_reason(outcome, probe) or ""
    if reason.startswith(("states verdict", "reassures", "alarms")):
        return False
    return all(names_all(text, key_entities(f.detail)) for f in outcome.findings)


def _outcome(labels: dict[str, Any]) -> Any:
    from app.review_types import Finding, ReviewOutcome

    findings = tuple(Finding(f["code"], f["severity"], f["detail"]) for f in labels["findings"])
    return ReviewOutcome(labels["verdict"], findings, labels["summary"], "")


def explain_scores(run: Runner | None, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """``run`` None scores the templates (the rule engine's own summary)."""
    from tqdm import tqdm

    ok = 0
    for case in tqdm(cases, desc=f"{run.cand.name if run else 'templates'} explain", leave=False):
        labels = case.get("labels") or label(case["request"], case["facts"])
        outcome = _outcome(labels)
        if run is None:
            ok += faithful(outcome, outcome.summary, None)
            continue
        s = Scrubber()
        messages, _ = explain_parts(labels, s)
        raw = s.restore(run.chat(messages, 160))
        data = parse_json(raw)
        text = explanation_text(data) if data else raw
        ok += faithful(outcome, text, data)
    return {"n": len(cases), "faithfulness": round(ok / len(cases), 4) if cases else None}


def intent_scores(run: Runner, limit: int | None = None) -> dict[str, Any]:
    """Exact match on the runtime's labelled set. The base runs the runtime's own prompt with
    its grammar; a trained model gets the prompt it learned (anonymized, restored after)."""
    from models.intents import INTENT_SCHEMA, evaluate, guard, load_labelled, messages_for
    from models.structured import grammar_for, parse_and_validate

    grammar = grammar_for(INTENT_SCHEMA)

    def parse(sentence: str) -> dict[str, Any]:
        if not run.cand.trained:
            raw = run.chat(messages_for(sentence), 96, grammar)
        else:
            s = Scrubber()
            raw = s.restore(run.chat(intent_messages(s(sentence)), 96))
        try:
            data = parse_and_validate(raw, INTENT_SCHEMA)
        except Exception:  # as the app does: an invalid answer becomes a question back
            return {"action": "clarify", "question": "Please rephrase?"}
        return guard(sentence, data)

    rows = load_labelled()
    if limit and limit < len(rows):  # an even spread over the set, which is grouped by action
        rows = [rows[i * len(rows) // limit] for i in range(limit)]
    return evaluate(parse, rows).to_json()


def gguf_params(path: Path) -> int:
    import gguf

    return int(sum(int(t.n_elements) for t in gguf.GGUFReader(path).tensors))


def size_scores(cand: Candidate, run: Runner) -> dict[str, Any]:
    size = cand.model.stat().st_size + (cand.adapter.stat().st_size if cand.adapter else 0)
    return {
        "size_mb": round(size / 1_048_576, 1),
        "adapter_mb": round(cand.adapter.stat().st_size / 1_048_576, 2) if cand.adapter else None,
        "params_m": round(gguf_params(cand.model) / 1e6, 1),
        "gen_tok_s": round(run.gen_speed(), 1),
        "rss_mb": round(run.rss_mb, 1),
    }


def shared_cases(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def evaluate_candidates(
    cands: list[Candidate],
    heldout: Path,
    shared: Path | None,
    *,
    limit: int = 40,
    intents: bool = True,
    threads: int | None = None,
    intent_limit: int | None = None,
) -> dict[str, Any]:
    """All scores for every candidate, plus the templates' explanation score."""
    from tqdm import tqdm

    held = read_jsonl(heldout)[:limit]
    for c in held:
        c.setdefault("labels", label(c["request"], c["facts"]))
        c["expected"] = {"verdict": c["labels"]["verdict"], "findings": codes_of(c["labels"])}
    cases = shared_cases(shared) if shared and shared.exists() else []
    results: dict[str, Any] = {
        "templates": {
            "explain_heldout": explain_scores(None, held),
            "explain_cases": explain_scores(None, cases),
        }
    }
    for cand in tqdm(cands, desc="models"):
        run = Runner(cand, threads=threads)
        try:
            r: dict[str, Any] = {"size": size_scores(cand, run)}
            r["review_heldout"] = review_scores(run, held)
            r["review_cases"] = review_scores(run, cases)
            r["explain_heldout"] = explain_scores(run, held)
            r["explain_cases"] = explain_scores(run, cases)
            if intents:
                r["intent"] = intent_scores(run, intent_limit)
        finally:
            run.close()
        results[cand.name] = r
    return results


def table(results: dict[str, Any]) -> str:
    """The results as a Markdown table (one row per model)."""
    head = (
        "| model | verdict acc (held-out / cases) | finding recall (held-out / cases) | "
        "explanation faithful (held-out / cases) | intent EM | params M | size MB | gen tok/s "
        "| RSS MB |\n|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]

    def g(d: dict[str, Any], *keys: str) -> str:
        for k in keys:
            d = d.get(k) if isinstance(d, dict) else None  # type: ignore[assignment]
        return "–" if d is None else str(d)

    for name, r in results.items():
        if name == "templates":
            lines.append(
                f"| templates | – | – | {g(r, 'explain_heldout', 'faithfulness')} / "
                f"{g(r, 'explain_cases', 'faithfulness')} | – | – | – | – | – |"
            )
            continue
        lines.append(
            f"| {name} | {g(r, 'review_heldout', 'verdict_accuracy')} / "
            f"{g(r, 'review_cases', 'verdict_accuracy')} | "
            f"{g(r, 'review_heldout', 'finding_recall')} / {g(r, 'review_cases', 'finding_recall')}"
            f" | {g(r, 'explain_heldout', 'faithfulness')} / "
            f"{g(r, 'explain_cases', 'faithfulness')} | {g(r, 'intent', 'accuracy')} | "
            f"{g(r, 'size', 'params_m')} | {g(r, 'size', 'size_mb')} | "
            f"{g(r, 'size', 'gen_tok_s')} | {g(r, 'size', 'rss_mb')} |"
        )
    return "\n".join(lines)
