"""Polynomial tasks whose answer must have a form: expand a product, factor completely over the
integers, simplify a rational expression; checked exactly by the bounded parser in _polynomials.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.generators.math import expressions as P
from assay.generators.math.answers import BY_OWN_GRAMMAR, MathTask, read_answer
from assay.generators.math.expressions import fraction_latex, integer_fraction
from assay.generators.math.formatting import latex_polynomial, pick
from assay.generators.math.probes import extraction_probes, merged
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict

FORM_VERIFICATION = (
    "Not delegated to the generic math verifier, because the form is part of the answer: a bounded "
    "grammar (no CAS, hard limits on length, degree and exponents) parses the answer as a rational "
    "expression in x, checks its form{form}, and compares it with the gold by exact polynomial arithmetic."
)


def _gold_poly(problem: Problem, key: str) -> P.Poly:
    return P.poly(*(Fraction(c) for c in problem.data[key]))


def _coefficients(p: P.Poly) -> list[str]:
    return [str(c) for c in p]


def linear_factor_latex(p: P.Poly) -> str:
    return f"\\left({latex_polynomial(list(p))}\\right)"


def _parse(problem: Problem, completion: str) -> tuple[P.Node | None, Verdict | None]:
    candidate = read_answer(problem, completion, problem.data.get("question") or "")
    if isinstance(candidate, Verdict):
        return None, candidate
    return _parse_text(candidate)


def _parse_text(candidate: str) -> tuple[P.Node | None, Verdict | None]:
    candidate = re.sub(r"^\s*\$?\s*(?:[A-Za-z]\s*\(x\)|y)\s*=", "", candidate)  # "f(x) = ..." or "y = ..."
    try:
        return P.parse_expression(candidate), None
    except P.ExpressionError as error:
        return None, Verdict.fail("unparseable", message=f"not an expression in x: {error}")


# -- expansion ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExpansionConfig(TaskConfig):
    shape: str = "two_binomials"  # see SHAPES
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("shape", self.shape, tuple(SHAPES))
        require_int("magnitude", self.magnitude, 2, 100)


SHAPES = {
    "monic_binomials": [(1, 1), (1, 1)],  # (degree, monic?) of each factor
    "two_binomials": [(1, 0), (1, 0)],
    "binomial_trinomial": [(1, 0), (2, 0)],
    "three_binomials": [(1, 0), (1, 0), (1, 0)],
    "cube_times": [(1, 0), (1, 0), (1, 0), (2, 0)],
}


@register_task
class PolynomialExpansion(MathTask[ExpansionConfig]):
    id = "math/polynomial_expansion"
    description = "Expand a product of polynomials in x and collect like terms."
    answer_format = "an expanded polynomial such as 6 x^{3} - x^{2} + 4, like terms collected, any order"
    verification = FORM_VERIFICATION.format(form=" (a sum of monomials with distinct degrees)")
    limitations = ("Only the variable x and integer exponents are understood; words in the answer make it unparseable.",)
    Config = ExpansionConfig
    levels = {
        1: ExpansionConfig("monic_binomials", 9),
        2: ExpansionConfig("two_binomials", 9),
        3: ExpansionConfig("binomial_trinomial", 9),
        4: ExpansionConfig("three_binomials", 9),
        5: ExpansionConfig("cube_times", 6),
    }
    timeout_s = 5.0

    def build(self, rng: random.Random, config: ExpansionConfig) -> Draft:
        m = config.magnitude
        factors: list[P.Poly] = []
        for deg, monic in SHAPES[config.shape]:
            coefficients = [pick(rng, -m, m, nonzero=True) for _ in range(deg)] + [1 if monic else pick(rng, -m, m, nonzero=True)]
            factors.append(P.poly(*coefficients))
        if config.shape == "cube_times":
            factors[1] = factors[0]  # (a x + b)^2 written as a power
        product = P.poly(1)
        for f in factors:
            product = P.mul(product, f)
        if config.shape == "cube_times":
            shown = f"\\left({latex_polynomial(list(factors[0]))}\\right)^{{2}}" + "".join(linear_factor_latex(f) for f in factors[2:])
        else:
            shown = "".join(linear_factor_latex(f) for f in factors)
        gold = latex_polynomial(list(product))
        prompt = (f"Expand and simplify ${shown}$.\n\nWrite the result as a polynomial in $x$ with like terms "
                  f"collected (for example 6 x^{{3}} - x^{{2}} + 4). {ANSWER_INSTRUCTION}")
        return Draft(prompt, gold, {"gold": gold, "product": _coefficients(product), "question": shown})

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        node, failure = _parse(problem, completion)
        if node is None:
            return failure  # type: ignore[return-value]
        try:
            value = P.value_of(node).polynomial()
        except P.ExpressionError as error:
            return Verdict.fail("unparseable", message=str(error))
        if value != _gold_poly(problem, "product"):
            return Verdict.fail("wrong_answer")
        if not P.is_expanded(node):
            return Verdict.fail("wrong_form", message="equal, but not expanded with like terms collected")
        return Verdict.correct()

    def probes(self, problem: Problem) -> list[Probe]:
        product = _gold_poly(problem, "product")
        ascending = " + ".join(f"({c})x^{k}" if k else f"({c})" for k, c in enumerate(product) if c).replace("+ (-", "- (")
        top = len(product) - 1
        off = list(product)
        off[0] += 1
        split = list(product)
        lead = split[top]
        probes = [
            Probe(wrap(ascending.replace("(", "").replace(")", "")), True, "ascending order, plain ^ exponents"),
            Probe(wrap(" + ".join(f"{c} \\cdot x^{{{k}}}" for k, c in reversed(list(enumerate(product))) if c)), True, "\\cdot and explicit x^{0}-free terms"),
            Probe(wrap(problem.data["question"]), False, "the product copied (not expanded)"),
            Probe(wrap(latex_polynomial(off)), False, "constant term off by one"),
            Probe(wrap(latex_polynomial(list(product[:-1]))), False, "leading term missing"),
            Probe(wrap(f"{problem.answer} or {latex_polynomial(off)}"), False, "hedged"),
            Probe(wrap(latex_polynomial([-c for c in product])), False, "every sign flipped"),
            Probe(wrap(f"{latex_polynomial([0] * top + [lead - 1])} + x^{{{top}}} + {latex_polynomial(list(product[:-1]))}"), False,
                  "equal but like terms not collected"),
        ]
        return merged(extraction_probes(problem.answer), probes)


# -- factoring ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FactoringConfig(TaskConfig):
    shape: str = "monic"  # "monic", "non_monic", "content", "cubic", "quartic"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("shape", self.shape, ("monic", "non_monic", "content", "cubic", "quartic"))
        require_int("magnitude", self.magnitude, 2, 50)


def _primitive_linear(rng: random.Random, m: int, monic: bool) -> P.Poly:
    while True:
        a = 1 if monic else rng.randint(1, max(1, m // 2))
        b = pick(rng, -m, m, nonzero=True)
        if math.gcd(a, b) == 1:
            return P.poly(b, a)


def factored_latex(constant: int, factors: list[P.Poly]) -> str:
    counts: list[tuple[P.Poly, int]] = []
    for f in factors:
        for i, (g, k) in enumerate(counts):
            if g == f:
                counts[i] = (g, k + 1)
                break
        else:
            counts.append((f, 1))
    body = "".join(linear_factor_latex(f) + (f"^{{{k}}}" if k > 1 else "") for f, k in counts)
    prefix = "" if constant == 1 else "-" if constant == -1 else str(constant)
    return prefix + body


@register_task
class PolynomialFactoring(MathTask[FactoringConfig]):
    id = "math/polynomial_factoring"
    description = "Factor a polynomial with integer coefficients completely over the integers."
    answer_format = "a product of factors with integer coefficients, such as 3(x - 1)(2 x + 5) or -(x + 2)^{2}(x^{2} + 1)"
    verification = FORM_VERIFICATION.format(
        form=" (a product whose non-constant factors have integer coefficients with no common divisor and are "
             "irreducible over the rationals)")
    limitations = ("Factors of degree 4 or more are refused as not completely factored (never needed by this task).",)
    Config = FactoringConfig
    levels = {
        1: FactoringConfig("monic", 9),
        2: FactoringConfig("non_monic", 9),
        3: FactoringConfig("content", 9),
        4: FactoringConfig("cubic", 7),
        5: FactoringConfig("quartic", 6),
    }
    timeout_s = 5.0

    def build(self, rng: random.Random, config: FactoringConfig) -> Draft:
        m, constant = config.magnitude, 1
        shape = config.shape
        if shape == "monic":
            factors = [_primitive_linear(rng, m, True), _primitive_linear(rng, m, True)]
        elif shape == "non_monic":
            factors = [_primitive_linear(rng, m, False), _primitive_linear(rng, m, rng.random() < 0.3)]
            if all(f[-1] == 1 for f in factors):
                factors[0] = P.poly(factors[0][0] if math.gcd(2, int(factors[0][0])) == 1 else 1, 2)
        elif shape == "content":
            constant = rng.choice([2, 3, 4, 5, 6, -2, -3])
            factors = [P.poly(0, 1) if rng.random() < 0.3 else _primitive_linear(rng, m, True), _primitive_linear(rng, m, True)]
        elif shape == "cubic":
            if rng.random() < 0.5:
                factors = [_primitive_linear(rng, m, rng.random() < 0.6) for _ in range(3)]
            else:
                factors = [_primitive_linear(rng, m, rng.random() < 0.6), self._irreducible_quadratic(rng, m)]
        else:
            first = _primitive_linear(rng, m, True)
            second = first if rng.random() < 0.3 else _primitive_linear(rng, m, rng.random() < 0.6)
            factors = [first, second, self._irreducible_quadratic(rng, m)]
            constant = rng.choice([1, -1, 2, 3, -2])
        factors = sorted(factors, key=lambda f: (P.degree(f), [float(c) for c in f]))
        product = P.scale(self._product(factors), constant)
        gold = factored_latex(constant, factors)
        shown = latex_polynomial(list(product))
        prompt = (f"Factor completely over the integers: ${shown}$.\n\nWrite it as a product of factors with integer "
                  f"coefficients (pull out any common constant factor). {ANSWER_INSTRUCTION}")
        data = {"gold": gold, "product": _coefficients(product), "constant": constant,
                "factors": [_coefficients(f) for f in factors], "question": shown}
        return Draft(prompt, gold, data)

    @staticmethod
    def _product(factors: list[P.Poly]) -> P.Poly:
        out = P.poly(1)
        for f in factors:
            out = P.mul(out, f)
        return out

    @staticmethod
    def _irreducible_quadratic(rng: random.Random, m: int) -> P.Poly:
        while True:
            q = P.poly(rng.randint(-m, m), rng.randint(-m, m), 1)
            if P.is_irreducible_primitive(q):
                return q

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        node, failure = _parse(problem, completion)
        if node is None:
            return failure  # type: ignore[return-value]
        try:
            factors = P.factor_list(node)
            value = P.value_of(node).polynomial()
        except P.ExpressionError as error:
            return Verdict.fail("unparseable", message=str(error))
        if value != _gold_poly(problem, "product"):
            return Verdict.fail("wrong_answer")
        if factors is None:
            return Verdict.fail("wrong_form", message="equal, but not written as a product")
        for factor, _ in factors:
            if P.degree(factor) >= 1 and not P.is_irreducible_primitive(factor):
                return Verdict.fail("wrong_form", message=f"factor {latex_polynomial(list(factor))} is not fully factored over the integers")
        return Verdict.correct()

    def probes(self, problem: Problem) -> list[Probe]:
        factors = [P.poly(*(Fraction(c) for c in f)) for f in problem.data["factors"]]
        constant = problem.data["constant"]
        prefix = "" if constant == 1 else "-" if constant == -1 else f"{constant} \\cdot "
        written_out = prefix + " ".join(f"({latex_polynomial(list(f))})" for f in reversed(factors))
        probes = [
            Probe(wrap(written_out), True, "factors in another order, repeats written out, plain parentheses"),
            Probe(wrap(problem.data["question"]), False, "the expanded polynomial copied"),
            Probe(wrap(f"{problem.answer} or {problem.data['question']}"), False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        linear = [i for i, f in enumerate(factors) if P.degree(f) == 1 and f[0] != 0]  # x alone has no sign to get wrong
        if linear:
            i = linear[0]
            wrong = list(factors)
            wrong[i] = P.poly(-wrong[i][0], wrong[i][1])  # x + b -> x - b
            probes.append(Probe(wrap(factored_latex(constant, wrong)), False, "a sign error in one factor"))
            flipped = list(factors)
            flipped[i] = P.neg(flipped[i])
            probes.append(Probe(wrap(factored_latex(-constant, flipped)), True, "one factor negated and the sign moved out"))
        if abs(constant) > 1 and linear:
            unpulled = [P.scale(factors[linear[0]], constant)] + [f for i, f in enumerate(factors) if i != linear[0]]
            probes.append(Probe(wrap("".join(f"({latex_polynomial(list(f))})" for f in unpulled)), False, "common factor not pulled out"))
            probes.append(Probe(wrap(factored_latex(1, factors)), False, "the constant factor dropped"))
        if len(factors) >= 2 and P.degree(factors[0]) + P.degree(factors[1]) <= 2:
            partial = [P.mul(factors[0], factors[1])] + factors[2:]
            probes.append(Probe(wrap(prefix + "".join(f"({latex_polynomial(list(f))})" for f in partial)), False, "only partly factored"))
        return merged(extraction_probes(problem.answer), probes)


# -- rational expressions ----------------------------------------------------------------------
@dataclass(frozen=True)
class RationalConfig(TaskConfig):
    shape: str = "polynomial"  # "polynomial", "linear_over_linear", "with_constants", "cubic", "sum"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("shape", self.shape, ("polynomial", "linear_over_linear", "with_constants", "cubic", "sum"))
        require_int("magnitude", self.magnitude, 2, 50)


_EXCLUSIONS = re.compile(
    r"(?:\s*+(?:,|;|\\quad|\\qquad|\\text\{[^{}]*+\}))++\s*+x\s*+\\neq?+\s*+[^,;]*+(?:[,;]\s*+x\s*+\\neq?+\s*+[^,;]*+)*+$"
)


@register_task
class RationalSimplification(MathTask[RationalConfig]):
    id = "math/rational_simplification"
    description = "Simplify a rational expression in x to a single fraction in lowest terms."
    answer_format = "one fraction \\frac{P}{Q} of polynomials with no common factor (P, Q expanded or factored), or a polynomial"
    verification = FORM_VERIFICATION.format(
        form=" (one fraction of polynomials, or a polynomial, whose numerator and denominator share no "
             "non-constant factor)")
    limitations = (
        "Trailing exclusions such as ', x \\neq 3' are ignored, not checked.",
        "A common constant factor (2x + 2)/(2x + 4) counts as simplified: lowest terms over the rationals.",
    )
    Config = RationalConfig
    levels = {
        1: RationalConfig("polynomial", 9),
        2: RationalConfig("linear_over_linear", 9),
        3: RationalConfig("with_constants", 9),
        4: RationalConfig("cubic", 7),
        5: RationalConfig("sum", 7),
    }
    timeout_s = 5.0

    def build(self, rng: random.Random, config: RationalConfig) -> Draft:
        m = config.magnitude

        def root() -> P.Poly:
            return P.poly(pick(rng, -m, m, nonzero=True), 1)

        for _ in range(1000):
            common = root()
            if config.shape == "polynomial":
                num, den = P.mul(common, root()), common
            elif config.shape == "linear_over_linear":
                num, den = P.mul(common, root()), P.mul(common, root())
            elif config.shape == "with_constants":
                k1, k2 = rng.randint(1, 6), rng.randint(1, 6)
                num = P.scale(P.mul(common, _primitive_linear(rng, m, False)), k1)
                den = P.scale(P.mul(common, root()), k2)
            elif config.shape == "cubic":
                num, den = P.mul(P.mul(common, root()), root()), P.mul(common, root())
            else:
                a, p, q, r = pick(rng, 1, m), pick(rng, -m, m, nonzero=True), pick(rng, -m, m), pick(rng, -m, m, nonzero=True)
                first = (P.poly(q, p), P.poly(-a * a, 0, 1))  # (p x + q)/(x^2 - a^2)
                second = (P.poly(r), P.poly(a, 1))  # r/(x + a)
                total = P.Rational(*first) + P.Rational(*second)
                shown = f"{fraction_latex(*first)} + {fraction_latex(*second)}"
                num, den = total.num, total.den
            g = P.gcd_poly(num, den)
            reduced_num, reduced_den = P.divmod_poly(num, g)[0], P.divmod_poly(den, g)[0]
            if config.shape != "sum":
                if P.degree(g) < 1:
                    continue
                num, den = integer_fraction(num, den)
                shown = fraction_latex(num, den)
            if config.shape != "polynomial" and P.degree(reduced_den) < 1:
                continue
            reduced_num, reduced_den = integer_fraction(reduced_num, reduced_den)
            break
        else:
            raise RuntimeError("could not draw a rational expression")  # a generator bug
        gold = fraction_latex(reduced_num, reduced_den)
        prompt = (f"Simplify ${shown}$.\n\nWrite the result as a single fraction in lowest terms (or a polynomial "
                  f"if the denominator cancels); numerator and denominator may be expanded or factored. {ANSWER_INSTRUCTION}")
        data = {"gold": gold, "numerator": _coefficients(reduced_num), "denominator": _coefficients(reduced_den), "question": shown}
        return Draft(prompt, gold, data)

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        candidate = read_answer(problem, completion, problem.data.get("question") or "")
        if isinstance(candidate, Verdict):
            return candidate
        node, failure = _parse(problem, wrap(_EXCLUSIONS.sub("", candidate)))
        if node is None:
            return failure  # type: ignore[return-value]
        try:
            value = P.value_of(node)
            shape = P.single_fraction(node)
        except P.ExpressionError as error:
            return Verdict.fail("unparseable", message=str(error))
        gold = P.Rational(_gold_poly(problem, "numerator"), _gold_poly(problem, "denominator"))
        if not value.den or not value.equals(gold):
            return Verdict.fail("wrong_answer")
        if shape is None:
            return Verdict.fail("wrong_form", message="equal, but not a single fraction of polynomials")
        if P.degree(P.gcd_poly(*shape)) >= 1:
            return Verdict.fail("wrong_form", message="equal, but numerator and denominator share a factor")
        return Verdict.correct()

    def probes(self, problem: Problem) -> list[Probe]:
        num, den = _gold_poly(problem, "numerator"), _gold_poly(problem, "denominator")
        probes = [
            Probe(wrap(problem.data["question"]), False, "the expression copied"),
            Probe(wrap(""), False, "empty"),
            Probe(wrap(fraction_latex(P.add(num, P.poly(1)), den)), False, "numerator off by one"),
            Probe(wrap(f"{problem.answer} or {problem.data['question']}"), False, "hedged"),
        ]
        if P.degree(den) >= 1:
            probes += [
                Probe(wrap(f"\\frac{{{latex_polynomial(list(P.neg(num)))}}}{{{latex_polynomial(list(P.neg(den)))}}}"), True, "numerator and denominator both negated"),
                Probe(wrap(f"({latex_polynomial(list(num))})/({latex_polynomial(list(den))})"), True, "plain a/b with parentheses"),
                Probe(wrap(f"{problem.answer}, \\quad x \\neq 0"), True, "with an excluded value noted"),
                Probe(wrap(fraction_latex(den, num)) if num and P.degree(num) >= 0 else wrap("0"), False, "reciprocal"),
            ]
            extra = P.poly(1, 1) if P.gcd_poly(num, P.poly(1, 1)) == P.poly(1) else P.poly(2, 1)
            probes.append(Probe(wrap(fraction_latex(P.mul(num, extra), P.mul(den, extra))), False, "equal but a common factor left"))
        return merged(extraction_probes(problem.answer), probes)
