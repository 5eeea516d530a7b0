"""Right answers in forms models write, and near misses, through the checks of the tasks with
their own answer grammars (helper session "mathv", 2026-12-06): one problem per task, each form
built from its gold."""

from __future__ import annotations

import pytest

import assay
from assay.registry import wrap


def _problem(task_id: str, level: int):
    return assay.get_task(task_id).generate(3, difficulty=level)


def _superscripted(gold: str) -> str:
    return gold.replace("^{2}", "\u00b2").replace("^{3}", "\u00b3").replace("^{4}", "\u2074").replace("^{5}", "\u2075")


def _lookalike(gold: str, zero: int = 0xFF10) -> str:
    """``gold`` with every ASCII digit replaced by its look-alike from the block starting at ``zero``."""
    return "".join(chr(ord(c) - 48 + zero) if "0" <= c <= "9" else c for c in gold)


FORMS = [
    # (task, level, form of the gold, expected, why)
    ("math/polynomial_expansion", 3, lambda g: f"\\displaystyle {g}", True, "\\displaystyle before the answer"),
    ("math/polynomial_factoring", 3, lambda g: f"\\displaystyle {g}", True, "\\displaystyle before a product"),
    ("math/prime_factorization", 3, lambda g: f"\\displaystyle {g}", True, "\\displaystyle before a factorisation"),
    ("math/rational_simplification", 3, lambda g: f"\\textstyle {g}", True, "\\textstyle before a fraction"),
    ("math/matrix_product", 2, lambda g: f"\\displaystyle {g}", True, "\\displaystyle before a matrix"),
    ("math/polynomial_expansion", 5, _superscripted, True, "superscript exponents"),
    ("math/polynomial_expansion", 5, lambda g: _superscripted(g) + " + x\u00b2", False, "superscript exponents, a term more"),
    ("math/polynomial_expansion", 3, lambda g: f"\\displaystyle {g} + 1", False, "\\displaystyle, a wrong constant"),
    # a percentage gold is a number of percent: a % sign after it is its unit, never a fraction of one
    ("math/percentages", 2, lambda g: f"{g}\\%", True, "a percentage with its sign"),
    ("math/percentages", 2, lambda g: f"{g} \\text{{ percent}}", True, "a percentage with the word"),
    ("math/percentages", 2, lambda g: f"100 \\cdot {g}\\%", False, "a hundred times the percentage, with a sign"),
    ("math/percentages", 2, lambda g: f"{int(g) * 100}\\%", False, "a percentage scaled twice"),
    ("math/percentages", 3, lambda g: f"100 \\cdot {g}\\%", False, "a percent change scaled twice"),
    ("math/percentages", 1, lambda g: f"{g}\\%", True, "a percent of a number, with a sign (the verifier's rule)"),
    # look-alike digits are refused by the tasks' own grammars as by the verifier
    ("math/polynomial_expansion", 3, lambda g: _lookalike(g), False, "full-width digits in a polynomial"),
    ("math/prime_factorization", 3, lambda g: _lookalike(g), False, "full-width digits in a factorisation"),
    ("math/matrix_product", 2, lambda g: _lookalike(g), False, "full-width digits in a matrix"),
    ("math/arithmetic", 2, lambda g: _lookalike(g, 0x0660), False, "Arabic-Indic digits"),
    ("math/function_inverse", 3, lambda g: _lookalike(g), False, "full-width digits in an inverse (verifier too)"),
    # the question restated before "=" with other spacing around its row breaks
    ("math/determinant", 2, None, True, "a determinant restated without spaces"),
    ("math/matrix_rank", 3, None, True, "a rank restated without spaces"),
    # the inverse read by the verifier when its own grammar cannot: a bump the test points miss
    ("math/function_inverse", 3, lambda g: f"{g} + e^{{-10^{{6}} x^{{2}}}}", False, "the inverse plus a narrow bump at 0"),
    ("math/function_inverse", 3, lambda g: f"{g} + \\lfloor \\frac{{1}}{{1 + x^{{2}}}} \\rfloor", False, "the inverse plus a step"),
    ("math/function_inverse", 3, lambda g: f"{g} + \\ln(e^{{x}}) - x", True, "the inverse plus ln(e^x) - x"),
]


@pytest.mark.parametrize("task_id, level, form, expected, why", FORMS, ids=[row[4] for row in FORMS])
def test_forms(task_id: str, level: int, form, expected: bool, why: str) -> None:
    problem = _problem(task_id, level)
    if form is None:  # the question, squeezed, then "=" and the gold
        question = problem.data["question"].replace(" ", "")
        answer = f"{question}={problem.answer}"
    else:
        answer = form(problem.answer)
    verdict = assay.get_task(task_id).check(problem, wrap(answer))
    assert verdict.passed is expected, (why, problem.answer, verdict)
