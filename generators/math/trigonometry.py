"""math/trig_values: exact values of the six trigonometric functions at multiples of 15 degrees
(degrees or radians), as radicals; a gate keeps a copied trigonometric expression from passing.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_bool, require_choice
from assay.generators.math.answers import BY_VERIFIER_THEN_FORM, MathTask, answer_options, delegate, final_answer
from assay.generators.math.probes import merged
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.math.parse import ParseError, parse
from assay.verifiers.math.probes import probes_for

Radical = tuple[tuple[Fraction, int], ...]  # sum of coefficient * sqrt(radicand); radicand 1 is rational

# first-quadrant values at 0, 15, ..., 90 degrees (None: undefined)
_S2, _S3, _S6 = 2, 3, 6
SIN: dict[int, Radical] = {
    0: (), 15: ((Fraction(1, 4), _S6), (Fraction(-1, 4), _S2)), 30: ((Fraction(1, 2), 1),), 45: ((Fraction(1, 2), _S2),),
    60: ((Fraction(1, 2), _S3),), 75: ((Fraction(1, 4), _S6), (Fraction(1, 4), _S2)), 90: ((Fraction(1), 1),),
}
TAN: dict[int, Radical | None] = {
    0: (), 15: ((Fraction(2), 1), (Fraction(-1), _S3)), 30: ((Fraction(1, 3), _S3),), 45: ((Fraction(1), 1),),
    60: ((Fraction(1), _S3),), 75: ((Fraction(2), 1), (Fraction(1), _S3)), 90: None,
}
CSC: dict[int, Radical | None] = {
    0: None, 15: ((Fraction(1), _S6), (Fraction(1), _S2)), 30: ((Fraction(2), 1),), 45: ((Fraction(1), _S2),),
    60: ((Fraction(2, 3), _S3),), 75: ((Fraction(1), _S6), (Fraction(-1), _S2)), 90: ((Fraction(1), 1),),
}
FUNCTIONS = ("sin", "cos", "tan", "csc", "sec", "cot")
RECIPROCAL = {"sin": "csc", "cos": "sec", "tan": "cot", "csc": "sin", "sec": "cos", "cot": "tan"}
ALLOWED_NODES = {"num", "add", "neg", "mul", "div", "root", "pow"}


def first_quadrant(function: str, angle: int) -> Radical | None:
    """The value at a reference angle in [0, 90] degrees."""
    if function == "sin":
        return SIN[angle]
    if function == "cos":
        return SIN[90 - angle]
    if function == "tan":
        return TAN[angle]
    if function == "cot":
        return TAN[90 - angle]
    if function == "csc":
        return CSC[angle]
    return CSC[90 - angle]  # sec


def value(function: str, degrees: int) -> Radical | None:
    """The exact value of ``function`` at ``degrees`` (a multiple of 15), None where undefined.

    >>> value("sin", 210), value("tan", 90)
    (((Fraction(-1, 2), 1),), None)
    """
    angle = degrees % 360
    if angle % 90 == 0:
        return _axis(function, angle)
    quadrant = angle // 90
    reference = {0: angle, 1: 180 - angle, 2: angle - 180, 3: 360 - angle}[quadrant]
    base = first_quadrant(function, reference)
    assert base is not None  # only axis angles are undefined
    positive = {"sin": (0, 1), "csc": (0, 1), "cos": (0, 3), "sec": (0, 3), "tan": (0, 2), "cot": (0, 2)}[function]
    return base if quadrant in positive else tuple((-c, r) for c, r in base)


def _axis(function: str, angle: int) -> Radical | None:
    sine, cosine = {0: (0, 1), 90: (1, 0), 180: (0, -1), 270: (-1, 0)}[angle]
    ratio = {"sin": (sine, 1), "cos": (cosine, 1), "tan": (sine, cosine), "cot": (cosine, sine), "csc": (1, sine), "sec": (1, cosine)}[function]
    if ratio[1] == 0:
        return None
    number = Fraction(ratio[0], ratio[1])
    return ((number, 1),) if number else ()


def radical_latex(terms: Radical) -> str:
    """``\\frac{\\sqrt{6} - \\sqrt{2}}{4}``, ``-\\frac{2 \\sqrt{3}}{3}``, ``2 - \\sqrt{3}``, ``0``.

    >>> radical_latex(((Fraction(-2), 1), (Fraction(-1), 3))), radical_latex(((Fraction(-1, 4), 6), (Fraction(-1, 4), 2)))
    ('-2 - \\\\sqrt{3}', '-\\\\frac{\\\\sqrt{2} + \\\\sqrt{6}}{4}')
    """
    terms = tuple((c, r) for c, r in terms if c)
    if not terms:
        return "0"
    denominator = math.lcm(*(c.denominator for c, _ in terms))
    integers = [(int(c * denominator), r) for c, r in terms]
    if denominator > 1 and all(n < 0 for n, _ in integers):
        return "-" + radical_latex(tuple((-c, r) for c, r in terms))  # the fraction bar groups the sum
    integers.sort(key=lambda t: (t[0] < 0, t[1]))  # positive terms first
    parts = []
    for index, (n, r) in enumerate(integers):
        body = str(abs(n)) if r == 1 else (f"\\sqrt{{{r}}}" if abs(n) == 1 else f"{abs(n)} \\sqrt{{{r}}}")
        parts.append(("-" if n < 0 else "") + body if index == 0 else f"{'-' if n < 0 else '+'} {body}")
    numerator = " ".join(parts)
    return numerator if denominator == 1 else f"\\frac{{{numerator}}}{{{denominator}}}"


def angle_latex(degrees: int, radians: bool) -> str:
    if not radians:
        return f"{degrees}^\\circ"
    ratio = Fraction(degrees, 180)
    if ratio == 0:
        return "0"
    sign = "-" if ratio < 0 else ""
    ratio = abs(ratio)
    top = "\\pi" if ratio.numerator == 1 else f"{ratio.numerator}\\pi"
    return f"{sign}{top}" if ratio.denominator == 1 else f"{sign}\\frac{{{top}}}{{{ratio.denominator}}}"


def _only_radicals(node: tuple) -> bool:
    if node[0] not in ALLOWED_NODES:
        return False
    return all(_only_radicals(child) for child in _children(node))


def _children(node: tuple) -> list[tuple]:
    out: list[tuple] = []
    for part in node[1:]:
        if isinstance(part, tuple) and part and isinstance(part[0], str):
            out.append(part)
        elif isinstance(part, tuple):
            out.extend(p for p in part if isinstance(p, tuple) and p and isinstance(p[0], str))
    return out


@dataclass(frozen=True)
class TrigConfig(TaskConfig):
    functions: tuple[str, ...] = ("sin", "cos")
    step: int = 30  # angles are multiples of this many degrees
    low: int = 0  # angle range in degrees
    high: int = 90
    radians: bool = False

    def __post_init__(self) -> None:
        for f in self.functions:
            require_choice("functions", f, FUNCTIONS)
        require_choice("step", self.step, (15, 30, 45))
        require_bool("radians", self.radians)


@register_task
class TrigValues(MathTask[TrigConfig]):
    id = "math/trig_values"
    description = "Exact values of trigonometric functions at multiples of 15 degrees, as radicals."
    answer_format = "an exact value with radicals, e.g. \\frac{\\sqrt{6} - \\sqrt{2}}{4} (unrationalised forms also accepted)"
    verification = (
        "The verifier's bounded parser must read the answer as numbers and radicals only (no trigonometric "
        "function, pi or degree sign, so the copied question earns nothing); then assay.verifiers.math.verify "
        "compares it symbolically with the exact gold."
    )
    Config = TrigConfig
    levels = {
        1: TrigConfig(("sin", "cos", "tan"), 15, 0, 90),
        2: TrigConfig(("sin", "cos", "tan"), 30, 0, 360),
        3: TrigConfig(("sin", "cos", "tan"), 45, -360, 720, radians=True),
        4: TrigConfig(("csc", "sec", "cot"), 30, -360, 360, radians=True),
        5: TrigConfig(FUNCTIONS, 15, -360, 720, radians=True),
    }
    timeout_s = 10.0

    def build(self, rng: random.Random, config: TrigConfig) -> Draft:
        steps = [30, 45] if config.step in (30, 45) and config.high > 90 else [config.step]
        for _ in range(1000):
            step = rng.choice(steps)
            if config.step == 15 and config.high <= 90:
                degrees = rng.choice([0, 30, 45, 60, 90])
            else:
                degrees = step * rng.randint(config.low // step, config.high // step)
            if config.step == 15 and config.high > 90 and degrees % 30 == 0 and degrees % 45 == 0 and rng.random() < 0.7:
                continue  # favour the 15-degree family at level 5
            function = rng.choice(config.functions)
            result = value(function, degrees)
            if result is not None:
                break
        else:
            raise RuntimeError("could not draw a defined value")  # a generator bug
        angle = angle_latex(degrees, config.radians)
        question = f"\\{function}\\left({angle}\\right)"
        gold = radical_latex(result)
        prompt = (f"Find the exact value of ${question}$.\n\nGive it exactly, with radicals if needed (no decimals). "
                  f"{ANSWER_INSTRUCTION}")
        reciprocal = value(RECIPROCAL[function], degrees)
        data = {"gold": gold, "question": question, "degrees": degrees, "function": function,
                "reciprocal": None if reciprocal is None else radical_latex(reciprocal)}
        return Draft(prompt, gold, data)

    decided_by = BY_VERIFIER_THEN_FORM

    def check(self, problem: Problem, completion: str) -> Verdict:
        verdict = delegate(problem, completion)
        if not verdict.passed:
            return verdict
        block = answer_options(problem).require_answer_block
        candidate = final_answer(completion, problem.data["question"], require_answer_block=block)
        try:
            tree = parse(candidate) if candidate is not None else None
        except ParseError:
            tree = None
        if tree is not None and tree[0] == "eq" and len(tree[1]) == 2 and tree[1][0][0] == "var":
            tree = tree[1][1]  # "x = value"
        if tree is None or not _only_radicals(tree):
            return Verdict.fail("unparseable", message="the answer must be numbers and radicals only")
        return verdict

    def probes(self, problem: Problem) -> list[Probe]:
        gold, function, degrees = problem.answer, problem.data["function"], problem.data["degrees"]
        own = [
            Probe(wrap(problem.data["question"]), False, "the question copied"),
            Probe(wrap(f"{gold} \\text{{ or }} {radical_latex(((Fraction(1, 2), 1),))}") if gold != "\\frac{1}{2}" else wrap(f"{gold} \\text{{ or }} 1"),
                  False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        reciprocal = problem.data["reciprocal"]
        if reciprocal is not None and reciprocal != "0":
            own.append(Probe(wrap(f"\\frac{{1}}{{{reciprocal}}}"), True, "one over the reciprocal function's value"))
            if reciprocal != gold:
                own.append(Probe(wrap(reciprocal), False, "the reciprocal function's value"))
        cofunction = {"sin": "cos", "cos": "sin", "tan": "cot", "cot": "tan", "sec": "csc", "csc": "sec"}[function]
        other = value(cofunction, degrees)
        if other is not None and radical_latex(other) != gold:
            own.append(Probe(wrap(radical_latex(other)), False, "the co-function's value"))
        exact = value(function, degrees)
        if gold != "0" and exact is not None:
            own.append(Probe(wrap(radical_latex(tuple((-c, r) for c, r in exact))), False, "wrong sign"))
        return merged(probes_for(gold), own)

