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


INEQUALITIES = [
    ("x < 1", B("-x > -1"), True, "both sides negated, the sign turned"),
    ("x < 1", B("2x < 2"), True, "both sides doubled"),
    ("x < 1", B("2x < 3"), False, "doubled, with a wrong bound"),
    ("x < 1", B("-x < -1"), False, "negated without turning the sign"),
    (r"(-\infty, 1)", B("3 - 2x > 1"), True, "an affine side against an interval"),
    (r"x \le 3", B(r"2x - 1 \le x + 2"), True, "the variable on both sides"),
    ("x < 1", B("x + 1 < x + 2"), False, "the variable cancels: no solution set of this shape"),
    ("[0, 2)", B(r"1 \le 2x + 1 < 5"), True, "an affine chain"),
    ("[0, 2)", B(r"-1 < -x/2 \le 0"), True, "a chain with a negative slope turns around"),
    ("(-2, 0]", B(r"-1 < -x/2 \le 0"), False, "a negative slope not turned"),
    ("x > 1", B("x^2 > 1"), False, "a quadratic is no linear inequality"),
    ("x > 1", B(r"2x > 2, x \ne 5"), False, "a condition more is another set"),
]

FUNCTION_CHAINS = [
    ("(0, 1)", B("0 < f(x) < 1"), True, "the range as a chain around a function's name"),
    ("(0, 1]", B("0 < f(x) < 1"), False, "a closed end is another range"),
    ("[-1, 1]", B(r"-1 \le g(t) \le 1"), True, "another name and variable"),
    ("[-1, 1]", B(r"-1 \le g(t) < 1"), False, "another name, an open end"),
    ("(0, 1)", "The range is $0 < f(x) < 1$. The answer is $0<f(x)<1$.", True, "a chain in the final sentence"),
    ("(0, 2)", B("0 < f(x) < 1"), False, "a wrong bound"),
]


BOXES_JOINED = [  # (these already passed: kept as the class's rows)
    ("2, -5", "The roots are $\\boxed{2}$ and $\\boxed{-5}$.", True, "two boxes joined by 'and'"),
    ("2, -5", "Thus the solutions are $x = \\boxed{2}$ and $x = \\boxed{-5}$.", True, "named boxes joined by 'and'"),
    ("1, 2, 3", "The values are $\\boxed{1}$, $\\boxed{2}$, and $\\boxed{3}$.", True, "three boxes, serial comma"),
    (r"\{2, -5\}", "The roots are \\boxed{2} and \\boxed{-5}, respectively.", True, "against a set gold"),
    ("2, -5", "The roots are $\\boxed{2}$ and $\\boxed{-4}$.", False, "one box wrong"),
    ("2, -5", "The roots are $\\boxed{2}$ and $\\boxed{2}$.", False, "a repeated box"),
    ("2", "The roots are $\\boxed{2}$ and $\\boxed{-5}$.", False, "two boxes for one value"),
]

GROUPED_UNITS = [
    ("1000.99", B("1,000.99m^2"), True, "thousands separators, then a unit with a power"),
    ("1000.99", B("1,000.99 m^2"), True, "a space before the unit"),
    ("1000.98", B("1,000.99m^2"), False, "a wrong last digit"),
    (r"1000.99 \text{ m}^2", B("1,000.99m^2"), True, "the same unit in the gold"),
    ("1000.99 m^2", B("1,000.99m^2"), True, "a gold read as a product with the same letters"),
    (r"1000.99 \text{ m}^3", B("1,000.99m^2"), False, "another power of the unit"),
    (r"1000.99 \text{ cm}^2", B("1,000.99m^2"), False, "another unit"),
    ("1000", B("1,000g"), True, "grams after grouped digits"),
    ("5", B("5m^2"), False, "without grouping, m^2 after a number stays a variable (5m^2 is a monomial)"),
    ("5m^2", B("5"), False, "a monomial gold is not a bare number"),
]


TABLE = MINERVA + NAMED + INEQUALITIES + FUNCTION_CHAINS + BOXES_JOINED + GROUPED_UNITS


@pytest.mark.parametrize("gold, completion, expected, why", TABLE, ids=[row[3] for row in TABLE])
def test_peer_classes(gold: str, completion: str, expected: bool, why: str) -> None:
    verdict = verify(completion, gold)
    assert verdict.passed is expected, (why, verdict)
