"""Classes of right answers the math verifier refused, found by running a peer's test suite through
it (issue 19, section 2), with near misses of each so nothing refused correctly before now passes.

Rows are written fresh here (gold, completion, expected, why); the peer's own cases stay a held-out
comparison.
"""

from __future__ import annotations

import pytest
from assay.verifiers.math import verify


def B(answer: str) -> str:
    return f"We compute step by step.\nSo the answer is $\\boxed{{{answer}}}$."


def M(sentence: str) -> str:
    """Minerva's closing line."""
    return f"Solution: some reasoning here.\nFinal Answer: {sentence}"


MINERVA = [
    ("7.78", M("The final answer is 7.78. I hope it is correct."), True, "Minerva, a bare decimal"),
    ("7.78", M("The final answer is $7.78$. I hope it is correct."), True, "Minerva, the value in math mode"),
    ("7.78", M("The final answer is 7.79. I hope it is correct."), False, "Minerva, a wrong last digit"),
    ("34", M("The largest $n$ is 34."), True, "a named quantity, then its value"),
    ("34", M("The largest $n$ is $34$."), True, "a named quantity in math mode, then its value"),
    ("35", M("The largest $n$ is $34$."), False, "a named quantity with the wrong value"),
    ("12", M("The number of ways is 12. I hope it is correct."), True, "a subject of several words"),
    ("12", M("The number of ways is 13. I hope it is correct."), False, "a subject of several words, wrong"),
    (r"\frac{3}{4}", M(r"The probability equals $\frac{3}{4}$."), True, "'equals' as the verb"),
    ("5", M("The final answer is 5 or 6."), False, "Minerva with a hedge"),
    ("5", M("The final answer is $5$ or $6$. I hope it is correct."), False, "Minerva with a hedge in math mode"),
]


NAMED = [
    ("12", B(r"\|v\| = 12"), True, "a norm names the value"),
    ("12", B(r"\|v\| = 13"), False, "a norm with the wrong value"),
    ("3", B(r"|\vec{v}| = 3"), True, "the length of a vector with an arrow accent"),
    ("4", B(r"|\vec{v}| = 3"), False, "the length of a vector, wrong"),
    ("5", B(r"\overrightarrow{AB} = 5"), True, "a segment written with an arrow"),
    ("12", B("[ABC] = 12"), True, "the area [ABC] of a triangle"),
    ("13", B("[ABCD] = 12"), False, "the area of a quadrilateral, wrong"),
    ("3", B("AB:BC = 3"), True, "a ratio of named segments"),
    ("4", B("AB:BC = 3"), False, "a ratio of named segments, wrong"),
    (r"\frac{1}{\sqrt{6}}", B(r"NO/BO = 1/\sqrt{6}"), True, "a quotient of names (already read)"),
    (r"\frac{1}{15}", B("3:45"), False, "a time is not a ratio of numbers"),
    ("1", B("|AB| = 1"), True, "the length |AB| (already read)"),
    ("x^2 + 1", B("f(x) = x^2 + 1"), True, "a function's name (already read)"),
    ("x^2 + 1", B("f(x) = x^2 + 2"), False, "a function's name, wrong"),
    ("3", B("y = 3"), True, "a lone name"),
    ("x = 3", B("y = 3"), False, "a different name for a solution"),
]


TABLE = MINERVA + NAMED


@pytest.mark.parametrize("gold, completion, expected, why", TABLE, ids=[row[3] for row in TABLE])
def test_peer_classes(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = verify(completion, gold)
    assert verdict.passed is expected, (why, verdict)
