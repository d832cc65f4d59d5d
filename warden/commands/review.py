"""``warden review FILE.json [FILE.json ...] [--no-model]``: review case files offline.

Prints one JSON object per file, in order, as shared/spec/review-cases.md says. Imports
stay lean (no web3 provider stack, Qt or model runtime with --no-model) so that reviewing a
hundred files from a cold start takes about as long as starting Python.
"""

from __future__ import annotations

import argparse
import itertools
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


# A case file is a few kilobytes; this leaves room for a long message while bounding memory
# and time per file. Deeper nesting than this is no request a dapp sends.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NESTING = 64
# A request is a few hundred values (a bulk listing some thousands); parsing and checking
# this many takes about 30 ms.
MAX_VALUES = 20_000


class CaseFileError(ValueError):
    """The file is not a review case; the message says why, for the error object."""


_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1
_NOT_BRACKETS = bytes(b for b in range(256) if not _STEP[b])


def _structure(text: str) -> str:
    """JSON text without its strings' content: what the parser reads as structure.

    Outside strings a valid file holds no backslash: drop escaped backslashes, then escaped
    quotes, and every other piece between quotes is string content, brackets and all. (Text
    that is not valid JSON may be misjudged here; the parser refuses it anyway.)"""
    return "".join(text.replace("\\\\", "").replace('\\"', "").split('"')[::2])


def _too_deep(text: str, limit: int = MAX_NESTING) -> bool:
    """Whether JSON text nests objects and lists more than ``limit`` deep; linear, without
    recursion, and at the speed of a few C passes over the text (a 4 MB file in a few ms)."""
    if text.count("[") + text.count("{") <= limit:  # the usual file: too few brackets
        return False
    brackets = _structure(text).encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


def _too_many_values(text: str, limit: int = MAX_VALUES) -> bool:
    """Whether JSON text holds more than about ``limit`` values (each value but the first
    follows a comma or opens a container), counted before the parser builds them."""
    if text.count(",") + text.count("[") + text.count("{") < limit:  # the usual file
        return False
    structure = _structure(text)
    return structure.count(",") + structure.count("[") + structure.count("{") >= limit


def _reject_constant(name: str) -> Any:
    raise CaseFileError(f"the file contains {name}, which JSON does not allow")


def _load(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise CaseFileError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError(f"the file is not UTF-8 text (byte {exc.start})") from exc
    if _too_deep(text):
        raise CaseFileError(f"the JSON is nested more than {MAX_NESTING} levels deep")
    if _too_many_values(text):
        raise CaseFileError(f"the JSON holds more than {MAX_VALUES:,} values")
    try:
        case = json.loads(text, parse_constant=_reject_constant)
    except CaseFileError:
        raise
    except (ValueError, RecursionError) as exc:
        raise CaseFileError(f"the file is not valid JSON ({str(exc)[:120]})") from exc
    if not isinstance(case, dict):
        raise CaseFileError("the file is not a JSON object")
    if not isinstance(case.get("request"), dict):
        raise CaseFileError("the file has no 'request' object")
    if "facts" in case and not isinstance(case["facts"], dict):
        raise CaseFileError("'facts' is not an object")
    if "id" in case and case["id"] is not None and not isinstance(case["id"], str):
        raise CaseFileError("'id' is not a string")
    from delegates.tx_review.decode.envelope import check_json

    why = check_json(case)
    if why:
        raise CaseFileError(f"the file is not plain JSON data: {why}")
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
    """One line per file, whatever a file does: a file never stops the ones after it."""
    failed = False
    out = _Output()
    for path in files:
        try:
            case = _load(path)
            outcome = review_case(case, explainer=explainer)
            line = json.dumps(outcome.to_json(), ensure_ascii=False)
        except Exception as exc:  # noqa: BLE001 - per-file isolation is the point
            failed = True
            out.write_line(
                json.dumps({"file": path, "error": _reason(path, exc)}, ensure_ascii=False)
            )
            continue
        out.write_line(line)
    out.flush()
    return 1 if failed else 0


def _reason(path: str, exc: BaseException) -> str:
    if isinstance(exc, OSError):
        why = exc.strerror or type(exc).__name__
    elif isinstance(exc, CaseFileError):
        why = str(exc)
    elif isinstance(exc, RecursionError):
        why = "the file is nested too deeply to review"
    else:  # a bug in Warden: say so, without a traceback
        why = f"Warden could not review it ({type(exc).__name__})"
    return f"cannot review {path}: {why}"


class _Output:
    """Lines of valid UTF-8 on stdout, whatever the text holds (lone surrogates from a
    file name or a bug become U+FFFD instead of invalid bytes or a crash)."""

    def __init__(self) -> None:
        self._stream = sys.stdout
        self._buffer = getattr(sys.stdout, "buffer", None)

    def write_line(self, line: str) -> None:
        data = line.encode("utf-8", "replace") + b"\n"
        if self._buffer is not None:
            self._stream.flush()
            self._buffer.write(data)
        else:
            self._stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        if self._buffer is not None:
            self._buffer.flush()
        self._stream.flush()
