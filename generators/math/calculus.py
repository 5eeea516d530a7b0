"""Calculus tasks with exact answers: a derivative's value, definite integrals, limits, series sums
(numbers, checked by the math verifier) and indefinite integrals (checked up to a constant).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.generators.math import expressions as P
from assay.generators.math.answers import BY_OWN_GRAMMAR, MathTask, NumberTask, Posed, read_answer
from assay.generators.math.formatting import latex_number, latex_polynomial, pick
from assay.generators.math.probes import extraction_probes, merged
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict

Laurent = dict[int, Fraction]  # power -> coefficient (no x^{-1}: its integral is a logarithm)


def random_poly(rng: random.Random, degree: int, magnitude: int, fractions: bool = False) -> P.Poly:
    coefficients = []
    for k in range(degree + 1):
        c = Fraction(pick(rng, -magnitude, magnitude, nonzero=k == degree))
        if fractions and rng.random() < 0.4:
            c /= rng.randint(2, 5)
        coefficients.append(c)
    return P.poly(*coefficients)


def paren(p: P.Poly) -> str:
    return f"\\left({latex_polynomial(list(p))}\\right)"


def latex_laurent(terms: Laurent) -> str:
    """``3 x^{2} + \\frac{2}{x^{3}}``, descending powers."""
    parts: list[str] = []
    for power in sorted(terms, reverse=True):
        c = terms[power]
        if c == 0:
            continue
        if power >= 0:
            body = latex_polynomial([0] * power + [abs(c)])
        else:
            x = "x" if power == -1 else f"x^{{{-power}}}"
            body = f"\\frac{{{latex_number(abs(c.numerator))}}}{{{c.denominator if c.denominator != 1 else ''}{' ' if c.denominator != 1 else ''}{x}}}"
        sign = "-" if c < 0 else "+"
        parts.append(body if not parts and sign == "+" else f"-{body}" if not parts else f"{sign} {body}")
    return " ".join(parts) or "0"


def laurent_rational(terms: Laurent) -> P.Rational:
    """A Laurent polynomial as numerator / x^k."""
    lowest = min([0] + list(terms))
    coefficients = [Fraction(0)] * (max([0] + list(terms)) - lowest + 1)
    for k, c in terms.items():
        coefficients[k - lowest] += c
    return P.Rational(P.poly(*coefficients), P.poly(*([0] * -lowest + [1])))


def antiderivative(terms: Laurent) -> Laurent:
    return {k + 1: c / (k + 1) for k, c in terms.items() if c}


def laurent_value(terms: Laurent, x: Fraction) -> Fraction:
    return sum((c * Fraction(x) ** k for k, c in terms.items()), Fraction(0))


def poly_terms(p: P.Poly) -> Laurent:
    return {k: c for k, c in enumerate(p) if c}


# -- derivative at a point ---------------------------------------------------------------------
@dataclass(frozen=True)
class DerivativeConfig(TaskConfig):
    rule: str = "polynomial"  # "polynomial", "fractions", "product", "quotient", "chain"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("rule", self.rule, ("polynomial", "fractions", "product", "quotient", "chain"))
        require_int("magnitude", self.magnitude, 2, 100)


@register_task
class DerivativeValue(NumberTask[DerivativeConfig]):
    id = "math/derivative"
    description = "The value of a derivative f'(a) of a polynomial or rational function, exactly."
    Config = DerivativeConfig
    levels = {
        1: DerivativeConfig("polynomial", 9),
        2: DerivativeConfig("fractions", 9),
        3: DerivativeConfig("product", 7),
        4: DerivativeConfig("quotient", 7),
        5: DerivativeConfig("chain", 5),
    }

    def pose(self, rng: random.Random, config: DerivativeConfig) -> Posed:
        m = config.magnitude
        a = Fraction(rng.randint(-3, 3))
        for _ in range(1000):
            if config.rule in ("polynomial", "fractions"):
                p = random_poly(rng, rng.randint(2, 3) if config.rule == "polynomial" else rng.randint(4, 5), m, config.rule == "fractions")
                f, shown = P.Rational(p, P.poly(1)), latex_polynomial(list(p))
            elif config.rule == "product":
                p, q = random_poly(rng, rng.randint(1, 2), m), random_poly(rng, 2, m)
                f, shown = P.Rational(P.mul(p, q), P.poly(1)), paren(p) + paren(q)
            elif config.rule == "quotient":
                p, q = random_poly(rng, rng.randint(1, 2), m), random_poly(rng, rng.randint(1, 2), m)
                f, shown = P.Rational(p, q), f"\\frac{{{latex_polynomial(list(p))}}}{{{latex_polynomial(list(q))}}}"
            else:
                n = rng.randint(3, 6)
                p, q = random_poly(rng, rng.randint(1, 2), 3), random_poly(rng, 1, m)
                if rng.random() < 0.5:
                    f, shown = P.Rational(P.mul(P.power(p, n), q), P.poly(1)), f"{paren(p)}^{{{n}}}{paren(q)}"
                else:
                    f, shown = P.Rational(P.power(p, n), q), f"\\frac{{{paren(p)}^{{{n}}}}}{{{latex_polynomial(list(q))}}}"
            if P.evaluate(f.den, a) == 0:
                continue
            d = f.derivative()
            value = P.evaluate(d.num, a) / P.evaluate(d.den, a)
            text = f"Let $f(x) = {shown}$. Find $f'({latex_number(a)})$."
            return Posed(text, value, f"f'({latex_number(a)})", {"function": shown, "point": str(a)})
        raise RuntimeError("could not draw a function defined at the point")  # a generator bug


# -- definite integral -------------------------------------------------------------------------
@dataclass(frozen=True)
class DefiniteIntegralConfig(TaskConfig):
    shape: str = "linear"  # "linear", "quadratic", "cubic", "product", "laurent"
    magnitude: int = 6

    def __post_init__(self) -> None:
        require_choice("shape", self.shape, ("linear", "quadratic", "cubic", "product", "laurent"))
        require_int("magnitude", self.magnitude, 2, 100)


@register_task
class DefiniteIntegral(NumberTask[DefiniteIntegralConfig]):
    id = "math/definite_integral"
    description = "A definite integral of a polynomial or a Laurent polynomial, exactly."
    Config = DefiniteIntegralConfig
    levels = {
        1: DefiniteIntegralConfig("linear", 6),
        2: DefiniteIntegralConfig("quadratic", 6),
        3: DefiniteIntegralConfig("cubic", 6),
        4: DefiniteIntegralConfig("product", 5),
        5: DefiniteIntegralConfig("laurent", 6),
    }

    def pose(self, rng: random.Random, config: DefiniteIntegralConfig) -> Posed:
        m = config.magnitude
        if config.shape == "linear":
            low, high = 0, rng.randint(1, 6)
            p = random_poly(rng, 1, m)
            terms, shown = poly_terms(p), latex_polynomial(list(p))
        elif config.shape in ("quadratic", "cubic"):
            low, high = sorted(rng.sample(range(-4 if config.shape == "cubic" else 0, 6), 2))
            p = random_poly(rng, 2 if config.shape == "quadratic" else 3, m, config.shape == "cubic")
            terms, shown = poly_terms(p), latex_polynomial(list(p))
        elif config.shape == "product":
            low, high = sorted(rng.sample(range(-3, 5), 2))
            p, q = random_poly(rng, 1, m), random_poly(rng, rng.randint(1, 2), m)
            terms, shown = poly_terms(P.mul(p, q)), paren(p) + paren(q)
        else:
            low, high = sorted(rng.sample(range(1, 7), 2))
            p = random_poly(rng, 2, m)
            terms = poly_terms(p)
            terms[-2] = Fraction(pick(rng, -m, m, nonzero=True))
            terms[-3] = Fraction(pick(rng, -m, m, nonzero=True))
            shown = latex_laurent(terms)
        if config.shape != "product":
            shown = f"\\left({shown}\\right)"
        primitive = antiderivative(terms)
        value = laurent_value(primitive, Fraction(high)) - laurent_value(primitive, Fraction(low))
        text = f"Evaluate $\\displaystyle\\int_{{{low}}}^{{{high}}} {shown} \\, dx$."
        return Posed(text, value, f"\\int_{{{low}}}^{{{high}}} {shown} \\, dx", {"integrand": shown, "bounds": [low, high]})


# -- indefinite integral -----------------------------------------------------------------------
@dataclass(frozen=True)
class IndefiniteIntegralConfig(TaskConfig):
    shape: str = "linear"  # "linear", "cubic", "fractional", "product", "power"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("shape", self.shape, ("linear", "cubic", "fractional", "product", "power"))
        require_int("magnitude", self.magnitude, 2, 100)


_CONSTANT = re.compile(r"\s*\+\s*(?:[CcK](?:_\{?\d+\}?)?|\\text\{\s*[Cc]\s*\}|\\mathrm\{[Cc]\})\s*\.?\s*$")
_LEADING_CONSTANT = re.compile(r"^\s*(?:[CcK](?:_\{?\d+\}?)?)\s*\+")
_DIFFERENTIAL_NAME = re.compile(r"^\s*\$?\s*(?:F\s*\(x\)|\\int[^=]{0,200}dx)\s*=")


@register_task
class IndefiniteIntegral(MathTask[IndefiniteIntegralConfig]):
    id = "math/indefinite_integral"
    description = "An antiderivative of a polynomial or Laurent polynomial; any constant of integration is accepted."
    answer_format = "an expression in x, optionally followed by + C (expanded or not)"
    verification = (
        "Not a gold comparison (antiderivatives differ by a constant): a bounded grammar (no CAS) parses "
        "the answer, a trailing + C (or + K, + C_1) is dropped, and the answer passes when its exact "
        "derivative equals the integrand as rational functions."
    )
    limitations = ("Only x, numbers, + - * / ^, parentheses and \\frac are understood; logarithms never occur in answers.",)
    Config = IndefiniteIntegralConfig
    levels = {
        1: IndefiniteIntegralConfig("linear", 9),
        2: IndefiniteIntegralConfig("cubic", 9),
        3: IndefiniteIntegralConfig("fractional", 9),
        4: IndefiniteIntegralConfig("product", 7),
        5: IndefiniteIntegralConfig("power", 5),
    }
    timeout_s = 5.0

    def build(self, rng: random.Random, config: IndefiniteIntegralConfig) -> Draft:
        m = config.magnitude
        if config.shape in ("linear", "cubic"):
            p = random_poly(rng, 1 if config.shape == "linear" else 3, m)
            terms, shown = poly_terms(p), latex_polynomial(list(p))
        elif config.shape == "fractional":
            terms = poly_terms(random_poly(rng, 4, m, fractions=True))
            terms[-2] = Fraction(pick(rng, -m, m, nonzero=True))
            shown = latex_laurent(terms)
        elif config.shape == "product":
            p, q = random_poly(rng, 1, m), random_poly(rng, 2, m)
            terms, shown = poly_terms(P.mul(p, q)), paren(p) + paren(q)
        else:
            base, n = random_poly(rng, 1, 4), rng.randint(3, 5)
            terms = poly_terms(P.power(base, n))
            c = Fraction(pick(rng, -m, m, nonzero=True))
            terms[-3] = c
            shown = f"{paren(base)}^{{{n}}} {latex_laurent({-3: c}) if c < 0 else '+ ' + latex_laurent({-3: c})}"
        if config.shape != "product":
            shown = f"\\left({shown}\\right)"
        primitive = antiderivative(terms)
        gold = f"{latex_laurent(primitive)} + C"
        prompt = (f"Find the indefinite integral $\\displaystyle\\int {shown} \\, dx$.\n\nGive an antiderivative as an "
                  f"expression in $x$ followed by + C. {ANSWER_INSTRUCTION}")
        data = {"gold": gold, "integrand": {str(k): str(c) for k, c in sorted(terms.items())}, "question": shown}
        return Draft(prompt, gold, data)

    decided_by = BY_OWN_GRAMMAR

    def check(self, problem: Problem, completion: str) -> Verdict:
        candidate = read_answer(problem, completion)
        if isinstance(candidate, Verdict):
            return candidate
        candidate = _DIFFERENTIAL_NAME.sub("", candidate)
        candidate = _LEADING_CONSTANT.sub("", _CONSTANT.sub("", candidate))
        try:
            value = P.parse_rational(candidate)
        except P.ExpressionError as error:
            return Verdict.fail("unparseable", message=f"not an expression in x: {error}")
        integrand = laurent_rational({int(k): Fraction(c) for k, c in problem.data["integrand"].items()})
        if not value.den or not value.derivative().equals(integrand):
            return Verdict.fail("wrong_answer", message="its derivative is not the integrand")
        return Verdict.correct()

    def probes(self, problem: Problem) -> list[Probe]:
        terms = {int(k): Fraction(c) for k, c in problem.data["integrand"].items()}
        primitive = antiderivative(terms)
        body = latex_laurent(primitive)
        forgot = latex_laurent({k + 1: c for k, c in terms.items()})  # did not divide by the new power
        derivative = latex_laurent({k - 1: c * k for k, c in terms.items() if k != 0})
        return merged(extraction_probes(problem.answer), [
            Probe(wrap(body), True, "no constant of integration"),
            Probe(wrap(f"{body} + 7"), True, "a specific constant"),
            Probe(wrap(f"{body} + K"), True, "constant named K"),
            Probe(f"\\boxed{{{body} + C}}", True, "boxed"),
            Probe(wrap(problem.data["question"]), False, "the integrand copied"),
            Probe(wrap(f"{forgot} + C"), False, "forgot to divide by the new exponent"),
            Probe(wrap(f"{derivative} + C"), False, "differentiated instead"),
            Probe(wrap(f"{latex_laurent({k: -c for k, c in primitive.items()})} + C"), False, "every sign flipped"),
            Probe(wrap(f"\\int {problem.data['question']} \\, dx"), False, "the integral restated"),
            Probe(wrap(f"{body} + C or {forgot} + C"), False, "hedged"),
            Probe(wrap("C"), False, "only the constant"),
            Probe(wrap(""), False, "empty"),
        ])


# -- limits ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LimitConfig(TaskConfig):
    kind: str = "substitution"  # "substitution", "cancel", "cancel_quadratic", "infinity", "conjugate"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("substitution", "cancel", "cancel_quadratic", "infinity", "conjugate"))
        require_int("magnitude", self.magnitude, 2, 100)


@register_task
class Limit(NumberTask[LimitConfig]):
    id = "math/limit"
    description = "A limit of a rational function or a radical expression, exactly (a removable 0/0 or at infinity)."
    Config = LimitConfig
    levels = {
        1: LimitConfig("substitution", 9),
        2: LimitConfig("cancel", 9),
        3: LimitConfig("cancel_quadratic", 7),
        4: LimitConfig("infinity", 9),
        5: LimitConfig("conjugate", 9),
    }

    def pose(self, rng: random.Random, config: LimitConfig) -> Posed:
        m = config.magnitude
        a = rng.randint(-5, 5)
        root = P.poly(-a, 1)
        if config.kind == "substitution":
            p = random_poly(rng, rng.randint(2, 3), m)
            return self._posed(f"\\left({latex_polynomial(list(p))}\\right)", str(a), P.evaluate(p, a))
        if config.kind == "cancel":
            p, q = P.poly(pick(rng, -m, m), 1), P.poly(1)
        elif config.kind == "cancel_quadratic":
            for _ in range(1000):
                p, q = random_poly(rng, 1, m), random_poly(rng, 1, m)
                if P.evaluate(q, a) != 0 and P.degree(P.gcd_poly(p, q)) < 1:
                    break
        if config.kind in ("cancel", "cancel_quadratic"):
            num, den = P.mul(root, p), P.mul(root, q)
            value = P.evaluate(p, a) / P.evaluate(q, a)
            return self._posed(f"\\frac{{{latex_polynomial(list(num))}}}{{{latex_polynomial(list(den))}}}", str(a), value)
        if config.kind == "infinity":
            d = rng.randint(1, 3)
            p, q = random_poly(rng, d - rng.randint(0, 1), m), random_poly(rng, d, m)
            value = p[-1] / q[-1] if P.degree(p) == P.degree(q) else Fraction(0)
            return self._posed(f"\\frac{{{latex_polynomial(list(p))}}}{{{latex_polynomial(list(q))}}}", "\\infty", value)
        if rng.random() < 0.5:
            # (sqrt(k x + c) - b) / (x - a) with k a + c = b^2: the limit is k / (2 b)
            b, k = rng.randint(1, 6), rng.randint(1, 4)
            c = b * b - k * a
            inner = latex_polynomial([c, k])
            return self._posed(f"\\frac{{\\sqrt{{{inner}}} - {b}}}{{{latex_polynomial([-a, 1])}}}", str(a), Fraction(k, 2 * b))
        # (x - a)^2 p(x) / ((x - a)^2 q) with q a constant: a double root to cancel
        p, q = random_poly(rng, 1, m), random_poly(rng, 0, m)
        num, den = P.mul(P.mul(root, root), p), P.mul(P.mul(root, root), q)
        value = P.evaluate(p, a) / P.evaluate(q, a)
        return self._posed(f"\\frac{{{latex_polynomial(list(num))}}}{{{latex_polynomial(list(den))}}}", str(a), value)

    @staticmethod
    def _posed(expression: str, point: str, value: Fraction) -> Posed:
        text = f"Evaluate $\\displaystyle\\lim_{{x \\to {point}}} {expression}$."
        return Posed(text, value, f"\\lim_{{x \\to {point}}} {expression}", {"expression": expression})


# -- series ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SeriesConfig(TaskConfig):
    kind: str = "arithmetic"  # "arithmetic", "squares", "geometric", "telescoping", "infinite_special"
    terms: int = 20

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("arithmetic", "squares", "geometric", "telescoping", "infinite_special"))
        require_int("terms", self.terms, 3, 10**4)


@register_task
class SeriesSum(NumberTask[SeriesConfig]):
    id = "math/series_sum"
    description = "The exact sum of a finite or infinite series."
    Config = SeriesConfig
    levels = {
        1: SeriesConfig("arithmetic", 20),
        2: SeriesConfig("squares", 40),
        3: SeriesConfig("geometric", 20),
        4: SeriesConfig("telescoping", 100),
        5: SeriesConfig("infinite_special", 20),
    }

    def pose(self, rng: random.Random, config: SeriesConfig) -> Posed:
        if config.kind in ("arithmetic", "squares", "telescoping"):
            n = rng.randint(5, config.terms)
            if config.kind == "arithmetic":
                a, b = pick(rng, -9, 9, nonzero=True), rng.randint(-9, 9)
                term, value = latex_polynomial([b, a], "k"), sum((Fraction(a * k + b) for k in range(1, n + 1)), Fraction(0))
            elif config.kind == "squares":
                a, b, c = rng.randint(1, 5), rng.randint(-9, 9), rng.randint(-9, 9)
                term, value = latex_polynomial([c, b, a], "k"), sum((Fraction(a * k * k + b * k + c) for k in range(1, n + 1)), Fraction(0))
            else:
                d = rng.randint(1, 3)
                term = f"\\frac{{1}}{{k(k + {d})}}"
                value = sum((Fraction(1, k * (k + d)) for k in range(1, n + 1)), Fraction(0))
            expression = f"\\sum_{{k=1}}^{{{n}}} {term}" if config.kind == "telescoping" else f"\\sum_{{k=1}}^{{{n}}} \\left({term}\\right)"
            return Posed(f"Compute $\\displaystyle {expression}$.", value, expression)
        if config.kind == "geometric":
            q = rng.randint(2, 9)
            p = pick(rng, -(q - 1), q - 1, nonzero=True)
            a = pick(rng, -12, 12, nonzero=True)
            r = Fraction(p, q)
            expression = f"\\sum_{{k=0}}^{{\\infty}} {a} \\left({latex_number(r)}\\right)^{{k}}"
            return Posed(f"Compute $\\displaystyle {expression}$.", a / (1 - r), expression)
        if rng.random() < 0.5:
            q = rng.randint(2, 9)
            r = Fraction(pick(rng, -(q - 1), q - 1, nonzero=True), q)
            expression = f"\\sum_{{k=1}}^{{\\infty}} k \\left({latex_number(r)}\\right)^{{k}}"
            return Posed(f"Compute $\\displaystyle {expression}$.", r / (1 - r) ** 2, expression)
        a, b = sorted(rng.sample(range(7), 2))
        value = Fraction(1, b - a) * sum(Fraction(1, j) for j in range(a + 1, b + 1))
        expression = f"\\sum_{{k=1}}^{{\\infty}} \\frac{{1}}{{(k + {a})(k + {b})}}".replace("(k + 0)", "k")
        return Posed(f"Compute $\\displaystyle {expression}$.", value, expression)
