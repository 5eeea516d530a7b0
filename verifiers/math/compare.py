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

from assay.config import require_bools, require_number
from assay.verifiers.math.exact import (
    MAX_BITS,
    NotExact,
    approximate,
    estimated_bits,
    exact,
)
from assay.verifiers.math.lexer import MAX_ITEMS, ParseError, TooLarge, unit_name
from assay.verifiers.math.nodes import (
    INF,
    PI,
    Add,
    Deg,
    Div,
    Eq,
    Interval,
    List,
    Matrix,
    Mul,
    Neg,
    Node,
    Num,
    Pct,
    Pm,
    Pow,
    Rel,
    Set,
    Text,
    Tuple,
    Union,
    Unit,
    Var,
    field_values,
    integer,
    is_node,
    walk,
)
from assay.verifiers.math.shapes import (
    CONSTANT_NAMES,
    Span,
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

EMPTY_SET = Set(())
MIN_ROUNDING_PLACES = 2  # a decimal gold stands for a rounded value from two places or three digits on
PI_OVER_180 = Div(PI, integer(180))


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
    (integer, fraction, decimal, mixed number, percent, scientific notation 2.5 \\times 10^{3} with a
    mantissa in [1, 10)), not as an expression to evaluate (--3 is one): set it
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
        require_bools(self, ("decimal_gold_rounding", "compare_units", "literal_answers", "use_cas", "math_verify_fallback",
                             "require_answer_block", "solved_inequalities"))
        if self.rel_tol is not None:
            require_number("rel_tol", self.rel_tol, 0, below=1, what="None or a number")
        require_number("cas_timeout_s", self.cas_timeout_s, above=0, high=600, what="a number of seconds")


class Cas(Protocol):
    def scalar_equal(self, gold: Node, answer: Node, gold_places: int, rel_tol: float | None) -> bool: ...

    def equation_equal(self, gold: Eq, answer: Eq) -> bool: ...

    def order_key(self, node: Node) -> float: ...

    def constant_apart(self, gold: Node, answer: Node) -> bool: ...


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


def _has_pm(value: object) -> bool:
    if isinstance(value, Pm):
        return True
    if is_node(value):
        return any(_has_pm(child) for child in field_values(value))
    return isinstance(value, tuple) and any(_has_pm(child) for child in value)


def _variants(value: object) -> list:
    """Every reading of the ``\\pm`` signs inside ``value`` (each sign chosen independently)."""
    if not _has_pm(value):
        return [value]
    if isinstance(value, Pm):
        found: list = [Add((left, right if sign > 0 else Neg(right)))
                       for left in _variants(value.left) for right in _variants(value.right) for sign in (1, -1)]
    elif is_node(value):
        found = [type(value)(*rest) for rest in itertools.product(*(_variants(child) for child in field_values(value)))]
    else:  # a tuple of nodes: terms, items, a matrix row
        assert isinstance(value, tuple)
        found = [tuple(combo) for combo in itertools.product(*(_variants(child) for child in value))]
    if len(found) > MAX_PM_VARIANTS:
        raise AnswerTooLarge("too many plus-or-minus signs")
    return found


def expand_pm(node: Node) -> Node:
    """``a \\pm b`` stands for two answers, a+b and a-b, wherever it sits: ``x = \\frac{1 \\pm
    \\sqrt{5}}{2}`` is a list of two equations; inside a list or set the readings join the items."""
    if not _has_pm(node):
        return node
    if isinstance(node, (List, Set)):
        items = tuple(variant for item in node.items for variant in _variants(item))
        if len(items) > MAX_ITEMS:
            raise AnswerTooLarge("too many answers once plus-or-minus is read")
        return List(items, node.joins) if isinstance(node, List) else Set(items)
    readings = _variants(node)
    unique = list(dict.fromkeys(readings))
    return unique[0] if len(unique) == 1 else List(tuple(unique), ("or",))


def is_multiple(node: Node) -> bool:
    return isinstance(node, (List, Set))


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
    def equal(self, gold: Node, answer: Node) -> bool | None:
        if gold == answer:
            return True
        if isinstance(gold, Unit) and not isinstance(answer, Unit):
            answer = _as_quantity(answer, gold.unit)  # "5 m" read as 5 times m, against a gold in metres
        elif isinstance(answer, Unit) and not isinstance(gold, Unit):
            gold = _as_quantity(gold, answer.unit)  # a gold "1000.99 m^2" read as a product
        if isinstance(answer, Unit) and answer.unit.startswith("mod ") and (not isinstance(gold, Unit) or gold.unit != answer.unit):
            return False  # "3 (mod 28)" is a residue class: it answers only a gold that is one too
        if isinstance(answer, Unit) and answer.unit in ("radian", "rad") and isinstance(gold, Deg):
            return self.value(Mul((gold.arg, PI_OVER_180)), answer.value)  # "pi/6 rad" for 30 degrees
        if isinstance(gold, Unit) and isinstance(answer, Unit):
            same_class = _same_residue_class(gold, answer)
            if same_class is not None:
                return same_class
            if self.options.compare_units and gold.unit != answer.unit:
                factor = conversion(answer.unit, gold.unit)
                if factor is None:
                    return False  # 5 km is not 5 apples; units of different kinds never match
                # 500 cm for 5 m: the answer's value in the gold's unit
                return self.value(gold.value, Mul((answer.value, _exact_number(factor))))
            return self.equal(gold.value, answer.value)
        if isinstance(gold, Unit):
            return self.equal(gold.value, answer)
        if isinstance(answer, Unit):
            return self.equal(gold, answer.value)
        gold, answer = expand_pm(gold), expand_pm(answer)
        core = integration_constant(gold, ("C",))
        if core is not None and has_lowercase_variable(core):  # an antiderivative: any constant name or shift
            # ("C + 1" or "A + B + C" name a quantity C, not a constant of integration in x)
            answered = integration_constant(answer, CONSTANT_NAMES)
            return False if answered is None else self.constant_apart(core, answered)
        if isinstance(gold, Text) or isinstance(answer, Text):
            if EMPTY_SET in (gold, answer):  # the empty set and "no solution" say the same
                return plain_text(answer if gold == EMPTY_SET else gold) == "nosolution"
            return plain_text(gold) is not None and plain_text(gold) == plain_text(answer)
        if isinstance(answer, Eq) or isinstance(gold, Eq):
            return self.equations(gold, answer)
        system = named_values(gold)
        if system is not None:
            return self.systems(system, answer)
        named = named_values(answer)
        if isinstance(gold, Tuple) and named is not None and len(named) == len(gold.items):
            # "y = 0, x = -3" for the point (-3, 0): names in alphabetical order give the coordinates
            ordered = tuple(value for _, value in sorted(named, key=lambda pair: pair[0]))
            return self.ordered(gold, Tuple(ordered, "()"))
        intervals_gold = intervals_of(gold)
        if intervals_gold is not None and (
            not isinstance(gold, Tuple) or intervals_of(answer) is not None and not isinstance(answer, Tuple)
        ):
            intervals_answer = intervals_of(answer, pairs=True, solve=not self.options.solved_inequalities)
            return False if intervals_answer is None else self.interval_sets(intervals_gold, intervals_answer)
        if isinstance(answer, (Rel, Interval, Union)):
            return False
        if isinstance(gold, (List, Set)):
            return self.multisets(gold.items, answer)
        match gold, answer:
            case Tuple(), List(items, (",",)):
                return self.ordered(gold, Tuple(items, "()"))  # "1, 2" for the point (1, 2)
            case _, Set((item,)):
                return self.equal(gold, item)  # the solution set {5} of a one-answer question
            case _, List(items, _) if len(set(items)) == len(items):
                # "5, or equivalently 10/2": several forms of the one answer (a repeated item is a hedge)
                return all_of(partial(self.equal, gold, item) for item in items)
        if is_multiple(answer):
            return False  # several answers to a single-answer question: a hedge
        if isinstance(gold, (Tuple, Matrix)) or isinstance(answer, (Tuple, Matrix)):
            return self.ordered(gold, answer)
        return self.scalar(gold, answer)

    def constant_apart(self, gold: Node, answer: Node) -> bool | None:
        """Whether two expressions differ by a constant (antiderivatives of the same function)."""
        if exact_or_none(gold) is not None and exact_or_none(answer) is not None:
            return True
        return None if self.cas is None else self.cas.constant_apart(gold, answer)

    # -- structures ---------------------------------------------------------------------------
    def equations(self, gold: Node, answer: Node) -> bool | None:
        if isinstance(answer, Eq):
            sides = answer.sides
            if isinstance(gold, Eq):
                if len(gold.sides) == 2 and label(gold.sides[0]) and len(sides) == 2 and label(sides[0]):
                    if lone_variable(gold.sides[0]) and lone_variable(sides[0]) and gold.sides[0] != sides[0]:
                        return False  # x = 3 is not y = 3; f(x) = ... and y = ... name the same thing
                    return self.equal(gold.sides[1], sides[1])
                if len(gold.sides) == 2 and len(sides) == 2:
                    if lone_variable(gold.sides[0]) and exact_or_none(gold.sides[1]) is not None:
                        if lone_variable(sides[1]) and not label(sides[0]):
                            return self.equations(gold, Eq(sides[::-1]))  # 3 = x
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
        assert isinstance(gold, Eq)  # (one side is an equation)
        if label(gold.sides[0]):
            return self.equal(gold.sides[-1], answer)
        return False

    def systems(self, system: list[tuple[str, Node]], answer: Node) -> bool | None:
        answered = named_values(answer)
        if answered is not None:
            mapping = dict(answered)
            if sorted(mapping) != sorted(name for name, _ in system) or len(mapping) != len(answered):
                return False
            return all_of(partial(self.equal, v, mapping[n]) for n, v in system)
        if isinstance(answer, (Tuple, List)) and len(answer.items) == len(system):
            if isinstance(answer, List) and any(isinstance(item, Eq) for item in answer.items):
                return False
            return all_of(partial(self.equal, g[1], a) for g, a in zip(system, answer.items))
        return False

    def multisets(self, gold_items: tuple[Node, ...], answer: Node) -> bool | None:
        match answer:
            case List(items) | Set(items) | Tuple(items, "()"):
                answer_items = items
            case _:
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

    def ordered(self, gold: Node, answer: Node) -> bool | None:
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

    def interval_sets(self, gold: list[Span], answer: list[Span]) -> bool | None:
        try:
            gold = _joined(sorted(gold, key=self._order_key))
            answer = _joined(sorted(answer, key=self._order_key))
        except _Undecided:
            return None
        if len(gold) != len(answer):
            return False
        checks = []
        for (g_lo, g_hi, g_lc, g_rc), (a_lo, a_hi, a_lc, a_rc) in zip(gold, answer):
            if (g_lc != a_lc and infinity_sign(g_lo) == 0) or (g_rc != a_rc and infinity_sign(g_hi) == 0):
                return False
            checks.append(lambda g=g_lo, a=a_lo: self.endpoint(g, a))
            checks.append(lambda g=g_hi, a=a_hi: self.endpoint(g, a))
        return all_of(checks)

    def endpoint(self, gold: Node, answer: Node) -> bool | None:
        g, a = infinity_sign(gold), infinity_sign(answer)
        if g or a:
            return g == a
        return self.scalar(gold, answer)

    def _order_key(self, interval: Span) -> float:
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
    def scalar(self, gold: Node, answer: Node) -> bool | None:
        if gold == answer:
            return True
        gold, answer = hoist_sign(gold), hoist_sign(answer)
        if isinstance(gold, Pct) or isinstance(answer, Pct):
            return self._percent(gold, answer)
        if isinstance(gold, Deg) or isinstance(answer, Deg):
            return self._degrees(gold, answer)
        if isinstance(answer, (Tuple, Set, List, Matrix, Interval, Union, Rel, Eq, Text)):
            return False
        return self.value(gold, answer)

    def _percent(self, gold: Node, answer: Node) -> bool | None:
        match gold, answer:
            case Pct(gold_value), Pct(answer_value):
                return self.value(gold_value, answer_value)
            case Pct(gold_value), _:  # 25% against 25, or 0.25 (1/4) as a fraction of one: 33.3% against 1/3
                as_percent = Mul((answer, integer(100)))
                return any_of([lambda: self.value(gold_value, answer), lambda: self.value(gold_value, as_percent)])
            case _, Pct(answer_value):
                return any_of([lambda: self.value(gold, answer_value), lambda: self.value(gold, answer)])
        raise AssertionError("one side is a percentage")

    def _degrees(self, gold: Node, answer: Node) -> bool | None:
        match gold, answer:
            case Deg(gold_value), Deg(answer_value):
                return self.value(gold_value, answer_value)
            case Deg(gold_value), _:  # 30 degrees against 30 or pi/6
                radians = Mul((gold_value, PI_OVER_180))
                return any_of([lambda: self.value(gold_value, answer), lambda: self.value(radians, answer)])
            case _, Deg(answer_value):
                radians = Mul((answer_value, PI_OVER_180))
                if mentions_pi(gold):  # a radian gold: (pi/6)° is not pi/6, but 30° is
                    return self.value(gold, radians)
                return any_of([lambda: self.value(gold, answer_value), lambda: self.value(gold, radians)])
        raise AssertionError("one side is in degrees")

    def value(self, gold: Node, answer: Node) -> bool | None:
        """Two scalar expressions: exact arithmetic, then a float screen, then the CAS."""
        if gold == answer:
            return True
        if _infinity_in_arithmetic(answer) and not _infinity_in_arithmetic(gold):
            return False  # 1/\infty, 0 \cdot \infty, \infty - \infty: a limit's shorthand, not a value
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

    def _clearly_different(self, gold: Node, answer: Node, places: int) -> bool:
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
    "dollar": ("money", Fraction(1)), "cent": ("money", Fraction(1, 100)),
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


def _exact_number(value: Fraction) -> Node:
    return integer(value) if value.denominator == 1 else Div(integer(value.numerator), integer(value.denominator))


def _residue(node: Node) -> tuple[str | None, int] | None:
    """A residue class's representative as (its variable or None, the integer): ``x \\equiv 7``,
    ``7``, ``-3``; None for anything else."""
    name = None
    if isinstance(node, Eq) and len(node.sides) == 2 and isinstance(node.sides[0], Var):
        name, node = node.sides[0].name, node.sides[1]
    negative = isinstance(node, Neg)
    if isinstance(node, Neg):
        node = node.arg
    if not isinstance(node, Num) or node.value.denominator != 1 or node.places > 0:
        return None
    return name, -int(node.value) if negative else int(node.value)


def _same_residue_class(gold: Unit, answer: Unit) -> bool | None:
    """Whether two residue classes modulo the same integer are one (``x \\equiv 7 \\pmod{5}`` is
    ``x \\equiv 2 \\pmod{5}``); None where they are not both integer classes of one modulus.

    >>> from assay.verifiers.math.parse import parse
    >>> _same_residue_class(parse(r"x \\equiv 2 \\pmod{5}"), parse(r"x \\equiv -8 \\pmod{5}"))
    True
    """
    if gold.unit != answer.unit or not gold.unit.startswith("mod "):
        return None
    modulus = gold.unit[4:]
    if not (modulus.isascii() and modulus.isdigit()) or int(modulus) == 0:
        return None
    gold_residue, answer_residue = _residue(gold.value), _residue(answer.value)
    if gold_residue is None or answer_residue is None:
        return None
    if None not in (gold_residue[0], answer_residue[0]) and gold_residue[0] != answer_residue[0]:
        return False  # the class of another variable
    return (gold_residue[1] - answer_residue[1]) % int(modulus) == 0


def _as_quantity(node: Node, unit: str) -> Node:
    """``5 m`` or ``5 m^2`` read as a number times a variable, as that quantity in ``unit`` when the
    names agree (else ``node`` unchanged)."""
    match node:
        case Mul((number, Var(name))) if exact_or_none(number) is not None:
            written = name
        case Mul((number, Pow(Var(name), Num(power, -1)))) if exact_or_none(number) is not None:
            written = f"{name} ^{power}"
        case _:
            return node
    return Unit(number, unit) if unit_name(written) == unit else node


def _significant_digits(node: Node, places: int) -> int:
    value = exact_or_none(node)
    if value is None:
        return 0
    return len(str(int(abs(value[0]) * 10**places)).lstrip("0"))


class _Undecided(Exception):
    pass


def _infinity_in_arithmetic(node: Node) -> bool:
    r"""\infty inside an expression (1/\infty, 2\infty), not the value \infty or -\infty itself."""
    while isinstance(node, Neg):
        node = node.arg
    return node != INF and any(part == INF for part in walk(node))


def _joined(spans: list[Span]) -> list[Span]:
    r"""Sorted intervals with the ones that meet at an exact point joined: (0, 1] \cup (1, 2] is (0, 2],
    (0, 1) \cup (1, 2) stays two (the point 1 is out)."""
    joined: list[Span] = []
    for span in spans:
        if joined:
            low, high, low_closed, high_closed = joined[-1]
            meet = exact_or_none(high) if infinity_sign(high) == 0 else None
            if meet is not None and meet == exact_or_none(span[0]) and (high_closed or span[2]):
                joined[-1] = (low, span[1], low_closed, span[3])
                continue
        joined.append(span)
    return joined
