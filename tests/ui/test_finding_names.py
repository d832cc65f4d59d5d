"""Every finding code the review can emit has a people-facing name (issue 19, item 6).

The codes are collected from the sources themselves (an AST walk over every ``Finding(...)``
and every ``self.add(...)`` of the rules), so a new rule without a name fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from delegates.tx_review import review_case
from delegates.tx_review.finding_names import FINDING_NAMES, finding_name
from tests.delegates.tx_review.conftest import OWN_CASES, SHARED_CASES, load_cases

ROOT = Path(__file__).resolve().parents[2]


def _strings(node: ast.AST, assigned: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.add(sub.value)
        elif isinstance(sub, ast.Name):
            found |= assigned.get(sub.id, set())
    return found


def _codes_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    codes: set[str] = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        assigned: dict[str, set[str]] = {}
        for node in ast.walk(func):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, set()).update(_strings(node.value, {}))
        for node in ast.walk(func):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            is_finding = isinstance(f, ast.Name) and f.id == "Finding"
            is_rule = (
                isinstance(f, ast.Attribute)
                and f.attr == "add"
                and isinstance(f.value, ast.Name)
                and f.value.id == "self"
                and path.name == "rules.py"
            )
            if is_finding or is_rule:
                codes |= {
                    s for s in _strings(node.args[0], assigned) if s.isidentifier() and s.islower()
                }
    return codes


def emitted_codes() -> set[str]:
    paths = [*(ROOT / "delegates").rglob("*.py"), *(ROOT / "app").rglob("*.py")]
    codes: set[str] = set()
    for p in paths:
        codes |= _codes_in(p)
    return codes - {"code"}  # Finding(code, ...) where the code is a variable read elsewhere


def test_walk_finds_the_codes_it_should() -> None:
    """The walk itself works: it sees rules, simulation, queue and failure-path codes."""
    codes = emitted_codes()
    for known in (
        "address_poisoning",
        "own_account",
        "burn_address",
        "suspicious_origin",
        "simulation_mismatch",
        "limited_review",
        "large_transfer",
        "permit_signature",
        "permit2_signature",
        "undecodable_request",
    ):
        assert known in codes


def test_every_emitted_code_has_a_name() -> None:
    missing = sorted(emitted_codes() - set(FINDING_NAMES))
    assert not missing, f"finding codes without a people-facing name: {missing}"


@pytest.mark.parametrize(
    "case", load_cases(SHARED_CASES) + load_cases(OWN_CASES), ids=lambda c: c["id"]
)
def test_codes_of_every_case_have_names(case: dict) -> None:
    for code in review_case(case).codes:
        assert code in FINDING_NAMES, code


def test_names_are_words_not_codes() -> None:
    for code, name in FINDING_NAMES.items():
        assert "_" not in name and name != code and name[0].isupper()


def test_unknown_code_from_the_model_reads_as_words() -> None:
    assert finding_name("gas_too_high") == "Model's concern: gas too high"
    assert "_" not in finding_name("a__b_")
