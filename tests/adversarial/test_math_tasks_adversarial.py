"""Adversarial rows for every generated math task, built from generated problems (several seeds and
levels): the reference in other forms, near misses built from the exact gold, and cheats.

Each completion is built from the problem's payload with exact arithmetic here (Fractions), never
from the task's own helpers; the expected verdict is the grader's, and the row says why. Rows that
meet a known fault carry its tag; ``KNOWN`` says which tasks it touches, and they run as strict xfails.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache

import pytest

import assay
from assay.types import Problem

TASKS = assay.list_tasks("math")
SEEDS = (0, 1)
LEVELS = (1, 3, 5)

# tasks whose data["question"] is a constant that is not the answer (a matrix whose eigenvalues are asked)
# or whose check reads no equation (an integrand): "question = answer" states something false
NOT_A_VALUE_QUESTION = {"math/eigenvalues", "math/indefinite_integral"}
# tag -> (tasks it touches, the fault): rows so tagged are strict xfails on those tasks only
KNOWN: dict[str, tuple[frozenset[str], str]] = {}


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


@cache
def problem(task: str, level: int, seed: int) -> Problem:
    return assay.get_task(task).generate(seed, difficulty=level)


def _number(p: Problem) -> Fraction | None:
    from assay.verifiers.numbers import parse_number

    return parse_number(p.data.get("gold", "")) if "verify_options" in p.data or p.task == "math/arithmetic" else None


def _numbers(texts: list[str]) -> list[Fraction]:
    return [Fraction(t) for t in texts]


def number_rows(p: Problem, value: Fraction) -> list[tuple[str, bool, str]]:
    strict = p.task == "math/arithmetic"  # the template's documented strict grammar: no mixed numbers, no separators
    rows = [
        (box(plain(value)), True, "p/q written plainly"),
        (box(latex(value).replace("\\frac", "\\dfrac")), True, "dfrac"),
        (box(f"\\left({latex(value)}\\right)"), True, "in \\left( \\right)"),
        (box(latex(value + 1)), False, "off by one"),
        (box(f"{latex(value)}, {latex(value)}"), False, "the answer twice as a list"),
        (box(f"{latex(value)}, {latex(value + 1)}"), False, "two candidates"),
        (box(f"0, {plain(value)}"), False, "zero and the gold as candidates (never a digit group)"),
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
            rows.append((box(f"{sign}{whole}\\frac{{{rest.numerator}}}{{{rest.denominator}}}"), not strict,
                         "a mixed number (refused by math/arithmetic, as documented)"))
    elif abs(value) >= 1000:
        digits = str(abs(value.numerator))
        grouped = "{,}".join(digits[max(0, i - 3) : i] for i in range(len(digits) % 3 or 3, len(digits) + 1, 3))
        rows.append((box(("-" if value < 0 else "") + grouped), not strict,
                     "LaTeX thousands separators (refused by math/arithmetic's strict grammar)"))
        rows.append((box(str(value * 10)), False, "a digit too many"))
    if value != 0:
        rows.append((box(latex(-value)), False, "wrong sign"))
    literal = (p.data.get("verify_options") or {}).get("literal_answers", False) or strict
    rows.append((box(f"{latex(value - 1)} + 1"), not literal,
                 "an unevaluated sum equal to the gold (refused where the task asks for a number)"))
    modulus = modulus_of(p)
    if modulus is not None:
        rows.append((box(str(value + modulus)), False, "a solution that is not the least non-negative one"))
        rows.append((box(f"x \\equiv {value} \\pmod{{{modulus}}}"), False,
                     "a residue class is not the integer asked for (policy: congruences)"))
    if value not in (0, 1, -1):
        rows.append((box(latex(1 / value)), False, "the reciprocal"))
    return rows


def modulus_of(p: Problem) -> int | None:
    """The modulus of a residue task: the period of a CRT system, the modulus of an inverse or power."""
    if p.task == "math/chinese_remainder":
        return int(p.data["period"])
    if p.task == "math/modular_inverse":
        return int(p.data["modulus"])
    match = re.search(r"\\bmod (\d+)", p.data.get("question") or "") if p.task == "math/modular_power" else None
    return int(match.group(1)) if match else None


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


def poly(coefficients: list[Fraction], ascending: bool = False) -> str:
    """A polynomial in x from coefficients (constant first), highest power first unless ``ascending``."""
    terms = [(k, Fraction(c)) for k, c in enumerate(coefficients) if c != 0]
    if not ascending:
        terms.reverse()
    text = ""
    for power, c in terms:
        body = "" if power and abs(c) == 1 else latex(abs(c))
        monomial = "" if power == 0 else "x" if power == 1 else f"x^{{{power}}}"
        sign = ("-" if c < 0 else "") if not text else (" - " if c < 0 else " + ")
        text += sign + (f"{body} {monomial}".strip() if body else monomial)
    return text or "0"


def times(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    """The product of two polynomials given by coefficients (constant first), trailing zeros dropped."""
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return out


def own_rows(p: Problem) -> list[tuple[str, bool, str]]:
    """Rows for tasks whose answer is an expression, a factorisation, a numeral or a radical."""
    task, data = p.task, p.data
    rows: list[tuple[str, bool, str]] = []
    if task == "math/polynomial_expansion":
        product = _numbers(data["product"])
        rows += [
            (box(poly(product, ascending=True)), True, "terms in ascending order"),
            (box(poly([product[0] + 1] + product[1:])), False, "constant term off by one"),
        ]
    elif task == "math/polynomial_factoring":
        factors = ["\\left(" + poly(_numbers(f)) + "\\right)" for f in data["factors"]]
        constant = "" if data["constant"] == 1 else "-" if data["constant"] == -1 else str(data["constant"])
        rows += [
            (box(constant + "".join(reversed(factors))), True, "factors in another order"),
            (box(constant + "".join(f.replace("\\left", "").replace("\\right", "") for f in factors)), True, "plain parentheses"),
            (box(poly(_numbers(data["product"]))), False, "the expanded polynomial is not factored"),
            (box(constant + "".join(factors[:-1])), False, "a factor missing"),
        ]
    elif task == "math/rational_simplification":
        numerator, denominator = _numbers(data["numerator"]), _numbers(data["denominator"])
        if len(denominator) > 1:
            rows.append((box(f"\\frac{{{poly([-c for c in numerator])}}}{{{poly([-c for c in denominator])}}}"), True,
                         "numerator and denominator negated"))
            rows.append((box(f"\\frac{{{poly(denominator)}}}{{{poly(numerator)}}}"), False, "upside down"))
        rows.append((box(f"\\frac{{{poly(numerator)}}}{{{poly(denominator + [Fraction(0)] * 0)}}} + 1"), False, "plus one"))
    elif task == "math/function_inverse":
        rows += [
            (box(f"f^{{-1}}(x) = {p.answer}"), True, "written as f^{-1}(x) = ..."),
            (box(f"y = {p.answer}"), True, "written as y = ..."),
        ]
        f_num, f_den = (_numbers(part) for part in data["function"])
        g_num, g_den = _numbers(data["numerator"]), _numbers(data["denominator"])
        forward = poly(f_num) if f_den == [1] else f"\\frac{{{poly(f_num)}}}{{{poly(f_den)}}}"
        involution = times(f_num, g_den) == times(g_num, f_den)  # f is its own inverse
        rows.append((box(forward), involution, "the function itself (right only when f is its own inverse)"))
    elif task == "math/indefinite_integral":
        body = p.answer.removesuffix(" + C")
        rows += [
            (box(body + " + K"), True, "another name for the constant"),
            (box(body), True, "the constant left out (the task's documented choice)"),
            (box(body + " + 1 + C"), True, "a shifted constant"),
            (box("x" + (" + " + body if not body.startswith("-") else " " + body.replace("-", "- ", 1)) + " + C"), False,
             "an extra x term"),
        ]
    elif task == "math/prime_factorization":
        factors = data["factors"]
        power = lambda b, e: str(b) if e == 1 else f"{b}^{{{e}}}"
        rows += [
            (box(" \\cdot ".join(power(b, e) for b, e in reversed(factors))), True, "factors in another order"),
            (box(" \\times ".join(str(b) for b, e in factors for _ in range(e))), True, "every prime repeated"),
            (box(str(data["n"])), len(factors) == 1 and factors[0][1] == 1, "the number itself"),
            (box(" \\cdot ".join(power(b, e + (i == 0)) for i, (b, e) in enumerate(factors))), False, "an exponent off by one"),
        ]
        if len(factors) >= 2:
            merged = factors[0][0] * factors[1][0]
            rest = [power(b, e) for b, e in factors[2:]]
            first = [power(factors[0][0], factors[0][1] - 1)] if factors[0][1] > 1 else []
            second = [power(factors[1][0], factors[1][1] - 1)] if factors[1][1] > 1 else []
            rows.append((box(" \\cdot ".join(first + second + [str(merged)] + rest)), False, "a composite factor"))
    elif task == "math/complex_arithmetic":
        real, imaginary = Fraction(data["real"]), Fraction(data["imaginary"])
        part = lambda v: ("" if abs(v) == 1 else latex(abs(v)) + " ") + "i"
        if real and imaginary:
            rows.append((box(f"{'-' if imaginary < 0 else ''}{part(imaginary)} {'-' if real < 0 else '+'} {latex(abs(real))}"), True,
                         "the imaginary part first"))
            rows.append((box(f"{latex(real)} {'+' if imaginary < 0 else '-'} {part(imaginary)}"), False, "the conjugate"))
        decimals = [terminating_decimal(real), terminating_decimal(imaginary)]
        if None not in decimals and (real.denominator > 1 or imaginary.denominator > 1):
            rows.append((box(f"{decimals[0]} {'-' if imaginary < 0 else '+'} {decimals[1].lstrip('-')}i"), True, "exact decimals"))
    elif task == "math/base_conversion":
        target, n = data["target"], int(data["value"])
        rows += [
            (box(f"{p.answer}_{{{target}}}"), True, "with the base as a subscript"),
            (box(p.answer.lower()), True, "lower-case digits"),
        ]
        if target != 10:
            rows.append((box(str(n)), False, "the value in base ten"))
    elif task == "math/point_distance":
        square = Fraction(data["square"])
        rows += [
            (box(f"\\sqrt{{{latex(square)}}}"), True, "the root of the squared distance"),
            (box(latex(square)), square in (0, 1), "the squared distance"),
        ]
        if Fraction(round(float(square) ** 0.5)) ** 2 != square:
            rows.append((box(f"{float(square) ** 0.5:.3f}"), False, "a rounded decimal"))
        rows += [
        ]
    elif task == "math/trig_values" and p.answer not in ("0", "1", "-1"):
        rows.append((box(f"{eval_trig(p):.4f}"), False, "a rounded decimal"))
    return rows


def eval_trig(p: Problem) -> float:
    import math

    functions = {"sin": math.sin, "cos": math.cos, "tan": math.tan,
                 "sec": lambda t: 1 / math.cos(t), "csc": lambda t: 1 / math.sin(t), "cot": lambda t: 1 / math.tan(t)}
    return functions[p.data["function"]](math.radians(p.data["degrees"]))


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
    if p.task == "math/arithmetic":
        question = p.data["expression"]
    if question and question.strip() != gold.strip():
        rows.append((box(question), False, "the question copied", ""))
        depth, sides = 0, [""]
        for char in question:  # "=" inside braces (\sum_{k=1}) is no relation
            depth += (char == "{") - (char == "}")
            if char == "=" and depth == 0:
                sides.append("")
            else:
                sides[-1] += char
        # an equation restated before its solution ("17 x = 15 x - 45 = -45/2") names x on every side:
        # the verifier reads such sides as names of the answer; a side with no x ("... = 2") is a value
        # that differs from the answer, so the chain is false
        constant_side = len(sides) > 1 and any(re.search(r"(?<![a-zA-Z\\])x(?![a-zA-Z])", side) is None for side in sides)
        restated = p.task not in NOT_A_VALUE_QUESTION and not constant_side
        why = "the question restated, then the answer" if restated else "the question is no value: 'question = answer' is false"
        rows.append((box(f"{question} = {gold}"), restated, why, "restated"))
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
    else:
        specific = own_rows(p)
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
