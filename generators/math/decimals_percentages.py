"""Arithmetic beyond the template task: exact decimal arithmetic with the order of operations, and
percentage problems (a percent of a number, percent change, successive and reverse changes).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_bools, require_choice, require_int
from assay.generators.math.answers import NumberTask, Posed, answer_options, delegate, final_answer
from assay.generators.math.formatting import decimal_text
from assay.registry import Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict

_PERCENT_SIGN = re.compile(r"\\text\{\s*+per\s?cent\s*+\}|\bper\s?cent\b|\\%|%")
PRECEDENCE = {"+": 1, "-": 1, "\\times": 2, "\\div": 2}
# divisors of the form 2^a 5^b / 10^p keep every quotient a terminating decimal
NICE_DIVISORS = ("0.5", "0.25", "0.2", "0.4", "0.8", "1.25", "2.5", "4", "5", "8", "1.6", "0.125", "0.05", "2", "20", "0.02")


@dataclass(frozen=True)
class DecimalConfig(TaskConfig):
    operands: int = 2
    places: int = 1  # decimal places of an operand
    magnitude: int = 20  # largest whole part of an operand
    division: bool = False
    negatives: bool = False
    parentheses: bool = False

    def __post_init__(self) -> None:
        require_int("operands", self.operands, 2, 12)
        require_int("places", self.places, 1, 6)
        require_int("magnitude", self.magnitude, 1, 10**6)
        require_bools(self, ("division", "negatives", "parentheses"))


def _decimal_leaf(rng: random.Random, config: DecimalConfig) -> tuple[str, Fraction]:
    places = rng.randint(1, config.places)
    value = Fraction(rng.randint(1, config.magnitude * 10**places), 10**places)
    if config.negatives and rng.random() < 0.3:
        value = -value
    text = decimal_text(value) or ""
    return (f"({text})" if value < 0 else text), value


def decimal_expression(rng: random.Random, config: DecimalConfig) -> tuple[str, Fraction]:
    """An expression over decimals whose value is a terminating decimal."""
    text, value = _decimal_leaf(rng, config)
    top = None  # the operator at the top of ``text``
    for _ in range(config.operands - 1):
        operators = ["+", "-", "\\times"] + (["\\div"] if config.division else [])
        operator = rng.choice(operators)
        if operator == "\\div":
            right_text = rng.choice(NICE_DIVISORS)
            right_value = Fraction(right_text)
        else:
            right_text, right_value = _decimal_leaf(rng, config)
        if config.parentheses and top is not None and rng.random() < 0.5:
            text, top = f"({text})", None  # group what came before
        if top is not None and PRECEDENCE[top] < PRECEDENCE[operator]:
            text = f"({text})"
        value = {"+": value + right_value, "-": value - right_value,
                 "\\times": value * right_value, "\\div": value / right_value if right_value else value}[operator]
        text, top = f"{text} {operator} {right_text}", operator
    return text, value


@register_task
class DecimalArithmetic(NumberTask[DecimalConfig]):
    id = "math/decimal_arithmetic"
    description = "Evaluate an expression over decimal numbers exactly (the result terminates)."
    Config = DecimalConfig
    levels = {
        1: DecimalConfig(2, 1, 20),
        2: DecimalConfig(3, 2, 20),
        3: DecimalConfig(4, 2, 50, division=True, parentheses=True),
        4: DecimalConfig(5, 2, 100, division=True, negatives=True, parentheses=True),
        5: DecimalConfig(6, 3, 1000, division=True, negatives=True, parentheses=True),
    }
    hint = "Give the exact result as a decimal number (for example -3.75), not rounded."
    answer_format = "an exact decimal (an equal fraction is also accepted)"
    decimal_gold = True

    def pose(self, rng: random.Random, config: DecimalConfig) -> Posed:
        text, value = decimal_expression(rng, config)
        return Posed(f"Compute ${text}$.", value, text)

    def more_probes(self, problem: Problem) -> list[Probe]:
        gold = Fraction(problem.data["gold"])
        rounded = Fraction(round(gold * 10)) / 10
        if rounded != gold:
            return [Probe(wrap(decimal_text(rounded) or ""), False, "rounded to one place")]
        return []


@dataclass(frozen=True)
class PercentConfig(TaskConfig):
    kind: str = "of"  # "of", "what_percent", "change", "successive", "reverse"
    magnitude: int = 400

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("of", "what_percent", "change", "successive", "reverse"))
        require_int("magnitude", self.magnitude, 20, 10**9)


@register_task
class Percentages(NumberTask[PercentConfig]):
    id = "math/percentages"
    description = "Percentage problems: a percent of a number, what percent, percent change, successive and reverse changes."
    Config = PercentConfig
    levels = {
        1: PercentConfig("of", 400),
        2: PercentConfig("what_percent", 1000),
        3: PercentConfig("change", 2000),
        4: PercentConfig("successive", 10**4),
        5: PercentConfig("reverse", 10**5),
    }
    hint = ("Give the exact value as an integer, a terminating decimal or a fraction; give a "
            "percentage as a number without the % sign (negative for a decrease).")

    def pose(self, rng: random.Random, config: PercentConfig) -> Posed:
        m = config.magnitude
        if config.kind == "of":
            rate, n = 5 * rng.randint(1, 30), 20 * rng.randint(1, m // 20)
            return Posed(f"What is ${rate}\\%$ of ${n}$?", Fraction(rate * n, 100), f"{rate}\\% \\times {n}")
        if config.kind == "what_percent":
            rates: list[int | Fraction] = [5 * rng.randint(1, 40), Fraction(25, 2) * rng.randint(1, 16)]
            p = Fraction(rng.choice(rates))
            b = 8 * rng.randint(1, m // 8)
            a = p * b / 100
            return Posed(f"${_dec(a)}$ is what percent of ${b}$?", p, "", {"percent": True})
        if config.kind == "change":
            p = Fraction(5, 2) * rng.randint(1, 60) * rng.choice([1, -1])
            if p <= -100:
                p = Fraction(-25)
            before = 40 * rng.randint(1, m // 40)
            after = before * (1 + p / 100)
            word = "increases" if p > 0 else "decreases"
            return Posed(f"A price {word} from ${before}$ to ${_dec(after)}$. What is the percent change?", p, "", {"percent": True})
        p1, p2 = 5 * rng.randint(1, 12), 5 * rng.randint(1, 12)
        up_first = rng.random() < 0.5
        factor = (1 + Fraction(p1, 100)) * (1 - Fraction(p2, 100))
        if config.kind == "successive":
            text = (f"A quantity is increased by ${p1}\\%$ and the result is then decreased by ${p2}\\%$. "
                    f"What is the overall percent change?")
            return Posed(text, (factor - 1) * 100, "", {"percent": True})
        original = 100 * rng.randint(1, m // 100)
        final = original * factor
        first, second = (f"raised by ${p1}\\%$", f"discounted by ${p2}\\%$")
        if not up_first:
            first, second = second, first
        text = f"A price is {first} and then {second}, ending at ${_dec(final)}$. What was the original price?"
        return Posed(text, Fraction(original), "")


    def check(self, problem: Problem, completion: str) -> Verdict:
        """The verifier's verdict; a percentage gold (``data["percent"]``) is a number of percent, so
        an answer with a % sign is its number: 37.5\\% answers 37.5, and 3750\\% (3750/100 = 37.5 as a
        fraction of one, which the verifier's percent rule also reads) does not."""
        verdict = delegate(problem, completion)
        if not verdict.passed or not problem.data.get("percent"):
            return verdict
        text = final_answer(completion, require_answer_block=answer_options(problem).require_answer_block)
        if text is None or not _PERCENT_SIGN.search(text):
            return verdict
        return delegate(problem, wrap(_PERCENT_SIGN.sub(" ", text)))

    def more_probes(self, problem: Problem) -> list[Probe]:
        if not problem.data.get("percent"):
            return []
        gold = problem.answer
        return [
            Probe(wrap(f"{gold}\\%"), True, "the percentage with a % sign"),
            Probe(wrap(f"{gold}\\%."), True, "% sign and a period"),
        ]


def _dec(value: Fraction) -> str:
    return decimal_text(value) or f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
