"""Adversarial rows for every generated math task, built from generated problems (several seeds and
levels): the reference in other forms, near misses built from the exact gold, and cheats.

Each completion is built from the problem's payload with exact arithmetic here (Fractions), never
from the task's own helpers; the expected verdict is the grader's, and the row says why. Rows that
meet a known fault carry its tag; ``KNOWN`` says which tasks it touches, and they run as strict xfails.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import pytest
from test_math_support import math_verify_passes

import assay
from assay.types import Problem

TASKS = assay.list_tasks("math")
SEEDS = (0, 1)
LEVELS = (1, 3, 5)

_DELEGATING = {  # tasks whose check hands the whole answer to assay.verifiers.math.verify
    task for task in TASKS
    if task not in {
        "math/arithmetic", "math/base_conversion", "math/complex_arithmetic", "math/function_inverse",
        "math/indefinite_integral", "math/matrix_inverse", "math/matrix_product", "math/polynomial_expansion",
        "math/polynomial_factoring", "math/prime_factorization", "math/rational_simplification",
    }
}
# tag -> (tasks it touches, the fault): rows so tagged are strict xfails on those tasks only
KNOWN: dict[str, tuple[frozenset[str], str]] = {
    "qualifier": (
        frozenset(_DELEGATING),
        "parse._attach_units: any trailing \\text{...} is a unit, so '7 \\text{ or more}' passes as 7",
    ),
}


def latex(value: Fraction) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def plain(value: Fraction) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def terminating_decimal(value: Fraction) -> str | None:
    denominator, places = value.denominator, 0
    while denominator % 2 == 0 or denominator % 5 == 0:
        denominator //= 2 if denominator % 2 == 0 else 5
        places += 1
    if denominator != 1:
        return None
    scaled = abs(value) * 10**places
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}"
    return ("-" if value < 0 else "") + text


def box(answer: str) -> str:
    return f"Working omitted.\nSo the answer is $\\boxed{{{answer}}}$."


def block(answer: str) -> str:
    return f"Working omitted.\n<answer>{answer}</answer>"


@lru_cache(maxsize=None)
def problem(task: str, level: int, seed: int) -> Problem:
    return assay.get_task(task).generate(seed, difficulty=level)


def _number(p: Problem) -> Fraction | None:
    from assay.verifiers.numbers import parse_number

    return parse_number(p.data.get("gold", "")) if "verify_options" in p.data or p.task == "math/arithmetic" else None


def _numbers(texts: list[str]) -> list[Fraction]:
    return [Fraction(t) for t in texts]


def number_rows(p: Problem, value: Fraction) -> list[tuple[str, bool, str]]:
    rows = [
        (box(plain(value)), True, "p/q written plainly"),
        (box(latex(value).replace("\\frac", "\\dfrac")), True, "dfrac"),
        (box(f"\\left({latex(value)}\\right)"), True, "in \\left( \\right)"),
        (box(latex(value + 1)), False, "off by one"),
        (box(f"{latex(value)}, {latex(value)}"), False, "the answer twice as a list"),
        (box(f"{latex(value)}, {latex(value + 1)}"), False, "two candidates"),
    ]
    if value.denominator != 1:
        rows.append((box(f"\\frac{{{value.numerator * 4}}}{{{value.denominator * 4}}}"), True, "not in lowest terms"))
        rows.append((box(f"\\frac{{{value.denominator}}}{{{value.numerator}}}"), False, "numerator and denominator swapped"))
        if value.numerator < 0:
            rows.append((box(f"\\frac{{{value.numerator}}}{{{value.denominator}}}"), True, "the sign in the numerator"))
        decimal = terminating_decimal(value)
        if decimal is None:
            rows.append((box(f"{float(value):.4f}"), False, "a rounded decimal of a repeating fraction"))
        else:
            rows.append((box(decimal), True, "the exact decimal"))
        if abs(value) > 1:
            whole = abs(value.numerator) // value.denominator
            rest = abs(value) - whole
            sign = "-" if value < 0 else ""
            rows.append((box(f"{sign}{whole}\\frac{{{rest.numerator}}}{{{rest.denominator}}}"), True, "a mixed number"))
    elif abs(value) >= 1000:
        digits = str(abs(value.numerator))
        grouped = "{,}".join(digits[max(0, i - 3) : i] for i in range(len(digits) % 3 or 3, len(digits) + 1, 3))
        rows.append((box(("-" if value < 0 else "") + grouped), True, "LaTeX thousands separators"))
        rows.append((box(str(value * 10)), False, "a digit too many"))
    if value != 0:
        rows.append((box(latex(-value)), False, "wrong sign"))
    if value not in (0, 1, -1):
        rows.append((box(latex(1 / value)), False, "the reciprocal"))
    return rows


def set_rows(p: Problem) -> list[tuple[str, bool, str]]:
    roots = p.data["roots"]
    rows = [
        (box(", ".join(reversed(roots))), True, "roots in another order"),
        (box("\\{" + ", ".join(roots) + "\\}"), True, "the solution set"),
        (box(" \\text{ or } ".join(f"x = {r}" for r in roots)), True, "roots as equations joined by or"),
        (box(", ".join(roots[:-1])), False, "a root missing"),
        (box(", ".join(roots + [roots[0]])), False, "a root repeated"),
    ]
    if len(set(roots)) == len(roots) and "0" not in roots:
        rows.append((box(", ".join(roots + ["0"])), False, "an extra root"))
    return rows


def tuple_rows(p: Problem) -> list[tuple[str, bool, str]]:
    items = p.data.get("point") or p.data.get("values") or p.data.get("vector")
    values = _numbers(items)
    rendered = [latex(v) for v in values]
    rows = [
        (box("\\left(" + ", ".join(rendered) + "\\right)"), True, "left/right parentheses"),
        (box("\\begin{pmatrix} " + " \\\\ ".join(rendered) + " \\end{pmatrix}"), True, "a column vector"),
        (box("(" + ", ".join(rendered[:-1] + [latex(values[-1] + 1)]) + ")"), False, "last entry off by one"),
        (box("(" + ", ".join(rendered[:-1]) + ")") if len(rendered) > 2 else box(rendered[0]), False, "an entry missing"),
    ]
    if rendered != rendered[::-1]:
        rows.append((box("(" + ", ".join(reversed(rendered)) + ")"), False, "entries in reverse order"))
    if "names" in p.data:
        rows.append((box(", ".join(f"{n} = {r}" for n, r in zip(p.data["names"], rendered))), True, "named values"))
        shuffled = list(zip(p.data["names"], rendered))[::-1]
        rows.append((box(", ".join(f"{n} = {r}" for n, r in shuffled)), True, "named values in another order"))
    return rows


def _interval_text(interval: list) -> tuple[str, str]:
    """An interval from the payload as brackets and as an inequality in x."""
    low, high, low_closed, high_closed = interval
    lo = "-\\infty" if low is None else latex(Fraction(low))
    hi = "\\infty" if high is None else latex(Fraction(high))
    bracketed = ("[" if low_closed else "(") + f"{lo}, {hi}" + ("]" if high_closed else ")")
    below, above = ("\\le" if high_closed else "<"), ("\\le" if low_closed else "<")
    if low is None and high is None:
        return bracketed, "x \\in \\mathbb{R}"
    if low is None:
        return bracketed, f"x {below} {hi}"
    if high is None:
        return bracketed, f"{lo} {above} x"
    return bracketed, f"{lo} {above} x {below} {hi}"


def interval_rows(p: Problem) -> list[tuple[str, bool, str]]:
    intervals = p.data["intervals"]
    forms = [_interval_text(i) for i in intervals]
    rows = [(box(" \\text{ or } ".join(f[1] for f in forms)), True, "inequalities")]
    flipped = []
    for low, high, low_closed, high_closed in intervals:
        if low is not None:
            low_closed = not low_closed
        elif high is not None:
            high_closed = not high_closed
        flipped.append([low, high, low_closed, high_closed])
    rows.append((box(" \\cup ".join(_interval_text(i)[0] for i in flipped)), False, "an end open where closed or back"))
    if len(intervals) > 1:
        rows.append((box(" \\cup ".join(f[0] for f in reversed(forms))), True, "the union in another order"))
        rows.append((box(forms[0][0]), False, "part of the union"))
    return rows


def matrix_rows(p: Problem) -> list[tuple[str, bool, str]]:
    rows_ = [_numbers(r) for r in p.data["matrix"]]
    body = lambda m: " \\\\ ".join(" & ".join(latex(v) for v in r) for r in m)
    off = [list(r) for r in rows_]
    off[0][0] += 1
    out = [
        (box(f"\\begin{{bmatrix}} {body(rows_)} \\end{{bmatrix}}"), True, "bmatrix"),
        (box("[" + ", ".join("[" + ", ".join(plain(v) for v in r) + "]" for r in rows_) + "]"), True, "a nested list"),
        (box(f"\\begin{{pmatrix}} {body(off)} \\end{{pmatrix}}"), False, "one entry off"),
        (box(f"\\begin{{vmatrix}} {body(rows_)} \\end{{vmatrix}}"), False, "a determinant instead of the matrix"),
    ]
    transposed = [list(c) for c in zip(*rows_)]
    if transposed != rows_:
        out.append((box(f"\\begin{{pmatrix}} {body(transposed)} \\end{{pmatrix}}"), False, "transposed"))
    return out


def generic_rows(p: Problem) -> list[tuple[str, bool, str, str]]:
    """(completion, expected, why, tag) for any task."""
    gold = p.answer
    wrong = "0" if gold.strip() not in ("0", "(0)") else "1"
    question = p.data.get("question") or ""
    rows = [
        (box(gold), True, "the reference boxed", ""),
        (block(f"${gold}$"), True, "the reference in math delimiters", ""),
        (f"Checking everything once more, the final answer is ${gold}$.", True, "a closing sentence", ""),
        (block(wrong) + "\nWait, that is wrong.\n" + block(gold), True, "self-corrected to the reference", ""),
        (block(gold) + "\nWait, that is wrong.\n" + block(wrong), False, "self-corrected to a wrong value", ""),
        (f"It is $\\boxed{{{wrong}}}$ or $\\boxed{{{gold}}}$.", False, "two boxes, the reference last", ""),
        (f"It is $\\boxed{{{gold}}}$ or $\\boxed{{{wrong}}}$.", False, "two boxes, the reference first", ""),
        (box(f"{gold} \\text{{ or }} {wrong}"), False, "hedged in one box", ""),
        (box(f"{gold} \\text{{ or more}}"), False, "a qualifier after the reference", "qualifier"),
        (box(""), False, "an empty box", ""),
        (box("\\text{anything}"), False, "text instead of an answer", ""),
        (box(f"\\phantom{{{gold}}}"), False, "the reference in a phantom", ""),
        (box(f"\\color{{white}}{{{gold}}}"), False, "the reference in white", ""),
        ("I do not know.", False, "no answer", ""),
    ]
    if question and question.strip() != gold.strip() and p.task != "math/trig_values" or p.task == "math/arithmetic":
        rows.append((box(question or p.data["expression"]), False, "the question copied", ""))
    return rows


def rows_for(task: str, level: int, seed: int) -> list[tuple[str, bool, str, str]]:
    p = problem(task, level, seed)
    rows = generic_rows(p)
    value = _number(p)
    specific: list[tuple[str, bool, str]] = []
    if value is not None:
        specific = number_rows(p, value)
    elif "roots" in p.data:
        specific = set_rows(p)
    elif p.data.get("ordered"):
        specific = tuple_rows(p)
    elif "intervals" in p.data:
        specific = interval_rows(p)
    elif p.answer.startswith("\\begin"):
        specific = matrix_rows(p)
    return rows + [(c, e, w, "") for c, e, w in specific]


def _params() -> list:
    params = []
    for task in TASKS:
        for level in LEVELS:
            for seed in SEEDS:
                for completion, expected, why, tag in rows_for(task, level, seed):
                    marks = []
                    if tag and task in KNOWN.get(tag, (frozenset(), ""))[0]:
                        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[tag][1])]
                    params.append(pytest.param(task, level, seed, completion, expected, why, marks=marks,
                                               id=f"{task} d{level} s{seed} {why}"))
    return params


PARAMS = _params()


@pytest.mark.parametrize("task, level, seed, completion, expected, why", PARAMS)
def test_task_row(task: str, level: int, seed: int, completion: str, expected: bool, why: str) -> None:
    p = problem(task, level, seed)
    verdict = assay.get_task(task).check(p, completion)
    assert verdict.passed is expected, f"{why} (gold {p.answer!r}): {verdict}"
    assert verdict.score == (1.0 if expected else 0.0)


def test_rows_cover_every_task() -> None:
    assert {p.values[0] for p in PARAMS} == set(TASKS)
    assert len(PARAMS) >= 40 * len(TASKS)


# math-verify on the same rows, against each problem's reference answer: how many it gets wrong per
# task (recorded; a change in either direction fails, so the comparison in the report stays true)
MATH_VERIFY_WRONG_PER_TASK: dict[str, int] = {}


@pytest.mark.parametrize("task", TASKS)
def test_math_verify_on_task_rows(task: str) -> None:
    rows = [p.values for p in PARAMS if p.values[0] == task]
    wrong = sum(
        1 for _, level, seed, completion, expected, _ in rows
        if math_verify_passes(problem(task, level, seed).answer, completion) is not expected
    )
    assert wrong == MATH_VERIFY_WRONG_PER_TASK.get(task, 0), f"math-verify wrong on {wrong} of {len(rows)} rows"


if __name__ == "__main__":  # print math-verify's wrong counts per task, for MATH_VERIFY_WRONG_PER_TASK
    for task in TASKS:
        rows = [p.values for p in PARAMS if p.values[0] == task]
        wrong = sum(1 for _, lv, sd, c, e, _ in rows if math_verify_passes(problem(task, lv, sd).answer, c) is not e)
        print(f"    {task!r}: {wrong},  # of {len(rows)}")
