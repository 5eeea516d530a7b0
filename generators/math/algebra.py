"""Algebra tasks: linear equations, linear systems (ordered tuples), quadratic equations (sets of
exact roots, surds and complex numbers included) and inequalities (answers in interval notation).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_bool, require_choice, require_int
from assay.generators.math.answers import MathTask, NumberTask, Posed, delegate
from assay.generators.math.formatting import latex_number, latex_polynomial, latex_tuple, pick, quadratic_roots
from assay.generators.math.intervals import (
    Interval,
    interval_probes,
    intervals_from_data,
    intervals_to_data,
    solve_region,
    union_latex,
)
from assay.registry import ANSWER_INSTRUCTION, ConfigT, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers import math as math_verifier

VARIABLES = ("x", "y", "z", "w", "v")


class DelegatedTask(MathTask[ConfigT]):
    """A task whose check is the math verifier's verdict against ``data["gold"]``."""

    timeout_s = 10.0

    def check(self, problem: Problem, completion: str) -> Verdict:
        return delegate(problem, completion)


# -- linear equation ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearEquationConfig(TaskConfig):
    pieces: int = 2  # terms on the two sides together
    magnitude: int = 10
    grouped: bool = False  # pieces such as 3(2x - 1) and (2x - 1)/3
    integer_solution: bool = True

    def __post_init__(self) -> None:
        require_int("pieces", self.pieces, 2, 10)
        require_int("magnitude", self.magnitude, 2, 1000)
        require_bool("grouped", self.grouped)
        require_bool("integer_solution", self.integer_solution)


