"""math/logarithms: evaluate logarithms exactly and solve logarithmic equations (the domain
rejects one root at the top level).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice
from assay.generators.math.answers import NumberTask, Posed
from assay.generators.math.formatting import latex_number
from assay.registry import Probe, TaskConfig, register_task, wrap
from assay.types import Problem

BASES = (2, 3, 4, 5, 8, 9, 16, 25, 27)
PERFECT = {4: (2, 2), 8: (2, 3), 16: (2, 4), 32: (2, 5), 64: (2, 6), 9: (3, 2), 27: (3, 3), 81: (3, 4), 25: (5, 2),
           125: (5, 3), 36: (6, 2), 49: (7, 2), 100: (10, 2)}  # base -> (root, power)


def _root(base: int) -> tuple[int, int]:
    return PERFECT.get(base, (base, 1))


@dataclass(frozen=True)
class LogarithmConfig(TaskConfig):
    kind: str = "power"  # "power", "fractional", "combination", "linear_equation", "product_equation"

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("power", "fractional", "combination", "linear_equation", "product_equation"))


@register_task
class Logarithms(NumberTask[LogarithmConfig]):
    id = "math/logarithms"
    description = "Exact values of logarithms and solutions of logarithmic equations."
    Config = LogarithmConfig
    levels = {
        1: LogarithmConfig("power"),
        2: LogarithmConfig("fractional"),
        3: LogarithmConfig("combination"),
        4: LogarithmConfig("linear_equation"),
        5: LogarithmConfig("product_equation"),
    }

    def pose(self, rng: random.Random, config: LogarithmConfig) -> Posed:
        if config.kind == "power":
            base = rng.randint(2, 12)
            k = rng.randint(-3, 8 if base < 5 else 5)
            if k < 0:
                argument = latex_number(Fraction(1, base**-k))
                return Posed(f"Evaluate $\\log_{{{base}}} {argument}$.", Fraction(k), f"\\log_{{{base}}} {argument}")
            return Posed(f"Evaluate $\\log_{{{base}}} {base**k}$.", Fraction(k), f"\\log_{{{base}}} {base**k}")
        if config.kind == "fractional":
            base = rng.choice(sorted(PERFECT))
            root, power = _root(base)
            exponent = rng.choice([e for e in range(-6, 7) if e and e % power])  # a fractional result
            power_of_root = Fraction(root) ** exponent
            shown = latex_number(power_of_root)
            return Posed(f"Evaluate $\\log_{{{base}}} {shown}$.", Fraction(exponent, power), f"\\log_{{{base}}} {shown}")
        if config.kind == "combination":
            base = rng.choice([2, 3, 5])
            for _ in range(10_000):
                p, q = rng.randint(2, 40), rng.randint(2, 40)
                target = rng.randint(-2, 4)
                numerator = p * q
                if target >= 0 and numerator % base**target == 0 and numerator // base**target > 1:
                    r = Fraction(numerator, base**target)
                elif target < 0:
                    r = Fraction(numerator * base ** (-target))
                else:
                    continue
                if r.denominator == 1:
                    break
            else:
                raise RuntimeError("could not draw a logarithm combination")  # a generator bug
            question = f"\\log_{{{base}}} {p} + \\log_{{{base}}} {q} - \\log_{{{base}}} {r.numerator}"
            return Posed(f"Evaluate ${question}$ exactly.", Fraction(target), question)
        if config.kind == "linear_equation":
            base, k = rng.choice([2, 3, 5, 10]), rng.randint(1, 4)
            a, c = rng.randint(1, 4), rng.randint(-20, 20)
            # log_b(a x + c) = k  <=>  x = (b^k - c) / a
            inner = f"{a if a > 1 else ''}x {'+' if c >= 0 else '-'} {abs(c)}" if c else f"{a if a > 1 else ''}x"
            return Posed(f"Solve $\\log_{{{base}}}\\left({inner}\\right) = {k}$ for $x$.", Fraction(base**k - c, a),
                         f"\\log_{{{base}}}\\left({inner}\\right) = {k}")
        base = rng.choice([2, 3, 4, 5, 6, 7, 10, 12])
        k = rng.randint(2, 5 if base < 7 else 4)
        n = base**k
        d = rng.choice([d for d in range(1, n + 1) if n % d == 0 and d * d > n])
        c = d - n // d  # x (x - c) = b^k has the roots d and -(n/d); c > 0 as d > sqrt(n)
        question = f"\\log_{{{base}}} x + \\log_{{{base}}}\\left(x - {c}\\right) = {k}"
        return Posed(f"Solve ${question}$ for real $x$.", Fraction(d), question, {"rejected_root": -(n // d)})

    def more_probes(self, problem: Problem) -> list[Probe]:
        rejected = problem.data.get("rejected_root")
        if rejected is None:
            return []
        gold = problem.answer
        return [
            Probe(wrap(f"{gold}, {rejected}"), False, "both roots of the quadratic, one outside the domain"),
            Probe(wrap(str(rejected)), False, "only the root outside the domain"),
        ]
