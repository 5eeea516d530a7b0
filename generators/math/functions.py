"""Function tasks: evaluating compositions, the inverse of a linear or Mobius function (an
expression in x), and the natural domain of an expression (interval notation).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.errors import ConfigError
from assay.generators.math import expressions as P
from assay.generators.math.answers import (
    BY_OWN_THEN_VERIFIER,
    MathTask,
    NumberTask,
    Posed,
    answer_options,
    delegate,
    final_answer,
)
from assay.generators.math.expressions import fraction_latex, integer_fraction
from assay.generators.math.formatting import latex_number, latex_polynomial, pick
from assay.generators.math.intervals import (
    interval_probes,
    intervals_from_data,
    intervals_to_data,
    solve_region,
    union_latex,
)
from assay.generators.math.probes import merged
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.math.probes import probes_for


def _linear(rng: random.Random, m: int) -> P.Rational:
    return P.Rational(P.poly(rng.randint(-m, m), pick(rng, -m, m, nonzero=True)), P.poly(1))


def _quadratic(rng: random.Random, m: int) -> P.Rational:
    return P.Rational(P.poly(rng.randint(-m, m), rng.randint(-m, m), pick(rng, -m, m, nonzero=True)), P.poly(1))


def _mobius(rng: random.Random, m: int) -> P.Rational:
    while True:
        a, b, c, d = (pick(rng, -m, m, nonzero=True) for _ in range(4))
        if a * d - b * c != 0:
            return P.Rational(P.poly(b, a), P.poly(d, c))


def function_latex(f: P.Rational) -> str:
    num, den = integer_fraction(f.num, f.den) if P.degree(f.den) > 0 else (f.num, f.den)
    return fraction_latex(num, den) if P.degree(den) > 0 else latex_polynomial(list(P.scale(num, 1 / den[0])))


def apply(f: P.Rational, x: Fraction) -> Fraction | None:
    den = P.evaluate(f.den, x)
    return None if den == 0 else P.evaluate(f.num, x) / den


# -- composition -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompositionConfig(TaskConfig):
    kinds: str = "ll"  # one letter per function, outermost first: l linear, q quadratic, m Mobius
    chain: str = "fg"  # the composition asked, outermost first, over the names f, g, h
    magnitude: int = 6
    fractional_input: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[lqm]{1,3}", self.kinds or ""):
            raise ConfigError("kinds", "must be 1-3 letters among l, q, m", self.kinds)
        if not re.fullmatch(r"[fgh]{2,5}", self.chain or "") or any("fgh".index(c) >= len(self.kinds) for c in self.chain):
            raise ConfigError("chain", "must be 2-5 names among the defined f, g, h", self.chain)
        require_int("magnitude", self.magnitude, 2, 100)


@register_task
class FunctionComposition(NumberTask[CompositionConfig]):
    id = "math/function_composition"
    description = "The value of a composition of functions at a point."
    Config = CompositionConfig
    levels = {
        1: CompositionConfig("ll", "fg", 6),
        2: CompositionConfig("ql", "fg", 6),
        3: CompositionConfig("qll", "fgh", 5),
        4: CompositionConfig("mq", "fg", 5),
        5: CompositionConfig("mq", "fgf", 4, fractional_input=True),
    }

    def pose(self, rng: random.Random, config: CompositionConfig) -> Posed:
        makers = {"l": _linear, "q": _quadratic, "m": _mobius}
        for _ in range(1000):
            functions = {name: makers[kind](rng, config.magnitude) for name, kind in zip("fgh", config.kinds)}
            x = Fraction(rng.randint(-4, 4), rng.randint(2, 3) if config.fractional_input else 1)
            value: Fraction | None = x
            for name in reversed(config.chain):
                value = apply(functions[name], value) if value is not None else None
            if value is not None:
                break
        else:
            raise RuntimeError("could not draw a defined composition")  # a generator bug
        definitions = ", ".join(f"${n}(x) = {function_latex(f)}$" for n, f in functions.items())
        point = latex_number(x)
        if len(config.chain) == 2 and config.kinds[0] != "m":
            asked = f"{config.chain[0]}({config.chain[1]}({point}))"
        elif len(config.chain) == 3 and config.chain == "fgh":
            asked = f"f(g(h({point})))"
        else:
            circle = " \\circ "
            asked = f"({circle.join(config.chain)})({point})"
        return Posed(f"Let {definitions}. Find ${asked}$.", value, asked)


# -- inverse -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class InverseFunctionConfig(TaskConfig):
    kind: str = "linear"  # "linear", "scaled", "shifted_reciprocal", "mobius", "composed"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("linear", "scaled", "shifted_reciprocal", "mobius", "composed"))
        require_int("magnitude", self.magnitude, 2, 100)


def mobius_inverse(f: P.Rational) -> P.Rational:
    """The inverse of (a x + b)/(c x + d) is (d x - b)/(-c x + a)."""
    b, a = (list(f.num) + [Fraction(0)] * 2)[:2]
    d, c = (list(f.den) + [Fraction(0)] * 2)[:2]
    return P.Rational(P.poly(-b, d), P.poly(a, -c))


_INVERSE_NAME = re.compile(r"^\s*\$?\s*(?:f\^\{?-1\}?\s*\(\s*x\s*\)|y)\s*=\s*")


@register_task
class FunctionInverse(MathTask[InverseFunctionConfig]):
    id = "math/function_inverse"
    description = "The inverse function of a linear or Mobius function, as an expression in x."
    answer_format = "an expression in x, such as \\frac{3 x + 1}{2 - x}"
    verification = (
        "A bounded rational-expression grammar reads the answer and compares it with the gold exactly "
        "(as rational functions); an answer it cannot read goes to assay.verifiers.math.verify "
        "(symbolic equivalence in a killable worker)."
    )
    Config = InverseFunctionConfig
    levels = {
        1: InverseFunctionConfig("linear", 9),
        2: InverseFunctionConfig("scaled", 9),
        3: InverseFunctionConfig("shifted_reciprocal", 9),
        4: InverseFunctionConfig("mobius", 9),
        5: InverseFunctionConfig("composed", 6),
    }
    timeout_s = 10.0

    def build(self, rng: random.Random, config: InverseFunctionConfig) -> Draft:
        m = config.magnitude
        if config.kind == "linear":
            f = _linear(rng, m)
            shown = f"$f(x) = {function_latex(f)}$"
        elif config.kind == "scaled":
            f = P.Rational(P.poly(rng.randint(-m, m), pick(rng, -m, m, nonzero=True)), P.poly(rng.randint(2, m)))
            shown = f"$f(x) = {fraction_latex(f.num, f.den)}$"
        elif config.kind == "shifted_reciprocal":
            a, h, k = pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True)
            f = P.Rational(P.poly(a), P.poly(-h, 1)) + P.Rational(P.poly(k), P.poly(1))
            shown = f"$f(x) = \\frac{{{a}}}{{{latex_polynomial([-h, 1])}}} {'+' if k > 0 else '-'} {abs(k)}$"
        elif config.kind == "mobius":
            f = _mobius(rng, m)
            shown = f"$f(x) = {function_latex(f)}$"
        else:
            g, inner = _mobius(rng, m), _linear(rng, m)
            f = P.Rational(_shift(g.num, inner.num), _shift(g.den, inner.num))
            shown = f"$g(x) = {function_latex(g)}$ and $h(x) = {function_latex(inner)}$, and let $f(x) = g(h(x))$"
        inverse = mobius_inverse(f) if P.degree(f.den) > 0 or P.degree(f.num) == 1 else None
        if inverse is None:
            raise RuntimeError("not an invertible function")  # a generator bug
        num, den = integer_fraction(inverse.num, inverse.den)
        gold = fraction_latex(num, den)
        prompt = (f"Let {shown}. Find the inverse function $f^{{-1}}(x)$.\n\nGive $f^{{-1}}(x)$ as an expression in $x$. "
                  f"{ANSWER_INSTRUCTION}")
        data = {"gold": gold, "numerator": [str(c) for c in num], "denominator": [str(c) for c in den],
                "function": [[str(c) for c in f.num], [str(c) for c in f.den]]}
        return Draft(prompt, gold, data)

    decided_by = BY_OWN_THEN_VERIFIER

    def check(self, problem: Problem, completion: str) -> Verdict:
        candidate = final_answer(completion, require_answer_block=answer_options(problem).require_answer_block)
        if candidate is not None:
            try:
                value = P.parse_rational(_INVERSE_NAME.sub("", candidate))
            except P.ExpressionTooLarge as error:
                return Verdict.fail("too_large", message=f"answer refused: {error}")
            except P.ExpressionError:
                value = None
            gold = P.Rational(P.poly(*map(Fraction, problem.data["numerator"])), P.poly(*map(Fraction, problem.data["denominator"])))
            if value is not None and value.den:
                # the grammar read it exactly: its verdict is final, and no CAS is needed
                return Verdict.correct(stage="exact") if value.equals(gold) else Verdict.fail("wrong_answer", stage="exact")
        return delegate(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        num, den = P.poly(*map(Fraction, problem.data["numerator"])), P.poly(*map(Fraction, problem.data["denominator"]))
        f_num, f_den = (P.poly(*map(Fraction, part)) for part in problem.data["function"])
        gold = P.Rational(num, den)
        own = [
            Probe(wrap(f"f^{{-1}}(x) = {problem.answer}"), True, "written as f^{-1}(x) = ..."),
            Probe(wrap(f"({latex_polynomial(list(num))})/({latex_polynomial(list(den))})"), True, "plain a/b"),
            Probe(wrap(fraction_latex(P.neg(num), P.neg(den))), True, "numerator and denominator negated"),
            Probe(wrap(f"{problem.answer} \\text{{ or }} {fraction_latex(den, num)}"), False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        f = P.Rational(f_num, f_den)
        if not f.equals(gold):
            own.append(Probe(wrap(function_latex(f)), False, "the function itself"))
        reciprocal = P.Rational(f_den, f_num)
        if f_num and not reciprocal.equals(gold):
            own.append(Probe(wrap(fraction_latex(f_den, f_num)), False, "1/f(x) instead of the inverse"))
        swapped = P.Rational(P.neg(num), den)
        if not swapped.equals(gold):
            own.append(Probe(wrap(fraction_latex(P.neg(num), den)), False, "a sign error"))
        return merged(probes_for(problem.answer), own)


def _shift(outer: P.Poly, inner: P.Poly) -> P.Poly:
    """outer(inner(x)) for a linear outer polynomial."""
    constant = outer[0] if outer else Fraction(0)
    slope = outer[1] if len(outer) > 1 else Fraction(0)
    return P.add(P.scale(inner, slope), P.poly(constant))


# -- domain ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DomainConfig(TaskConfig):
    kind: str = "root"  # "root", "poles", "root_over_linear", "root_quadratic", "log_ratio"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("root", "poles", "root_over_linear", "root_quadratic", "log_ratio"))
        require_int("magnitude", self.magnitude, 2, 100)


@register_task
class FunctionDomain(MathTask[DomainConfig]):
    id = "math/function_domain"
    description = "The natural (real) domain of an expression, in interval notation."
    answer_format = "interval notation such as (-\\infty, -2) \\cup (-2, 3]"
    verification = "Delegated to assay.verifiers.math.verify: intervals with open and closed ends and unions against the gold."
    Config = DomainConfig
    levels = {
        1: DomainConfig("root", 9),
        2: DomainConfig("poles", 9),
        3: DomainConfig("root_over_linear", 9),
        4: DomainConfig("root_quadratic", 7),
        5: DomainConfig("log_ratio", 7),
    }
    timeout_s = 10.0

    def build(self, rng: random.Random, config: DomainConfig) -> Draft:
        m = config.magnitude
        for _ in range(1000):
            a, b = pick(rng, -m, m, nonzero=True), rng.randint(-m, m)
            p, q = sorted(rng.sample(range(-m, m + 1), 2))
            if config.kind == "root":
                shown = f"\\sqrt{{{latex_polynomial([b, a])}}}"

                def in_root(x: Fraction, a: int = a, b: int = b) -> bool:
                    return a * x + b >= 0

                region = solve_region(in_root, [Fraction(-b, a)])
            elif config.kind == "poles":
                shown = f"\\frac{{{latex_polynomial([b, a])}}}{{{latex_polynomial([p * q, -(p + q), 1])}}}"

                def off_poles(x: Fraction, p: int = p, q: int = q) -> bool:
                    return x != p and x != q

                region = solve_region(off_poles, [Fraction(p), Fraction(q)])
            elif config.kind == "root_over_linear":
                edge = Fraction(-b, a)  # the pole usually falls inside the root's domain, so it matters
                c = Fraction(math.ceil(edge) + rng.randint(0, m) if a > 0 else math.floor(edge) - rng.randint(0, m))
                shown = f"\\frac{{\\sqrt{{{latex_polynomial([b, a])}}}}}{{{latex_polynomial([-c, 1])}}}"

                def root_over_linear(x: Fraction, a: int = a, b: int = b, c: Fraction = c) -> bool:
                    return a * x + b >= 0 and x != c

                region = solve_region(root_over_linear, [Fraction(-b, a), c])
            elif config.kind == "root_quadratic":
                r = Fraction(rng.choice([p - rng.randint(0, m), q + rng.randint(0, m)]))  # a pole on one of the rays
                shown = f"\\sqrt{{{latex_polynomial([p * q, -(p + q), 1])}}} + \\frac{{1}}{{{latex_polynomial([-r, 1])}}}"

                def root_quadratic(x: Fraction, p: int = p, q: int = q, r: Fraction = r) -> bool:
                    return (x - p) * (x - q) >= 0 and x != r

                region = solve_region(root_quadratic, [Fraction(p), Fraction(q), r])
            else:
                r = Fraction(rng.randint(-m, m))
                direction = rng.choice([1, -1])
                root = latex_polynomial([-r, 1]) if direction > 0 else latex_polynomial([r, -1])
                shown = f"\\ln\\left(\\frac{{{latex_polynomial([-p, 1])}}}{{{latex_polynomial([-q, 1])}}}\\right) + \\sqrt{{{root}}}"

                def log_and_root(x: Fraction, p: int = p, q: int = q, r: Fraction = r, d: int = direction) -> bool:
                    return x != q and (x - p) / (x - q) > 0 and d * (x - r) >= 0

                region = solve_region(log_and_root, [Fraction(p), Fraction(q), r])
            if region and len(region) <= 3 and all(i.low is None or i.high is None or i.low < i.high for i in region):
                break
        else:
            raise RuntimeError("could not draw a domain")  # a generator bug
        gold = union_latex(region)
        prompt = (f"Find the domain of the real function $f(x) = {shown}$.\n\nGive it in interval notation, using "
                  f"\\cup for a union and \\infty for infinity. {ANSWER_INSTRUCTION}")
        return Draft(prompt, gold, {"gold": gold, "intervals": intervals_to_data(region), "question": f"f(x) = {shown}"})

    def check(self, problem: Problem, completion: str) -> Verdict:
        return delegate(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        own = interval_probes(problem.answer, intervals_from_data(problem.data["intervals"]), problem.data["question"])
        return merged(probes_for(problem.answer), own)
