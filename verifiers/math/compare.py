"""Structured comparison of a gold AST with an answer AST: three-valued (True, False, None=unknown).

Without a CAS the judge decides everything exact (numbers, tuples, sets, intervals, equations over
exact values) and says None where it would need sympy; in the worker the same judge gets a CAS.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Protocol

from assay.errors import ConfigError
from assay.verifiers.math.exact import (
    MAX_BITS,
    NotExact,
    approximate,
    estimated_bits,
    exact,
)
from assay.verifiers.math.lexer import MAX_ITEMS, unit_name
from assay.verifiers.math.parse import ParseError, TooLarge
from assay.verifiers.math.shapes import (
    CONSTANT_NAMES,
    decimal_places,
    exact_or_none,
    has_lowercase_variable,
    hoist_sign,
    infinity_sign,
    integration_constant,
    intervals_of,
    is_literal,
    label,
    lone_variable,
    mentions_pi,
    named_values,
    names_quantity,
    plain_text,
    round_half_up,
    rows_of,
    terminates,
)

MIN_ROUNDING_PLACES = 2  # a decimal gold stands for a rounded value from two places or three digits on
PI_OVER_180 = ("div", ("const", "pi"), ("num", Fraction(180), -1))


@dataclass(frozen=True)
class Options:
    """How lenient the comparison is (every default is the strict, documented convention).

    ``rel_tol``: accept a numeric answer within this relative distance of the gold (off: None).
    ``decimal_gold_rounding``: a gold written as a decimal with k >= 2 places (or three significant
    digits: 33.3) is matched by an answer that rounds to it at k places (an irrational or
    non-terminating answer such as 1/3 vs 0.33; a terminating answer must equal it exactly;
    "0.3" is exact: 1/3 does not match it).
    ``compare_units``: both sides name a unit: converted to a common unit for length, mass, time and
    volume, else the names must agree.
    ``literal_answers``: against a gold that is a number, the answer must be written as one
    (integer, fraction, decimal, mixed number, percent), not as an expression to evaluate: set it
    when the question itself is an expression the model could copy ("compute 17*23").
    ``use_cas``: hand what exact arithmetic cannot decide to sympy in a worker process.
    ``math_verify_fallback``: a gold this grammar cannot read (``\\sum``, ratios) is compared by
    math-verify in the worker (with its faults) instead of by its exact text only.
    ``cas_timeout_s``: the hard, kill-enforced limit of one sympy comparison.
    ``require_answer_block``: only a ``\\boxed{}`` or an ``<answer>`` block is an answer (format-strict
    training); off, a closing "the answer is" sentence, an "Answer:" line, a "Final Answer" heading
    and at last the final statement's value are read too.
    ``solved_inequalities``: an inequality answers an interval gold only when solved for its variable
    (``x < 1``, ``0 < x \\le 2``); off, a linear one is solved first (``2x < 2`` is ``x < 1``). Set
    it when the question is itself the inequality to solve (copying it must not pay).
    """

    rel_tol: float | None = None
    decimal_gold_rounding: bool = True
    compare_units: bool = True
    literal_answers: bool = False
    use_cas: bool = True
    math_verify_fallback: bool = True
    cas_timeout_s: float = 5.0
    require_answer_block: bool = False
    solved_inequalities: bool = False

    def __post_init__(self) -> None:
        for name in ("decimal_gold_rounding", "compare_units", "literal_answers", "use_cas", "math_verify_fallback",
                     "require_answer_block", "solved_inequalities"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(name, "must be true or false", getattr(self, name))
        if self.rel_tol is not None and (
            isinstance(self.rel_tol, bool) or not isinstance(self.rel_tol, (int, float)) or not 0 <= self.rel_tol < 1
        ):
            raise ConfigError("rel_tol", "must be None or a number in [0, 1)", self.rel_tol)
        if isinstance(self.cas_timeout_s, bool) or not isinstance(self.cas_timeout_s, (int, float)) \
                or not 0 < self.cas_timeout_s <= 600:
            raise ConfigError("cas_timeout_s", "must be a number of seconds in (0, 600]", self.cas_timeout_s)


class Cas(Protocol):
    def scalar_equal(self, gold: tuple, answer: tuple, gold_places: int, rel_tol: float | None) -> bool: ...

    def equation_equal(self, gold: tuple, answer: tuple) -> bool: ...

    def order_key(self, node: tuple) -> float: ...

    def constant_apart(self, gold: tuple, answer: tuple) -> bool: ...


class AnswerTooLarge(Exception):
    """The answer is an expression bomb: it is refused, never evaluated."""


def all_of(results: Iterable[Callable[[], bool | None]]) -> bool | None:
    unknown = False
    for result in results:
        value = result()
        if value is False:
            return False
        unknown = unknown or value is None
    return None if unknown else True


def any_of(results: Iterable[Callable[[], bool | None]]) -> bool | None:
    unknown = False
    for result in results:
        value = result()
        if value is True:
            return True
        unknown = unknown or value is None
    return None if unknown else False


MAX_PM_VARIANTS = 8


def _is_node(value: object) -> bool:
    return isinstance(value, tuple) and bool(value) and isinstance(value[0], str) and value[0] in _NODE_KINDS


_NODE_KINDS = {
    "num", "var", "const", "add", "mul", "neg", "div", "pow", "fact", "func", "root", "abs", "binom", "pct",
    "deg", "unit", "text", "pm", "tuple", "set", "list", "interval", "union", "matrix", "eq", "rel", "setminus",
}


def _has_pm(node: object) -> bool:
    if not isinstance(node, tuple):
        return False
    if _is_node(node) and node[0] == "pm":
        return True
    return any(_has_pm(child) for child in node[1:] if isinstance(child, tuple)) if _is_node(node) else any(
        _has_pm(child) for child in node
    )


def _variants(node: object) -> list:
    """Every reading of the ``\\pm`` signs inside ``node`` (each sign chosen independently)."""
    if not isinstance(node, tuple) or not _has_pm(node):
        return [node]
    if _is_node(node) and node[0] == "pm":
        found = [("add", (left, right if sign > 0 else ("neg", right)))
                 for left in _variants(node[1]) for right in _variants(node[2]) for sign in (1, -1)]
    elif _is_node(node):
        found = [(node[0], *rest) for rest in itertools.product(*(_variants(child) for child in node[1:]))]
    else:  # a tuple of nodes: terms, items, a matrix row
        found = [tuple(combo) for combo in itertools.product(*(_variants(child) for child in node))]
    if len(found) > MAX_PM_VARIANTS:
        raise AnswerTooLarge("too many plus-or-minus signs")
    return found


def expand_pm(node: tuple) -> tuple:
    """``a \\pm b`` stands for two answers, a+b and a-b, wherever it sits: ``x = \\frac{1 \\pm
    \\sqrt{5}}{2}`` is a list of two equations; inside a list or set the readings join the items."""
    if not _has_pm(node):
        return node
    if node[0] in ("list", "set"):
        items = tuple(variant for item in node[1] for variant in _variants(item))
        if len(items) > MAX_ITEMS:
            raise AnswerTooLarge("too many answers once plus-or-minus is read")
        return ("list", items, node[2]) if node[0] == "list" else ("set", items)
    readings = _variants(node)
    unique = list(dict.fromkeys(readings))
    return unique[0] if len(unique) == 1 else ("list", tuple(unique), ("or",))


def is_multiple(node: tuple) -> bool:
    return node[0] in ("list", "set")


class Judge:
    """Compares a gold AST with an answer AST; ``cas`` None means "exact arithmetic only".

    >>> from assay.verifiers.math.parse import parse
    >>> judge = Judge(Options())
    >>> judge.equal(parse("(1, 2]"), parse(r"1 < x \\le 2")), judge.equal(parse("3"), parse("x = 3"))
    (True, True)
    >>> judge.equal(parse(r"\\sqrt{2}"), parse("2^{1/2}")) is None  # needs the CAS
    True
    """

    def __init__(self, options: Options, cas: Cas | None = None) -> None:
        self.options = options
        self.cas = cas

    # -- entry --------------------------------------------------------------------------------
    def equal(self, gold: tuple, answer: tuple) -> bool | None:
        if gold == answer:
            return True
        if gold[0] == "unit" and answer[0] != "unit":
            answer = _as_quantity(answer, gold[2])  # "5 m" read as 5 times m, against a gold in metres
        elif answer[0] == "unit" and gold[0] != "unit":
            gold = _as_quantity(gold, answer[2])  # a gold "1000.99 m^2" read as a product
        if answer[0] == "unit" and answer[2].startswith("mod ") and (gold[0] != "unit" or gold[2] != answer[2]):
            return False  # "3 (mod 28)" is a residue class: it answers only a gold that is one too
        if answer[0] == "unit" and answer[2] in ("radian", "rad") and gold[0] == "deg":
            return self.value(("mul", (gold[1], PI_OVER_180)), answer[1])  # "pi/6 rad" for 30 degrees
        if gold[0] == "unit" or answer[0] == "unit":
            if gold[0] == "unit" and answer[0] == "unit" and self.options.compare_units and gold[2] != answer[2]:
                factor = conversion(answer[2], gold[2])
                if factor is None:
                    return False  # 5 km is not 5 apples; units of different kinds never match
                # 500 cm for 5 m: the answer's value in the gold's unit
                return self.value(gold[1], ("mul", (answer[1], _exact_number(factor))))
            return self.equal(gold[1] if gold[0] == "unit" else gold, answer[1] if answer[0] == "unit" else answer)
        gold, answer = expand_pm(gold), expand_pm(answer)
        core = integration_constant(gold, ("C",))
        if core is not None and has_lowercase_variable(core):  # an antiderivative: any constant name or shift
            # ("C + 1" or "A + B + C" name a quantity C, not a constant of integration in x)
            answered = integration_constant(answer, CONSTANT_NAMES)
            return False if answered is None else self.constant_apart(core, answered)
        if gold[0] == "text" or answer[0] == "text":
            if ("set", ()) in (gold, answer):  # the empty set and "no solution" say the same
                return plain_text(answer if gold == ("set", ()) else gold) == "nosolution"
            return plain_text(gold) is not None and plain_text(gold) == plain_text(answer)
        if answer[0] == "eq" or gold[0] == "eq":
            return self.equations(gold, answer)
        system = named_values(gold)
        if system is not None:
            return self.systems(system, answer)
        named = named_values(answer)
        if gold[0] == "tuple" and named is not None and len(named) == len(gold[1]):
            # "y = 0, x = -3" for the point (-3, 0): names in alphabetical order give the coordinates
            ordered = tuple(value for _, value in sorted(named, key=lambda pair: pair[0]))
            return self.ordered(gold, ("tuple", ordered, "()"))
        intervals_gold = intervals_of(gold)
        if intervals_gold is not None and (gold[0] != "tuple" or intervals_of(answer) is not None and answer[0] != "tuple"):
            intervals_answer = intervals_of(answer, pairs=True, solve=not self.options.solved_inequalities)
            return False if intervals_answer is None else self.interval_sets(intervals_gold, intervals_answer)
        if answer[0] in ("rel", "interval", "union"):
            return False
        if is_multiple(gold):
            return self.multisets(gold[1], answer)
        if gold[0] == "tuple" and answer[0] == "list" and answer[2] == (",",):
            return self.ordered(gold, ("tuple", answer[1], "()"))  # "1, 2" for the point (1, 2)
        if answer[0] == "set" and len(answer[1]) == 1:
            return self.equal(gold, answer[1][0])  # the solution set {5} of a one-answer question
        if answer[0] == "list" and len(set(answer[1])) == len(answer[1]):
            # "5, or equivalently 10/2": several forms of the one answer (a repeated item is a hedge)
            return all_of(partial(self.equal, gold, item) for item in answer[1])
        if is_multiple(answer):
            return False  # several answers to a single-answer question: a hedge
        if gold[0] in ("tuple", "matrix") or answer[0] in ("tuple", "matrix"):
            return self.ordered(gold, answer)
        return self.scalar(gold, answer)

    def constant_apart(self, gold: tuple, answer: tuple) -> bool | None:
        """Whether two expressions differ by a constant (antiderivatives of the same function)."""
        if exact_or_none(gold) is not None and exact_or_none(answer) is not None:
            return True
        return None if self.cas is None else self.cas.constant_apart(gold, answer)

    # -- structures ---------------------------------------------------------------------------
    def equations(self, gold: tuple, answer: tuple) -> bool | None:
        if answer[0] == "eq":
            sides = answer[1]
            if gold[0] == "eq":
                if len(gold[1]) == 2 and label(gold[1][0]) and len(sides) == 2 and label(sides[0]):
                    if lone_variable(gold[1][0]) and lone_variable(sides[0]) and gold[1][0] != sides[0]:
                        return False  # x = 3 is not y = 3; f(x) = ... and y = ... name the same thing
                    return self.equal(gold[1][1], sides[1])
                if len(gold[1]) == 2 and len(sides) == 2:
                    if lone_variable(gold[1][0]) and exact_or_none(gold[1][1]) is not None:
                        if lone_variable(sides[1]) and not label(sides[0]):
                            return self.equations(gold, ("eq", sides[::-1]))  # 3 = x
                        return False  # x = 3 is a solution: an unsolved x + 1 = 4 does not state it
                    if self.cas is None:
                        return None
                    return self.cas.equation_equal(gold, answer)
                return False
            # names are dropped: with plain values in the chain every name goes (a + b + c = 12,
            # 5 = a + b, f(2) = 5 = f(3)) and every value must be the answer; between expressions only
            # a lone name at either end goes (y = 2x + 1), so a false chain G + 1 = G still fails
            plain = [side for side in sides if not (label(side) or names_quantity(side))]
            if plain:
                values = plain
            else:
                values = list(sides[1:] if label(sides[0]) else sides)
                if len(values) > 1 and label(values[-1]):
                    values = values[:-1]
            # every side of a chain must be the answer: "a = 2 = 3" is not 3
            return all_of(partial(self.equal, gold, v) for v in values)
        sides = gold[1]
        if label(sides[0]):
            return self.equal(sides[-1], answer)
        return False

    def systems(self, system: list[tuple[str, tuple]], answer: tuple) -> bool | None:
        answered = named_values(answer)
        if answered is not None:
            mapping = dict(answered)
            if sorted(mapping) != sorted(name for name, _ in system) or len(mapping) != len(answered):
                return False
            return all_of(partial(self.equal, v, mapping[n]) for n, v in system)
        if answer[0] in ("tuple", "list") and len(answer[1]) == len(system):
            if answer[0] == "list" and any(item[0] == "eq" for item in answer[1]):
                return False
            return all_of(partial(self.equal, g[1], a) for g, a in zip(system, answer[1]))
        return False

    def multisets(self, gold_items: tuple, answer: tuple) -> bool | None:
        if answer[0] in ("list", "set") or answer[0] == "tuple" and answer[2] == "()":
            answer_items = answer[1]
        else:
            answer_items = (answer,)
        if len(answer_items) != len(gold_items):
            return False
        unused = list(answer_items)
        unknown = False
        for item in gold_items:
            found = None
            for index, candidate in enumerate(unused):
                verdict = self.equal(item, candidate)
                if verdict is True:
                    found = index
                    break
                unknown = unknown or verdict is None
            if found is None:
                return None if unknown else False
            unused.pop(found)
        return True

    def ordered(self, gold: tuple, answer: tuple) -> bool | None:
        gold_rows, answer_rows = rows_of(gold), rows_of(answer)
        if gold_rows is None or answer_rows is None:
            return False
        if len(gold_rows) != len(answer_rows) or any(len(g) != len(a) for g, a in zip(gold_rows, answer_rows)):
            return False
        return all_of(
            partial(self.equal, g, a)
            for gold_row, answer_row in zip(gold_rows, answer_rows)
            for g, a in zip(gold_row, answer_row)
        )

    def interval_sets(self, gold: list[tuple], answer: list[tuple]) -> bool | None:
        if len(gold) != len(answer):
            return False
        try:
            gold = sorted(gold, key=self._order_key)
            answer = sorted(answer, key=self._order_key)
        except _Undecided:
            return None
        checks = []
        for (g_lo, g_hi, g_lc, g_rc), (a_lo, a_hi, a_lc, a_rc) in zip(gold, answer):
            if (g_lc != a_lc and infinity_sign(g_lo) == 0) or (g_rc != a_rc and infinity_sign(g_hi) == 0):
                return False
            checks.append(lambda g=g_lo, a=a_lo: self.endpoint(g, a))
            checks.append(lambda g=g_hi, a=a_hi: self.endpoint(g, a))
        return all_of(checks)

    def endpoint(self, gold: tuple, answer: tuple) -> bool | None:
        g, a = infinity_sign(gold), infinity_sign(answer)
        if g or a:
            return g == a
        return self.scalar(gold, answer)

    def _order_key(self, interval: tuple) -> float:
        low = interval[0]
        sign = infinity_sign(low)
        if sign:
            return float(sign) * float("inf")
        try:
            return approximate(low).real
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            if self.cas is None:
                raise _Undecided() from None
            return self.cas.order_key(low)

    # -- scalars ------------------------------------------------------------------------------
    def scalar(self, gold: tuple, answer: tuple) -> bool | None:
        if gold == answer:
            return True
        gold, answer = hoist_sign(gold), hoist_sign(answer)
        if gold[0] == "pct" or answer[0] == "pct":
            return self._percent(gold, answer)
        if gold[0] == "deg" or answer[0] == "deg":
            return self._degrees(gold, answer)
        if answer[0] in ("tuple", "set", "list", "matrix", "interval", "union", "rel", "eq", "text"):
            return False
        return self.value(gold, answer)

    def _percent(self, gold: tuple, answer: tuple) -> bool | None:
        if gold[0] == "pct" and answer[0] == "pct":
            return self.value(gold[1], answer[1])
        if gold[0] == "pct":  # 25% against 25, or 0.25 (1/4) as a fraction of one: 33.3% against 1/3
            as_percent = ("mul", (answer, ("num", Fraction(100), -1)))
            return any_of([lambda: self.value(gold[1], answer), lambda: self.value(gold[1], as_percent)])
        return any_of([lambda: self.value(gold, answer[1]), lambda: self.value(gold, answer)])

    def _degrees(self, gold: tuple, answer: tuple) -> bool | None:
        if gold[0] == "deg" and answer[0] == "deg":
            return self.value(gold[1], answer[1])
        if gold[0] == "deg":  # 30 degrees against 30 or pi/6
            radians = ("mul", (gold[1], PI_OVER_180))
            return any_of([lambda: self.value(gold[1], answer), lambda: self.value(radians, answer)])
        radians = ("mul", (answer[1], PI_OVER_180))
        if mentions_pi(gold):  # a radian gold: (pi/6)° is not pi/6, but 30° is
            return self.value(gold, radians)
        return any_of([lambda: self.value(gold, answer[1]), lambda: self.value(gold, radians)])

    def value(self, gold: tuple, answer: tuple) -> bool | None:
        """Two scalar expressions: exact arithmetic, then a float screen, then the CAS."""
        if gold == answer:
            return True
        places = decimal_places(gold) if self.options.decimal_gold_rounding else -1
        if places >= 1 and places < MIN_ROUNDING_PLACES and _significant_digits(gold, places) < 3:
            places = -1  # "0.3" may be exactly 3/10: too coarse to stand for 1/3 ("33.3" is not)
        if estimated_bits(answer) > MAX_BITS:
            raise AnswerTooLarge("the answer's numbers would be too large")
        try:
            answer_value = exact(answer)
        except TooLarge as error:
            raise AnswerTooLarge(str(error)) from None
        except NotExact:
            answer_value = None
        except ParseError:
            return False  # 1/0, (-3)!, ... is no value at all
        try:
            gold_value = exact(gold)
        except (NotExact, ParseError):
            gold_value = None
        if self.options.literal_answers and gold_value is not None and not is_literal(answer):
            return False
        if gold_value is not None and answer_value is not None:
            if answer_value == gold_value:
                return True
            if places >= 1 and answer_value[1] == 0 and decimal_places(answer) < 0 and not terminates(answer_value[0]):
                return round_half_up(answer_value[0], places) == gold_value[0]
            return self._within_tolerance(gold_value, answer_value)
        if self._clearly_different(gold, answer, places):
            return False
        if self.cas is None:
            return None
        return self.cas.scalar_equal(gold, answer, places, self.options.rel_tol)

    def _within_tolerance(self, gold: tuple[Fraction, Fraction], answer: tuple[Fraction, Fraction]) -> bool:
        tolerance = self.options.rel_tol
        if not tolerance:
            return False
        distance = abs(complex(float(gold[0] - answer[0]), float(gold[1] - answer[1])))
        return distance <= tolerance * max(abs(complex(float(gold[0]), float(gold[1]))), 1e-300)

    def _clearly_different(self, gold: tuple, answer: tuple, places: int) -> bool:
        """Floats rule out constants that differ by far more than rounding could explain."""
        if self.options.rel_tol or places >= 1:
            return False
        magnitudes: list[float] = []
        try:
            g, a = approximate(gold, magnitudes), approximate(answer, magnitudes)
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            return False
        scale = max(abs(g), abs(a), 1e-12)
        if max(magnitudes) > 1e6 * scale:
            return False  # cancellation (pi + 10^20 - 10^20) or sin(10^100 pi): floats say nothing
        return abs(g - a) > 1e-6 * scale


# each unit in its dimension's base unit (exact): length in m, mass in g, time in s, volume in l
UNIT_FACTORS: dict[str, tuple[str, Fraction]] = {
    "mm": ("length", Fraction(1, 1000)), "cm": ("length", Fraction(1, 100)), "m": ("length", Fraction(1)),
    "km": ("length", Fraction(1000)), "in": ("length", Fraction(254, 10000)), "ft": ("length", Fraction(3048, 10000)),
    "yd": ("length", Fraction(9144, 10000)), "mi": ("length", Fraction(1609344, 1000)),
    "g": ("mass", Fraction(1)), "kg": ("mass", Fraction(1000)), "lb": ("mass", Fraction(45359237, 100000)),
    "oz": ("mass", Fraction(45359237, 1600000)),
    "s": ("time", Fraction(1)), "min": ("time", Fraction(60)), "h": ("time", Fraction(3600)),
    "day": ("time", Fraction(86400)), "week": ("time", Fraction(604800)),
    "l": ("volume", Fraction(1)), "ml": ("volume", Fraction(1, 1000)),
}


def _base(unit: str) -> tuple[str, Fraction] | None:
    """A unit name (``cm``, ``cm ^2``, ``m ^3``) as (dimension, factor to the base unit)."""
    words = unit.split()
    power = 1
    if len(words) == 2 and words[1] in ("^2", "^3"):
        power = int(words[1][1])
    elif len(words) != 1:
        return None
    found = UNIT_FACTORS.get(words[0])
    if found is None:
        return None
    dimension, factor = found
    if power == 3 and dimension == "length":  # cm^3 is a ml, m^3 a thousand litres
        return "volume", factor**3 * 1000
    return (dimension if power == 1 else f"{dimension}^{power}"), factor**power


def conversion(source: str, target: str) -> Fraction | None:
    """The factor taking a value in ``source`` to ``target`` (None: different kinds or unknown).

    >>> conversion("m", "cm"), conversion("cm ^3", "ml"), conversion("kg", "s")
    (Fraction(100, 1), Fraction(1, 1), None)
    """
    a, b = _base(source), _base(target)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


def _exact_number(value: Fraction) -> tuple:
    return ("num", value, -1) if value.denominator == 1 else ("div", ("num", Fraction(value.numerator), -1),
                                                                     ("num", Fraction(value.denominator), -1))


def _as_quantity(node: tuple, unit: str) -> tuple:
    """``5 m`` or ``5 m^2`` read as a number times a variable, as that quantity in ``unit`` when the
    names agree (else ``node`` unchanged)."""
    if node[0] != "mul" or len(node[1]) != 2 or exact_or_none(node[1][0]) is None:
        return node
    name = node[1][1]
    if name[0] == "var":
        written = name[1]
    elif name[0] == "pow" and name[1][0] == "var" and name[2][0] == "num" and name[2][2] == -1:
        written = f"{name[1][1]} ^{name[2][1]}"
    else:
        return node
    return ("unit", node[1][0], unit) if unit_name(written) == unit else node


def _significant_digits(node: tuple, places: int) -> int:
    value = exact_or_none(node)
    if value is None:
        return 0
    return len(str(int(abs(value[0]) * 10**places)).lstrip("0"))


class _Undecided(Exception):
    pass

