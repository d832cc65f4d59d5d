"""``warden review FILE.json [FILE.json ...] [--no-model]``: review case files offline.

Prints one JSON object per file, in order, as shared/spec/review-cases.md says. Imports
stay lean (no web3 provider stack, Qt or model runtime with --no-model) so that reviewing a
hundred files from a cold start takes about as long as starting Python.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "review",
        help="review request files (review-case JSON) offline and print the outcomes",
        description="Review each case file offline from its request and facts; one JSON line "
        "per file. An unreadable file prints an error object and the exit status is 1.",
    )
    p.add_argument("files", nargs="+", metavar="FILE.json", help="review-case files")
    p.add_argument("--no-model", action="store_true", help="rules and decoders only")
    p.set_defaults(func=run)


def _model_explainer() -> Any:
    """The model runtime's explainer on the default model; None when it cannot be had."""
    try:
        from app.config import default_paths
        from models.explain import default_explainer

        return default_explainer(default_paths().models_dir)
    except Exception:  # optional: without a model the templates write the summary
        return None


def _close(explainer: Any) -> None:
    model = getattr(explainer, "_model", None)
    close = getattr(model, "close", None)
    if callable(close):
        try:
            close()
        except Exception:  # closing a model that failed to load must not fail the review
            return


def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        case = json.load(fh)
    if not isinstance(case, dict):
        raise ValueError("the file is not a JSON object")
    if not isinstance(case.get("request"), dict):
        raise ValueError("the file has no 'request' object")
    if "facts" in case and not isinstance(case["facts"], dict):
        raise ValueError("'facts' is not an object")
    return case


def run(args: argparse.Namespace) -> int:
    from delegates.tx_review.review import review_case

    explainer = None if args.no_model else _model_explainer()
    try:
        return _review_files(args.files, explainer, review_case)
    finally:
        if explainer is not None:
            _close(explainer)


def _review_files(files: list[str], explainer: Any, review_case: Any) -> int:
    failed = False
    out = sys.stdout
    for path in files:
        try:
            case = _load(path)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            failed = True
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            out.write(json.dumps({"file": path, "error": f"cannot review {path}: {reason}"}) + "\n")
            continue
        outcome = review_case(case, explainer=explainer)
        out.write(json.dumps(outcome.to_json(), ensure_ascii=False) + "\n")
    out.flush()
    return 1 if failed else 0
