"""math/complex_arithmetic: sums, products, quotients and powers of complex numbers, answered in
the form a + b i (a grammar gate keeps an unevaluated expression from passing).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.generators.math import expressions as P
from assay.generators.math.answers import BY_VERIFIER_THEN_FORM, MathTask, answer_options, delegate, final_answer
from assay.generators.math.formatting import latex_number, pick
from assay.generators.math.probes import merged
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.math.probes import probes_for

Complex = tuple[Fraction, Fraction]


def latex_complex(z: Complex) -> str:
    """``\\frac{3}{5} - \\frac{4}{5} i``, ``-i``, ``7``.

    >>> latex_complex((Fraction(3, 5), Fraction(-4, 5))), latex_complex((Fraction(0), Fraction(-1)))
    ('\\\\frac{3}{5} - \\\\frac{4}{5} i', '-i')
    """
    real, imaginary = z
    if imaginary == 0:
        return latex_number(real)
    magnitude = "i" if abs(imaginary) == 1 else f"{latex_number(abs(imaginary))} i"
    if real == 0:
        return f"-{magnitude}" if imaginary < 0 else magnitude
    return f"{latex_number(real)} {'-' if imaginary < 0 else '+'} {magnitude}"


def shown(z: Complex) -> str:
    """A complex number inside an expression: parenthesised."""
    return f"\\left({latex_complex(z)}\\right)"


def multiply(z: Complex, w: Complex) -> Complex:
    return z[0] * w[0] - z[1] * w[1], z[0] * w[1] + z[1] * w[0]


def divide(z: Complex, w: Complex) -> Complex:
    norm = w[0] ** 2 + w[1] ** 2
    return (z[0] * w[0] + z[1] * w[1]) / norm, (z[1] * w[0] - z[0] * w[1]) / norm


def literal_complex(text: str) -> Complex | None:
    """The value of an answer written as a complex literal (``a + b i`` in any order, or one
    fraction ``(a + b i)/d``), or None for anything else (a product, a quotient by a complex
    number, a power of i).

    >>> literal_complex("\\\\frac{3 - 4i}{5}"), literal_complex("(1+2i)(3-i)")
    ((Fraction(3, 5), Fraction(-4, 5)), None)
    """
    text = re.sub(r"^\s*\$?\s*[a-hj-zA-Z]\s*=", "", text)  # "z = ..."
    try:
        node = P.parse_expression(text, variable="i")
        fraction = P.single_fraction(node)
    except P.ExpressionError:
        return None
    if fraction is None:
        return None
    numerator, denominator = fraction
    if P.degree(numerator) > 1 or P.degree(denominator) != 0:
        return None
    top = P.strip_groups(node)  # the written numerator must itself be a sum of a + b i, not a product
    while top[0] == "neg":
        top = P.strip_groups(top[1])
    written = top[1] if top[0] == "div" else top
    if not P.is_expanded(written):
        return None
    coefficients = list(numerator) + [Fraction(0)] * 2
    return coefficients[0] / denominator[0], coefficients[1] / denominator[0]


@dataclass(frozen=True)
class ComplexConfig(TaskConfig):
    operation: str = "sum"  # "sum", "product", "quotient", "power", "mixed"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("operation", self.operation, ("sum", "product", "quotient", "power", "mixed"))
        require_int("magnitude", self.magnitude, 2, 100)


@register_task
class ComplexArithmetic(MathTask[ComplexConfig]):
    id = "math/complex_arithmetic"
    description = "Evaluate an expression in complex numbers; answer in the form a + b i."
    answer_format = "a + b i with exact real and imaginary parts, e.g. \\frac{3}{5} - \\frac{4}{5} i (or (3 - 4 i)/5)"
    verification = (
        "A bounded grammar first requires a complex literal (a + b i in any order, or one fraction "
        "(a + b i)/d); then assay.verifiers.math.verify compares it with the exact gold. A product, a "
        "quotient by a complex number or a power of i left unevaluated earns nothing."
    )
    limitations = ("The imaginary unit must be written i (not j or \\mathrm{i}).",)
    Config = ComplexConfig
    levels = {
        1: ComplexConfig("sum", 9),
        2: ComplexConfig("product", 9),
        3: ComplexConfig("quotient", 9),
        4: ComplexConfig("power", 5),
        5: ComplexConfig("mixed", 6),
    }
    timeout_s = 10.0

    def build(self, rng: random.Random, config: ComplexConfig) -> Draft:
        m = config.magnitude

        def number() -> Complex:
            return Fraction(pick(rng, -m, m, nonzero=True)), Fraction(pick(rng, -m, m, nonzero=True))

        z, w = number(), number()
        if config.operation == "sum":
            sign = rng.choice([1, -1])
            value = (z[0] + sign * w[0], z[1] + sign * w[1])
            expression = f"{shown(z)} {'+' if sign > 0 else '-'} {shown(w)}"
        elif config.operation == "product":
            value, expression = multiply(z, w), f"{shown(z)}{shown(w)}"
        elif config.operation == "quotient":
            value, expression = divide(z, w), f"\\frac{{{latex_complex(z)}}}{{{latex_complex(w)}}}"
        elif config.operation == "power":
            n = rng.randint(3, 4)
            value = (Fraction(1), Fraction(0))
            for _ in range(n):
                value = multiply(value, z)
            expression = f"{shown(z)}^{{{n}}}"
        else:
            u, v = number(), number()
            top = multiply(z, w)
            value = divide((top[0] + u[0], top[1] + u[1]), v)
            expression = f"\\frac{{{shown(z)}{shown(w)} + {shown(u)}}}{{{latex_complex(v)}}}"
        gold = latex_complex(value)
        prompt = (f"Compute ${expression}$, where $i^2 = -1$.\n\nWrite the result as $a + b i$ with exact real numbers "
                  f"$a$ and $b$ (fractions allowed). {ANSWER_INSTRUCTION}")
        data = {"gold": gold, "real": str(value[0]), "imaginary": str(value[1]), "question": expression}
        return Draft(prompt, gold, data)

    decided_by = BY_VERIFIER_THEN_FORM

    def check(self, problem: Problem, completion: str) -> Verdict:
        verdict = delegate(problem, completion)
        if not verdict.passed:
            return verdict
        block = answer_options(problem).require_answer_block
        if literal_complex(final_answer(completion, problem.data["question"], require_answer_block=block) or "") is None:
            return Verdict.fail("unparseable", message="the answer must be written as a + b i")
        return verdict

    def probes(self, problem: Problem) -> list[Probe]:
        real, imaginary = Fraction(problem.data["real"]), Fraction(problem.data["imaginary"])
        denominator = math.lcm(real.denominator, imaginary.denominator)
        own = [
            Probe(wrap(latex_complex((real, imaginary)).replace(" i", "i")), True, "no space before i"),
            Probe(wrap(f"{latex_complex((Fraction(0), imaginary))} + {latex_number(real)}" if real and imaginary else problem.answer), True,
                  "imaginary part first"),
            Probe(wrap(problem.data["question"]), False, "the expression copied"),
            Probe(wrap(latex_complex((real, -imaginary))) if imaginary else wrap(latex_complex((real + 1, imaginary))), False,
                  "the conjugate"),
            Probe(wrap(latex_complex((imaginary, real))) if real != imaginary else wrap(latex_complex((real, imaginary + 1))), False,
                  "real and imaginary parts swapped"),
            Probe(wrap(f"{problem.answer} \\text{{ or }} {latex_complex((real + 1, imaginary))}"), False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        if denominator > 1:
            numerator = latex_complex((real * denominator, imaginary * denominator))
            own.append(Probe(wrap(f"\\frac{{{numerator}}}{{{denominator}}}"), True, "one fraction (a + b i)/d"))
        return merged(probes_for(problem.answer), own)