def _linear_piece(rng: random.Random, config: LinearEquationConfig, style: str) -> tuple[str, Fraction, Fraction]:
    """A piece of one side: its LaTeX, its x coefficient and its constant."""
    m = config.magnitude
    if style == "const":
        c = pick(rng, -m, m, nonzero=True)
        return str(c), Fraction(0), Fraction(c)
    if style == "x":
        a = pick(rng, -m, m, nonzero=True)
        return latex_polynomial([0, a]), Fraction(a), Fraction(0)
    p, q, k = pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True), pick(rng, 2, max(2, m // 2))
    inner = latex_polynomial([q, p])
    if style == "times":
        return f"{k}\\left({inner}\\right)", Fraction(k * p), Fraction(k * q)
    return f"\\frac{{{inner}}}{{{k}}}", Fraction(p, k), Fraction(q, k)


def _join(pieces: list[tuple[str, Fraction, Fraction]]) -> str:
    out = pieces[0][0]
    for text, _, _ in pieces[1:]:
        out += f" - {text[1:]}" if text.startswith("-") else f" + {text}"
    return out


@register_task
class LinearEquation(NumberTask[LinearEquationConfig]):
    id = "math/linear_equation"
    description = "Solve a linear equation in one unknown exactly."
    Config = LinearEquationConfig
    levels = {
        1: LinearEquationConfig(3, 10, False, True),
        2: LinearEquationConfig(4, 12, False, True),
        3: LinearEquationConfig(3, 20, True, False),
        4: LinearEquationConfig(4, 20, True, False),
        5: LinearEquationConfig(6, 30, True, False),
    }

    def pose(self, rng: random.Random, config: LinearEquationConfig) -> Posed:
        styles = ["x", "const"] + (["times", "over"] if config.grouped else [])
        for _ in range(1000):
            left = [_linear_piece(rng, config, rng.choice(["x"] + styles[2:]))]
            left += [_linear_piece(rng, config, rng.choice(styles)) for _ in range((config.pieces + 1) // 2 - 1)]
            count = config.pieces // 2 - (1 if config.integer_solution else 0)
            right = [_linear_piece(rng, config, rng.choice(styles) if i or config.pieces < 4 else "x") for i in range(count)]
            if config.integer_solution:
                # fix the solution, then append the right-hand constant that makes it hold
                x0 = pick(rng, -config.magnitude, config.magnitude)
                needed = sum((p[1] * x0 + p[2] for p in left), Fraction(0)) - sum((p[1] * x0 + p[2] for p in right), Fraction(0))
                if needed == 0 or needed.denominator != 1:
                    continue
                right.append((str(needed), Fraction(0), needed))
            if not right:
                right.append(_linear_piece(rng, config, "const"))
            coefficient = sum((p[1] for p in left), Fraction(0)) - sum((p[1] for p in right), Fraction(0))
            if coefficient == 0:
                continue
            solution = (sum((p[2] for p in right), Fraction(0)) - sum((p[2] for p in left), Fraction(0))) / coefficient
            equation = f"{_join(left)} = {_join(right)}"
            return Posed(f"Solve for $x$: ${equation}$.", solution, equation)
        raise RuntimeError("could not draw a solvable equation")  # a generator bug

    def more_probes(self, problem: Problem) -> list[Probe]:
        return [Probe(wrap(f"x = {problem.answer}"), True, "written as x = value")]


# -- linear system -----------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearSystemConfig(TaskConfig):
    unknowns: int = 2
    magnitude: int = 5  # largest coefficient
    solution_magnitude: int = 5
    fractional: bool = False  # the solution may be fractional

    def __post_init__(self) -> None:
        require_int("unknowns", self.unknowns, 2, 5)
        require_int("magnitude", self.magnitude, 1, 100)
        require_int("solution_magnitude", self.solution_magnitude, 1, 1000)
        require_bool("fractional", self.fractional)


def solve_linear(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gauss-Jordan elimination over the rationals; None when the matrix is singular.

    >>> solve_linear([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(-1)]], [Fraction(3), Fraction(1)])
    [Fraction(2, 1), Fraction(1, 1)]
    """
    n = len(matrix)
    rows = [list(map(Fraction, row)) + [Fraction(b)] for row, b in zip(matrix, rhs)]
    for column in range(n):
        pivot = next((r for r in range(column, n) if rows[r][column] != 0), None)
        if pivot is None:
            return None
        rows[column], rows[pivot] = rows[pivot], rows[column]
        lead = rows[column][column]
        rows[column] = [v / lead for v in rows[column]]
        for r in range(n):
            if r != column and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column])]
    return [row[n] for row in rows]


def latex_linear_combination(coefficients: list[int], names: tuple[str, ...]) -> str:
    terms = [(c, name) for c, name in zip(coefficients, names) if c != 0]
    out = ""
    for index, (c, name) in enumerate(terms):
        body = name if abs(c) == 1 else f"{abs(c)} {name}"
        out += (("-" if c < 0 else "") + body) if index == 0 else (f" - {body}" if c < 0 else f" + {body}")
    return out or "0"


@register_task
class LinearSystem(DelegatedTask[LinearSystemConfig]):
    id = "math/linear_system"
    description = "Solve a system of linear equations with a unique solution; answer an ordered tuple."
    answer_format = "an ordered tuple such as (2, -1, \\frac{1}{2}) in the order the prompt names"
    verification = (
        "Delegated to assay.verifiers.math.verify against the ordered tuple gold (a column vector too), else "
        "against the named solution (x = 2, y = -1), so each unknown may be named with its value in any order."
    )
    Config = LinearSystemConfig
    levels = {
        1: LinearSystemConfig(2, 5, 5),
        2: LinearSystemConfig(3, 5, 5),
        3: LinearSystemConfig(3, 9, 10),
        4: LinearSystemConfig(4, 9, 10),
        5: LinearSystemConfig(4, 12, 10, fractional=True),
    }

    def build(self, rng: random.Random, config: LinearSystemConfig) -> Draft:
        n, m = config.unknowns, config.magnitude
        names = VARIABLES[:n] if n <= 3 else ("w", "x", "y", "z", "v")[:n]
        for _ in range(1000):
            matrix = [[rng.randint(-m, m) for _ in range(n)] for _ in range(n)]
            if any(all(v == 0 for v in row) for row in matrix):
                continue
            if solve_linear([[Fraction(v) for v in row] for row in matrix], [Fraction(0)] * n) is None:
                continue
            scale = rng.randint(2, 6) if config.fractional else 1
            solution = [Fraction(rng.randint(-config.solution_magnitude, config.solution_magnitude), scale) for _ in range(n)]
            if config.fractional and all(s.denominator == 1 for s in solution):
                continue
            rhs = []
            for index, row in enumerate(matrix):
                value = sum((a * s for a, s in zip(row, solution)), Fraction(0))
                if value.denominator != 1:  # scale the equation so that it has integer coefficients
                    matrix[index] = [a * value.denominator for a in row]
                    value *= value.denominator
                rhs.append(value)
            break
        else:
            raise RuntimeError("could not draw a regular system")  # a generator bug
        lines = "\n".join(f"${latex_linear_combination(row, names)} = {latex_number(b)}$" for row, b in zip(matrix, rhs))
        order = latex_tuple(list(names))
        gold = latex_tuple([latex_number(v) for v in solution])
        prompt = (f"Solve the system of equations:\n{lines}\n\nGive the solution as an ordered tuple ${order}$, "
                  f"with exact integers or fractions. {ANSWER_INSTRUCTION}")
        data = {"gold": gold, "ordered": True, "names": list(names), "values": [str(v) for v in solution]}
        return Draft(prompt, gold, data)

    def check(self, problem: Problem, completion: str) -> Verdict:
        """Against the tuple gold (in the prompt's order; a column vector too), else against the named
        solution (x = 2, y = -1) in any order: the tuple gold alone read 'y = 2, x = 1' by position."""
        verdict = delegate(problem, completion)
        if verdict.passed:
            return verdict
        named = ", ".join(f"{n} = {latex_number(Fraction(v))}" for n, v in zip(problem.data["names"], problem.data["values"]))
        return math_verifier.verify(completion, named) if "=" in completion else verdict

    def probes(self, problem: Problem) -> list[Probe]:
        values = [Fraction(v) for v in problem.data["values"]]
        names = problem.data["names"]
        items = [latex_number(v) for v in values]
        probes = [
            Probe(f"\\boxed{{\\left({', '.join(items)}\\right)}}", True, "boxed with \\left( \\right)"),
            Probe(wrap("(" + ",".join(f"{v.numerator}/{v.denominator}" if v.denominator > 1 else str(v.numerator) for v in values) + ")"), True, "plain p/q entries, no spaces"),
            Probe(wrap(", ".join(f"{n} = {i}" for n, i in zip(names, items))), True, "as equations for each unknown"),
            Probe(wrap(", ".join(f"{n} = {i}" for n, i in reversed(list(zip(names, items))))), True, "named values in another order"),
            Probe(wrap(latex_tuple(items[:-1])), False, "a missing entry"),
            Probe(wrap(latex_tuple(items + ["0"])), False, "an extra entry"),
            Probe(wrap(latex_tuple([latex_number(values[0] + 1)] + items[1:])), False, "first entry off by one"),
            Probe(wrap(f"{problem.answer} or {latex_tuple([latex_number(values[0] + 1)] + items[1:])}"), False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        if values != values[::-1]:
            probes.append(Probe(wrap(latex_tuple(items[::-1])), False, "entries in reverse order"))
        nonzero = next((i for i, v in enumerate(values) if v != 0), None)
        if nonzero is not None:
            flipped = list(items)
            flipped[nonzero] = latex_number(-values[nonzero])
            probes.append(Probe(wrap(latex_tuple(flipped)), False, "one sign flipped"))
        return probes


# -- quadratic equation ------------------------------------------------------------------------
@dataclass(frozen=True)
class QuadraticConfig(TaskConfig):
    kind: str = "integer"  # "integer", "rational", "surd", "any"
    magnitude: int = 9
    complex_roots: bool = False  # may have non-real roots (asks for all complex solutions)
    rearranged: bool = False  # not in standard form

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("integer", "rational", "surd", "any"))
        require_int("magnitude", self.magnitude, 2, 1000)
        require_bool("complex_roots", self.complex_roots)
        require_bool("rearranged", self.rearranged)


@register_task
class QuadraticRoots(DelegatedTask[QuadraticConfig]):
    id = "math/quadratic_roots"
    description = "All solutions of a quadratic equation, exactly: rational, surd or complex roots."
    answer_format = "the distinct solutions separated by commas (any order), e.g. \\frac{3 - \\sqrt{5}}{2}, \\frac{3 + \\sqrt{5}}{2}"
    verification = "Delegated to assay.verifiers.math.verify: an unordered set of exact roots against the gold."
    Config = QuadraticConfig
    levels = {
        1: QuadraticConfig("integer", 9),
        2: QuadraticConfig("rational", 6),
        3: QuadraticConfig("surd", 9),
        4: QuadraticConfig("any", 9, complex_roots=True),
        5: QuadraticConfig("any", 12, complex_roots=True, rearranged=True),
    }

    def _coefficients(self, rng: random.Random, config: QuadraticConfig) -> tuple[int, int, int]:
        m = config.magnitude
        for _ in range(10_000):
            if config.kind == "integer":
                r1, r2 = rng.randint(-m, m), rng.randint(-m, m)
                return 1, -(r1 + r2), r1 * r2
            if config.kind == "rational":
                p1, p2 = rng.randint(1, m), rng.randint(1, m)
                q1, q2 = pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True)
                a, b, c = p1 * p2, -(p1 * q2 + p2 * q1), q1 * q2
                if math.gcd(math.gcd(a, b), c) == 1 and a > 1:
                    return a, b, c
                continue
            a = 1 if config.kind == "surd" else rng.randint(1, m // 2 + 1)
            b, c = rng.randint(-m, m), pick(rng, -m * m // 2, m * m // 2, nonzero=True)
            d = b * b - 4 * a * c
            if math.gcd(math.gcd(a, b), c) != 1:
                continue
            if d == 0 or (d < 0 and not config.complex_roots):
                continue
            if d > 0 and math.isqrt(d) ** 2 == d and config.kind == "surd":
                continue
            return a, b, c
        raise RuntimeError("could not draw a quadratic")  # a generator bug

    def build(self, rng: random.Random, config: QuadraticConfig) -> Draft:
        a, b, c = self._coefficients(rng, config)
        if config.rearranged:
            # (x + p)(a x + q) = k x + r0 has the same roots as a x^2 + b x + c = 0
            p, q = pick(rng, -config.magnitude, config.magnitude, nonzero=True), pick(rng, -config.magnitude, config.magnitude, nonzero=True)
            k, r0 = q + a * p - b, p * q - c
            equation = f"\\left({latex_polynomial([p, 1])}\\right)\\left({latex_polynomial([q, a])}\\right) = {latex_polynomial([r0, k])}"
        else:
            equation = f"{latex_polynomial([c, b, a])} = 0"
        roots = quadratic_roots(a, b, c)
        scope = "complex" if config.complex_roots else "real"
        # a double root is written as a one-element set: the verifier then also accepts the bare
        # number, while a bare-number gold would refuse the set \{r\} (a correct answer)
        gold = ", ".join(roots) if len(roots) > 1 else f"\\{{{roots[0]}\\}}"
        prompt = (f"Find all {scope} solutions of ${equation}$.\n\nGive every distinct solution exactly "
                  f"(radicals, and i for the imaginary unit, allowed), separated by commas. {ANSWER_INSTRUCTION}")
        data = {"gold": gold, "ordered": False, "roots": roots, "coefficients": [a, b, c], "equation": equation}
        return Draft(prompt, gold, data)

    def probes(self, problem: Problem) -> list[Probe]:
        roots = problem.data["roots"]
        a, b, c = problem.data["coefficients"]
        negated = quadratic_roots(a, -b, c)
        probes = [
            Probe(wrap(", ".join(reversed(roots))), True, "roots in the other order"),
            Probe(wrap("\\{" + ", ".join(roots) + "\\}"), True, "as a set in braces"),
            Probe(wrap(problem.data["equation"]), False, "the equation copied"),
            Probe(wrap(""), False, "empty"),
        ]
        if len(roots) == 2:
            probes.append(Probe(wrap(roots[0]), False, "one root missing"))
            probes.append(Probe(wrap(" \\text{ or } ".join(f"x = {r}" for r in roots)), True, "x = a or x = b (both roots, not a hedge)"))
            plus = roots[1]
            if "\\sqrt" in plus or plus.endswith("i"):
                together = plus.replace(" + ", " \\pm ", 1) if " + " in plus else f"\\pm {plus}"
                probes.append(Probe(wrap(together), True, "both roots written with \\pm"))
        if sorted(negated) != sorted(roots):
            probes.append(Probe(wrap(", ".join(negated)), False, "roots of the equation with b negated"))
        probes.append(Probe(wrap(", ".join(roots + ["0"])) if "0" not in roots else wrap(", ".join(roots + ["1000"])), False, "an extra root"))
        return probes


# -- inequality --------------------------------------------------------------------------------
@dataclass(frozen=True)
class InequalityConfig(TaskConfig):
    kind: str = "linear"  # "linear", "compound", "quadratic", "rational"
    magnitude: int = 9
    negative_leading: bool = False  # the x coefficient may be negative (the sign flips)

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("linear", "compound", "quadratic", "rational"))
        require_int("magnitude", self.magnitude, 2, 1000)
        require_bool("negative_leading", self.negative_leading)


RELATIONS = {"<": "<", ">": ">", "\\le": "<=", "\\ge": ">="}


def _holds(value: Fraction, relation: str) -> bool:
    return {"<": value < 0, ">": value > 0, "\\le": value <= 0, "\\ge": value >= 0}[relation]


@register_task
class Inequality(DelegatedTask[InequalityConfig]):
    id = "math/inequality"
    version = 2  # version 1 rows lack the solved_inequalities option in their data
    description = "Solve an inequality in one unknown; answer the solution set in interval notation."
    answer_format = "interval notation such as (-\\infty, 3] or (-\\infty, -2) \\cup (1, \\infty)"
    verification = (
        "Delegated to assay.verifiers.math.verify: intervals with open and closed ends and unions against the gold; "
        "an inequality answer must be solved for x (solved_inequalities: the question or a step of it never pays)."
    )
    Config = InequalityConfig
    levels = {
        1: InequalityConfig("linear", 9),
        2: InequalityConfig("linear", 12, negative_leading=True),
        3: InequalityConfig("compound", 12, negative_leading=True),
        4: InequalityConfig("quadratic", 9, negative_leading=True),
        5: InequalityConfig("rational", 9, negative_leading=True),
    }

    def build(self, rng: random.Random, config: InequalityConfig) -> Draft:
        m = config.magnitude
        relation = rng.choice(list(RELATIONS))
        low_a = -m if config.negative_leading else 1
        for _ in range(1000):
            a, b = pick(rng, low_a, m, nonzero=True), rng.randint(-m, m)
            if config.kind == "linear":
                c = rng.randint(-3 * m, 3 * m)
                if (not config.negative_leading and (c - b) % a) or (a == 1 and b == 0):
                    continue  # a non-integer endpoint at level 1, or an inequality that is already solved
                text = f"{latex_polynomial([b, a])} {relation} {c}"

                def linear(x: Fraction, a: int = a, b: int = b, c: int = c) -> bool:
                    return _holds(a * x + b - c, relation)

                region = solve_region(linear, [Fraction(c - b, a)])
            elif config.kind == "compound":
                c1, c2 = sorted(rng.sample(range(-3 * m, 3 * m), 2))
                if a == 1 and b == 0:
                    continue  # already solved
                left, right = rng.choice(["<", "\\le"]), rng.choice(["<", "\\le"])
                text = f"{c1} {left} {latex_polynomial([b, a])} {right} {c2}"

                def inside(x: Fraction, a: int = a, b: int = b, c1: int = c1, c2: int = c2, left: str = left, right: str = right) -> bool:
                    v = a * x + b
                    return (v > c1 if left == "<" else v >= c1) and (v < c2 if right == "<" else v <= c2)

                region = solve_region(inside, [Fraction(c1 - b, a), Fraction(c2 - b, a)])
            elif config.kind == "quadratic":
                p1, p2 = rng.randint(1, 3), rng.randint(1, 3)
                q1, q2 = rng.randint(-m, m), rng.randint(-m, m)
                sign = 1 if a > 0 else -1
                coeffs = [sign * q1 * q2, -sign * (p1 * q2 + p2 * q1), sign * p1 * p2]
                if Fraction(q1, p1) == Fraction(q2, p2):
                    continue
                text = f"{latex_polynomial(coeffs)} {relation} 0"

                def quadratic(x: Fraction, k: list[int] = coeffs) -> bool:
                    return _holds(k[2] * x * x + k[1] * x + k[0], relation)

                region = solve_region(quadratic, [Fraction(q1, p1), Fraction(q2, p2)])
            else:
                r, k = rng.randint(-m, m), rng.randint(-3, 3)
                if a * r + b == 0 or a == k:  # a removable point or a constant function
                    continue
                text = f"\\frac{{{latex_polynomial([b, a])}}}{{{latex_polynomial([-r, 1])}}} {relation} {k}"

                def rational(x: Fraction, a: int = a, b: int = b, r: int = r, k: int = k) -> bool:
                    return x != r and _holds((a * x + b) / (x - r) - k, relation)

                region = solve_region(rational, [Fraction(r), Fraction(-b - k * r, a - k)])
            if region and region != [Interval(None, None)]:
                break
        else:
            raise RuntimeError("could not draw an inequality")  # a generator bug
        gold = union_latex(region)
        prompt = (f"Solve the inequality ${text}$ for real $x$.\n\nGive the solution set in interval notation, "
                  f"using \\cup for a union and \\infty for infinity. {ANSWER_INSTRUCTION}")
        data = {"gold": gold, "inequality": text, "intervals": intervals_to_data(region),
                "verify_options": {"solved_inequalities": True}}  # the question itself, or a step of it, never pays
        return Draft(prompt, gold, data)

    def probes(self, problem: Problem) -> list[Probe]:
        return interval_probes(problem.answer, intervals_from_data(problem.data["intervals"]), problem.data["inequality"])
