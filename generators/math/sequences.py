"""Sequence tasks: terms and partial sums of arithmetic and geometric sequences, and terms of
linear recurrences.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.generators.math.answers import INTEGER_HINT, NumberTask, Posed
from assay.generators.math.formatting import latex_number, pick
from assay.registry import TaskConfig, register_task


@dataclass(frozen=True)
class SequenceConfig(TaskConfig):
    kind: str = "arithmetic_term"  # see Sequences.levels
    magnitude: int = 10

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("arithmetic_term", "arithmetic_sum", "geometric_term", "geometric_sum", "two_terms"))
        require_int("magnitude", self.magnitude, 2, 1000)


def _listing(terms: list[Fraction]) -> str:
    return ", ".join(latex_number(t) for t in terms) + ", \\dots"


@register_task
class Sequences(NumberTask[SequenceConfig]):
    id = "math/sequences"
    description = "Terms and partial sums of arithmetic and geometric sequences."
    Config = SequenceConfig
    levels = {
        1: SequenceConfig("arithmetic_term", 10),
        2: SequenceConfig("arithmetic_sum", 20),
        3: SequenceConfig("geometric_term", 6),
        4: SequenceConfig("geometric_sum", 6),
        5: SequenceConfig("two_terms", 12),
    }

    def pose(self, rng: random.Random, config: SequenceConfig) -> Posed:
        m = config.magnitude
        if config.kind in ("arithmetic_term", "arithmetic_sum"):
            a, d = Fraction(rng.randint(-m, m)), Fraction(pick(rng, -m, m, nonzero=True))
            if config.kind == "arithmetic_sum" and rng.random() < 0.4:
                d /= 2
            n = rng.randint(10, 60)
            shown = _listing([a + k * d for k in range(4)])
            if config.kind == "arithmetic_term":
                return Posed(f"The arithmetic sequence ${shown}$ continues. Find its term number {n}.", a + (n - 1) * d)
            return Posed(f"Find the sum of the first {n} terms of the arithmetic sequence ${shown}$.", n * (2 * a + (n - 1) * d) / 2)
        if config.kind in ("geometric_term", "geometric_sum"):
            a = Fraction(pick(rng, -m, m, nonzero=True))
            q = rng.randint(2, 3) if config.kind == "geometric_sum" else rng.randint(1, 3)
            r = Fraction(pick(rng, -m // 2 - 1, m // 2 + 1, nonzero=True, exclude=(q, -q)), q) if config.kind == "geometric_sum" or rng.random() < 0.4 else Fraction(rng.choice([-3, -2, 2, 3]))
            if r in (1, -1, 0):
                r = Fraction(2)
            if config.kind == "geometric_sum":
                a *= r.denominator ** 3  # keeps the shown terms whole
            n = rng.randint(5, 10)
            shown = _listing([a * r**k for k in range(4)])
            if config.kind == "geometric_term":
                return Posed(f"The geometric sequence ${shown}$ continues. Find its term number {n}.", a * r ** (n - 1))
            return Posed(f"Find the sum of the first {n} terms of the geometric sequence ${shown}$.", a * (1 - r**n) / (1 - r))
        if rng.random() < 0.5:
            a, d = Fraction(rng.randint(-m, m)), Fraction(pick(rng, -m, m, nonzero=True))
            i, j = sorted(rng.sample(range(2, 15), 2))
            n = rng.randint(15, 40)
            text = (f"In an arithmetic sequence, term number {i} is ${latex_number(a + (i - 1) * d)}$ and term number {j} "
                    f"is ${latex_number(a + (j - 1) * d)}$. Find the sum of the first {n} terms.")
            return Posed(text, n * (2 * a + (n - 1) * d) / 2)
        a, r = Fraction(pick(rng, -6, 6, nonzero=True)), Fraction(rng.choice([-3, -2, 2, 3]))
        i, j, n = 2, rng.randint(4, 5), rng.randint(7, 9)
        text = (f"In a geometric sequence with a real common ratio, term number {i} is ${latex_number(a * r ** (i - 1))}$ and term number {j} is "
                f"${latex_number(a * r ** (j - 1))}$. Find term number {n}.")
        if (j - i) % 2 == 0:
            text = text.replace("real common ratio", f"{'positive' if r > 0 else 'negative'} common ratio")
        return Posed(text, a * r ** (n - 1))


@dataclass(frozen=True)
class RecurrenceConfig(TaskConfig):
    order: int = 1
    index: int = 6  # the term asked for
    magnitude: int = 3  # coefficient bound
    constant: bool = True  # a constant term in the recurrence

    def __post_init__(self) -> None:
        require_int("order", self.order, 1, 4)
        require_int("index", self.index, 3, 60)
        require_int("magnitude", self.magnitude, 1, 10)


@register_task
class LinearRecurrence(NumberTask[RecurrenceConfig]):
    id = "math/linear_recurrence"
    description = "A term of a sequence defined by a linear recurrence with integer coefficients."
    Config = RecurrenceConfig
    levels = {
        1: RecurrenceConfig(1, 6, 2),
        2: RecurrenceConfig(1, 10, 3),
        3: RecurrenceConfig(2, 10, 2, constant=False),
        4: RecurrenceConfig(2, 15, 2),
        5: RecurrenceConfig(3, 20, 2),
    }
    hint = INTEGER_HINT

    def pose(self, rng: random.Random, config: RecurrenceConfig) -> Posed:
        k = config.order
        coefficients = [pick(rng, -config.magnitude, config.magnitude, nonzero=True) for _ in range(k)]
        if k == 1 and coefficients[0] in (1, -1):
            coefficients[0] = 2
        constant = rng.randint(-5, 5) if config.constant else 0
        initial = [rng.randint(-3, 5) for _ in range(k)]
        terms = list(initial)
        while len(terms) < config.index:
            terms.append(sum(c * terms[-1 - i] for i, c in enumerate(coefficients)) + constant)
        rule = ""
        for i, c in enumerate(coefficients):
            name = f"a_{{n-{i + 1}}}"
            body = name if abs(c) == 1 else f"{abs(c)} {name}"
            rule += ("-" if c < 0 else "") + body if i == 0 else (f" - {body}" if c < 0 else f" + {body}")
        if constant:
            rule += f" {'+' if constant > 0 else '-'} {abs(constant)}"
        starts = ", ".join(f"a_{{{i + 1}}} = {v}" for i, v in enumerate(initial))
        text = f"A sequence has ${starts}$ and $a_n = {rule}$ for $n > {k}$. Find $a_{{{config.index}}}$."
        return Posed(text, Fraction(terms[config.index - 1]), f"a_{{{config.index}}}")
