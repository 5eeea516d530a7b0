"""Symbolic equivalence with sympy, built from the bounded AST (never from untrusted strings).

Runs only where a kill bounds it: in a ``worker`` process, or in-process inside an
``assay.executors.pool`` worker (``ASSAY_POOL_WORKER=1``), which the pool kills past the item's deadline.
"""

from __future__ import annotations

import logging
import random
from fractions import Fraction

import sympy

from assay.verifiers.math.compare import Judge, Options
from assay.verifiers.math.exact import (
    MAX_BINOMIAL,
    MAX_BITS,
    MAX_FACTORIAL,
    MAX_SYMBOLIC_EXPONENT,
)
from assay.verifiers.math.lexer import ParseError, TooLarge
from assay.verifiers.math.nodes import (
    Abs,
    Add,
    Binom,
    Const,
    Deg,
    Div,
    Eq,
    Fact,
    Func,
    Matrix,
    Mul,
    Neg,
    Node,
    Num,
    Pct,
    Pow,
    Root,
    Var,
    kind_of,
)
from assay.verifiers.math.shapes import round_half_up, terminates

logger = logging.getLogger(__name__)

PRECISION = 50  # digits of the numeric checks, beyond the digits written in the answer
MAX_PRECISION = 5000
POINTS = 5  # random points of the identity test for expressions with variables

_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sec": sympy.sec, "csc": sympy.csc,
    "cot": sympy.cot, "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "exp": sympy.exp, "ln": sympy.log,
    "floor": sympy.floor, "ceil": sympy.ceiling, "conj": sympy.conjugate,
}


def to_sympy(node: Node) -> sympy.Expr:
    """A sympy expression built node by node from a scalar AST (constructors only, no parsing).

    >>> from assay.verifiers.math.parse import parse
    >>> to_sympy(parse(r"\\frac{\\sqrt{8}}{2}"))
    sqrt(2)
    """
    match node:
        case Num(value):
            return sympy.Rational(value.numerator, value.denominator)
        case Var(name):
            if name == "e":
                return sympy.E
            if name == "i":
                return sympy.I
            return sympy.Symbol(name)
        case Const(name):
            return {"pi": sympy.pi, "e": sympy.E, "i": sympy.I, "inf": sympy.oo}[name]
        case Neg(arg):
            return -to_sympy(arg)
        case Add(terms):
            return sympy.Add(*[to_sympy(t) for t in terms])
        case Mul(factors):
            return sympy.Mul(*[to_sympy(f) for f in factors])
        case Div(num, den):
            denominator = to_sympy(den)
            if denominator == 0:
                raise ParseError("division by zero")
            return to_sympy(num) / denominator
        case Pow(base, exponent):
            return _power(base, exponent)
        case Root(radicand_node, index_node):
            radicand, index = to_sympy(radicand_node), to_sympy(index_node)
            if index.is_Integer and index % 2 == 1 and radicand.is_number and radicand.is_negative:
                return -sympy.root(-radicand, index)  # the real cube root of -8 is -2
            return sympy.root(radicand, index)
        case Fact(arg):
            argument = to_sympy(arg)
            if argument.is_Integer and argument > MAX_FACTORIAL:
                raise TooLarge("factorial")
            return sympy.factorial(argument)
        case Binom(top_node, bottom_node):
            top, bottom = to_sympy(top_node), to_sympy(bottom_node)
            if top.is_Integer and top > MAX_BINOMIAL:
                raise TooLarge("binomial")
            return sympy.binomial(top, bottom)
        case Abs(arg):
            return sympy.Abs(to_sympy(arg))
        case Func("log", arguments):
            value = to_sympy(arguments[0])
            return sympy.log(value, to_sympy(arguments[1])) if len(arguments) > 1 else sympy.log(value)
        case Func("det", (Matrix(rows), *_)):
            return sympy.Matrix([[to_sympy(x) for x in row] for row in rows]).det()
        case Func(name, arguments):
            return _FUNCTIONS[name](to_sympy(arguments[0]))
        case Pct(arg):
            return to_sympy(arg) / 100
        case Deg(arg):
            return to_sympy(arg) * sympy.pi / 180
    raise ParseError(f"{kind_of(node)} is not a scalar")


def _power(base_node: Node, exponent_node: Node) -> sympy.Expr:
    base, exponent = to_sympy(base_node), to_sympy(exponent_node)
    if exponent.is_Integer:
        if abs(int(exponent)) > MAX_SYMBOLIC_EXPONENT:
            raise TooLarge("exponent")
        if base.is_Rational and abs(int(exponent)) * max(abs(base.p).bit_length(), base.q.bit_length()) > MAX_BITS:
            raise TooLarge("power")
    elif exponent.is_number and base.is_number and abs(exponent.evalf(15)) > MAX_SYMBOLIC_EXPONENT:
        raise TooLarge("exponent")
    return sympy.Pow(base, exponent)


def _digits(*expressions: sympy.Expr) -> int:
    """Working precision: PRECISION digits beyond those written in the answer's numbers, so a
    60-digit decimal of pi is told apart from pi."""
    written = sum(len(str(abs(r.p))) + len(str(r.q)) for e in expressions for r in e.atoms(sympy.Rational))
    return min(PRECISION + written, MAX_PRECISION)


def _number(value: sympy.Expr, point: dict | None = None, digits: int = PRECISION) -> sympy.Expr | None:
    """A (possibly complex) sympy Float of ``value`` at ``point``, or None when it has none."""
    try:
        if point and all(v.is_Rational for v in point.values()):
            result = value.xreplace(point).evalf(digits)  # an exact point: exact arithmetic first (1 - 3 + 2 is 0)
        else:
            result = value.evalf(digits, subs=point)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None
    if not result.is_number or result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or result.free_symbols:
        return None
    return result


def _is_real(value: sympy.Expr) -> bool:
    if value.is_Float or value.is_Rational:
        return True  # evalf's usual result: no need for as_real_imag, the costliest step of a test point
    real, imaginary = value.as_real_imag()
    return abs(imaginary) <= 1e-30 * max(abs(real), 1)


def _close(g: sympy.Expr, a: sympy.Expr, tolerance: float, digits: int = PRECISION) -> bool | None:
    """Relative closeness of two values (huge exponents are fine: sympy Floats); None: no value."""
    gv, av = _number(g, None, digits), _number(a, None, digits)
    if gv is None or av is None:
        return None
    return _close_values(gv, av, tolerance, digits)


def _close_values(gv: sympy.Expr, av: sympy.Expr, tolerance: float, digits: int = PRECISION) -> bool | None:
    try:
        distance = abs(sympy.N(gv - av, digits))
        scale = max(abs(gv), abs(av))
        if scale == 0:
            return True
        return bool(distance <= tolerance * scale)
    except TypeError:
        return None


class SympyCas:
    """The CAS a ``Judge`` calls for what exact arithmetic cannot decide."""

    def scalar_equal(self, gold: Node, answer: Node, gold_places: int, rel_tol: float | None) -> bool:
        g, a = to_sympy(gold), to_sympy(answer)
        if gold_places >= 1 and not a.free_symbols:
            if self._rounds_to(g, a, gold_places):
                return True
            return rel_tol is not None and bool(rel_tol) and _close(g, a, rel_tol) is True
        difference = sympy.expand(g - a) if _small(g - a) else g - a
        if difference == 0:
            return True
        if difference.has(sympy.zoo, sympy.nan) or g.has(sympy.zoo, sympy.nan) or a.has(sympy.zoo, sympy.nan):
            return False
        if not difference.free_symbols:
            if difference.is_Rational and not rel_tol:
                return False  # x against x + 10^{-30}: a nonzero constant apart
            digits = _digits(g, a)
            close = _close(g, a, rel_tol or 10.0 ** -(digits - 20), digits)
            if close is None:
                return bool(sympy.simplify(difference) == 0)
            if not close or rel_tol:
                return close  # a tolerance is for numeric golds only, and it was asked for
            return _constants_equal(g, a, difference, digits)
        return self._identity(g, a, difference, difference.free_symbols)

    def _rounds_to(self, gold: sympy.Expr, answer: sympy.Expr, places: int) -> bool:
        """An answer against a decimal gold: rounded to the gold's places (exact when it terminates)."""
        if not gold.is_Rational:
            return False
        shown = Fraction(int(gold.p), int(gold.q))
        if answer.is_Rational:
            value = Fraction(int(answer.p), int(answer.q))
            return value == shown if terminates(value) else round_half_up(value, places) == shown
        number = answer.evalf(PRECISION)
        if not number.is_real or not number.is_Float:
            return False
        exact_float = sympy.Rational(number)
        return round_half_up(Fraction(int(exact_float.p), int(exact_float.q)), places) == shown

    def _identity(self, g: sympy.Expr, a: sympy.Expr, difference: sympy.Expr, free: set) -> bool:
        """Equal at every test point (probabilistic identity testing), or simplified to 0.

        The points cover the whole real line (negatives, zero's neighbourhood, large magnitudes) and
        both sides of every point where the gold changes form (a root inside an absolute value or
        under a square root, a pole), so |x - 5| is told from 5 - x. Only points in the gold's
        domain count (a gold real only for x > 5 is compared there); a point where the gold is real
        and the answer is not (ln(x^2) against 2 ln x at x < 0) is skipped, as before."""
        symbols = sorted(free, key=lambda s: s.name)
        rational = _rational_verdict(difference, symbols)
        if rational is not None:
            return rational  # a rational function: decided exactly, no test point can be dodged
        digits = _digits(g, a)
        agreed: list[dict] = []
        roots = _roots(g)
        answer_roots = _roots(a)
        for point in _points(g, symbols, digits):
            gv = _number(g, point, digits)
            if gv is None or not _is_real(gv):
                continue  # outside the gold's (real) domain
            if not all(_real_at(root, point) for root in roots[:MAX_PARTS]):
                continue  # sqrt(x) sqrt(x + 1) is real at x = -5, but sqrt(-5) is not: outside the domain
            av = _number(a, point, digits)
            if av is None or not _is_real(av) or not all(_real_at(root, point) for root in answer_roots[:MAX_PARTS]):
                continue
            close = _close_values(gv, av, 10.0 ** -(digits - 25), digits)
            if close is False:
                close = _close_when_precise(g, a, point, digits, gv, av)
            if close is None:
                continue
            if not close:
                return False
            agreed.append(point)
        if len(agreed) >= POINTS:
            # equal at every point, but some answers hide a difference between any points: only a proof pays
            # for a floor or ceiling the gold has not (floor(1/(1 + x^2)) is 1 near 0 only), a function of
            # 10^6 (x - c) (1 - tanh^2 of it is a bump spread over a sum), or a part negligible at every point
            if _steps(a) - _steps(g) or _steep(g, a) or _vanishing_part(g, a, agreed, digits):
                return _simplifies_to_zero(difference)
            return True
        return _simplifies_to_zero(difference)

    def equation_equal(self, gold: Eq, answer: Eq) -> bool:
        """Two equations with the same solutions: (l1 - r1) is a nonzero constant times (l2 - r2)."""
        g = to_sympy(gold.sides[0]) - to_sympy(gold.sides[1])
        a = to_sympy(answer.sides[0]) - to_sympy(answer.sides[1])
        if a == 0 or g == 0:
            return bool(a == g)
        ratio = sympy.simplify(g / a)
        return bool(ratio.is_number and ratio != 0)

    def constant_apart(self, gold: Node, answer: Node) -> bool:
        """Antiderivatives: gold - answer takes one value at every random point (where both are
        real), measured against the size of gold and answer there (a zero difference has no scale)."""
        g, a = to_sympy(gold), to_sympy(answer)
        difference = sympy.expand(g - a) if _small(g - a) else g - a
        symbols = sorted(difference.free_symbols, key=lambda s: s.name)
        if not symbols:
            return True
        if _steps(a) - _steps(g):
            return _simplifies_to_zero(sympy.diff(difference, symbols[0]))  # a step is no constant
        rng = random.Random(1)
        digits = _digits(g, a)
        tolerance = 10.0 ** -(digits - 25)
        first: tuple | None = None
        agreed = 0
        drawn = [{s: sympy.Float(rng.choice((-1, 1)) * rng.randint(11, 290) / 97, digits) for s in symbols}
                 for _ in range(POINTS * 3)]
        for point in drawn + [{s: sympy.Rational(v) for s in symbols} for v in EXACT_POINTS]:
            gv, av = _number(g, point, digits), _number(a, point, digits)
            if gv is None or av is None or _is_real(gv) != _is_real(av):
                continue
            here = (gv - av, max(abs(gv), abs(av)))
            if first is None:
                first = here
                continue
            if abs(sympy.N(here[0] - first[0], digits)) > tolerance * max(here[1], first[1], 1e-300):
                return False
            agreed += 1
        if agreed >= POINTS:
            return True
        return bool(sympy.simplify(sympy.diff(difference, symbols[0])) == 0)

    def order_key(self, node: Node) -> float:
        value = _number(to_sympy(node))
        if value is None or not value.is_real:
            raise ParseError("endpoint is not a real number")
        return float(value)


# test points: both signs, zero's neighbourhood, magnitudes up to 10^4 (odd values: no accidental roots)
LINE_POINTS = (-7919.3, -41.3, -6.71, -1.13, -0.137, -0.0113, 0.0127, 0.587, 2.71, 9.13, 37.9, 6007.9)
MAX_BREAKS = 12
GAP_SHARES = (0.137, 0.371, 0.613, 0.859)


def _breakpoints(g: sympy.Expr, symbol: sympy.Symbol) -> list[float]:
    """Real points where ``g`` changes form in ``symbol``: roots of what sits inside an absolute
    value, under an even root or a logarithm, or in a denominator (polynomials of degree <= 6)."""
    inner: list[sympy.Expr] = [node.args[0] for node in g.atoms(sympy.Abs)]
    inner += [node.args[0] for node in g.atoms(sympy.log)]
    for power in g.atoms(sympy.Pow):
        if power.exp.is_Rational and (not power.exp.is_Integer or power.exp < 0):
            inner.append(power.base)
    found: list[float] = []
    for expression in inner:
        if symbol not in expression.free_symbols:
            continue
        try:  # exact real roots of a small rational polynomial (double roots included)
            poly = sympy.Poly(expression, symbol)
            if not 1 <= poly.degree() <= 6 or not (poly.domain.is_ZZ or poly.domain.is_QQ):
                continue
            found += [float(root) for root in poly.real_roots()]
        except Exception as error:  # noqa: BLE001  (no breakpoints is only fewer test points, never a verdict)
            logger.debug("no breakpoints of %s: %s", expression, error)
            continue
        if len(found) > MAX_BREAKS:
            break
    return found[:MAX_BREAKS]


# exact points too: a narrow bump (e^{-10^6 x^2}) is placed where a model's cheat would put it, at a simple number
EXACT_POINTS = (0, 1, -1, 2, sympy.Rational(1, 2))


def _points(g: sympy.Expr, symbols: list, digits: int) -> list[dict]:
    """Test points: the line's points for one variable, small integers and 1/2 exactly, and both
    sides (near and far) of every breakpoint of the gold; for several variables, seeded draws from
    the same values."""
    if len(symbols) == 1:
        values = list(LINE_POINTS)
        roots = _breakpoints(g, symbols[0])
        for root in roots:
            step = max(abs(root), 1.0)
            values += [root - 1e-3 * step, root + 1e-3 * step, root - 0.731 * step, root + 0.731 * step]
        ordered = sorted(set(roots))
        for low, high in zip(ordered, ordered[1:]):  # inside every gap: a domain [3, 5] gets points too
            values += [low + (high - low) * share for share in GAP_SHARES]
        exact = [{symbols[0]: sympy.Rational(v)} for v in EXACT_POINTS]
        return [{symbols[0]: sympy.Float(v, digits)} for v in values] + exact
    rng = random.Random(0)
    pool = LINE_POINTS + tuple(rng.choice((-1, 1)) * rng.randint(11, 290) / 97 for _ in range(8))
    exact_pool = tuple(sympy.Rational(v) for v in EXACT_POINTS)
    drawn = [{s: sympy.Float(rng.choice(pool), digits) for s in symbols} for _ in range(24)]
    corners = [{s: exact_pool[index] for s in symbols} for index in range(3)]  # all 0, all 1, all -1
    return drawn + corners + [{s: rng.choice(exact_pool) for s in symbols} for _ in range(8)]


MAX_RATIONAL_OPS = 400  # a rational difference this small is cancelled exactly


def _rational_verdict(difference: sympy.Expr, symbols: list) -> bool | None:
    """Whether a difference that is a rational function of ``symbols`` (rational coefficients) is
    zero, decided exactly by cancelling; None when it is not one, or too big to cancel cheaply."""
    try:
        if not difference.is_rational_function(*symbols) or sympy.count_ops(difference) > MAX_RATIONAL_OPS:
            return None
        if any(not c.is_Rational for c in difference.atoms(sympy.Number)):
            return None  # a Float or an irrational constant: not exact arithmetic
        if any(p.exp.is_Integer and abs(p.exp) > 64 for p in difference.atoms(sympy.Pow)):
            return None
        return bool(sympy.cancel(sympy.together(difference)) == 0)
    except (TypeError, ValueError, AttributeError, RecursionError, sympy.PolynomialError):
        return None


def _steps(expression: sympy.Expr) -> set:
    """The step functions in ``expression`` (floor, ceiling, sign, fractional part)."""
    kinds = (sympy.floor, sympy.ceiling, sympy.sign, sympy.frac)
    return {type(node) for node in expression.atoms(sympy.Function) if isinstance(node, kinds)}


STEEP = 1000  # a constant this large inside a function's argument makes it steep enough to hide a bump


def _steep(g: sympy.Expr, a: sympy.Expr) -> bool:
    """Whether the answer has a function of the variables (or a power with them in the exponent)
    whose argument holds a constant of magnitude >= 1000, when the gold has none:
    1 - \\tanh^2(10^6 (x - 1.23)) is a bump no test point is sure to hit, and it hides in a sum."""
    return bool(_steep_constants(a)) and not _steep_constants(g)


def _steep_constants(expression: sympy.Expr) -> set:
    """The constants of magnitude >= 1000 inside the arguments of functions of the variables."""
    found: set = set()
    for node in sympy.preorder_traversal(expression):
        if isinstance(node, sympy.Function) or isinstance(node, sympy.Pow) and node.exp.free_symbols:
            if not node.free_symbols:
                continue
            for argument in node.args:
                for part in sympy.preorder_traversal(argument):
                    if part.free_symbols or not part.is_number:
                        continue
                    size = abs(part) if part.is_Number else _number(part, None, 15)
                    if size is not None and size.is_real and size >= STEEP:
                        found.add(abs(part))
    return found


def _lost_digits(expression: sympy.Expr, point: dict, value: sympy.Expr) -> int:
    """Digits a sum loses to cancellation at ``point``: its largest term against the value it should
    come to (cosh^2 x - sinh^2 x at x = -7919 adds terms of 10^6878 to get 1)."""
    if not isinstance(expression, sympy.Add):
        return 0
    sizes = [abs(term) for term in (_number(t, point, 15) for t in expression.args) if term is not None]
    if not sizes or max(sizes) == 0:
        return 0
    return max(0, int(sympy.log(max(sizes) / max(abs(value), sympy.Float(10, 15) ** -MAX_PRECISION), 10)) + 1)


def _close_when_precise(g: sympy.Expr, a: sympy.Expr, point: dict, digits: int, gv: sympy.Expr,
                        av: sympy.Expr) -> bool | None:
    """A disagreement looked at again at the precision cancellation needs; False when it needs none,
    None when it needs more than MAX_PRECISION digits."""
    nonzero = [abs(v) for v in (gv, av) if v != 0]
    reference = min(nonzero) if nonzero else sympy.Float(1)  # the side cancellation did not blow up
    extra = max(_lost_digits(g, point, reference), _lost_digits(a, point, reference))
    if extra <= digits - 30:
        return False
    if digits + extra > MAX_PRECISION:
        return None  # beyond the precision worth paying: this point decides nothing (the others still must agree)
    precise = digits + extra
    exact_point = {s: (v if v.is_Rational else sympy.Float(v, precise)) for s, v in point.items()}
    gv, av = _number(g, exact_point, precise), _number(a, exact_point, precise)
    if gv is None or av is None:
        return None
    return _close_values(gv, av, 10.0 ** -(digits - 25), precise)


def _roots(expression: sympy.Expr) -> list[sympy.Expr]:
    """The even (or fractional) roots and logarithms in ``expression``: where one is not real, the
    expression is outside its real domain even when the whole is real (sqrt(x) sqrt(x + 1) at -5)."""
    powers = [node for node in expression.atoms(sympy.Pow) if node.exp.is_Rational and not node.exp.is_Integer]
    return powers + list(expression.atoms(sympy.log))


def _real_at(expression: sympy.Expr, point: dict) -> bool:
    value = _number(expression, point, 15)
    return value is not None and _is_real(value)


def _simplifies_to_zero(difference: sympy.Expr) -> bool:
    try:
        return bool(sympy.simplify(difference) == 0)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return False


MAX_PARTS = 40
VANISHING = sympy.Float(10, 30) ** -300
PART_POINTS = 6
NEGLIGIBLE = 1e-20  # a part this small against the answer at every point is no honest term


def _vanishing_part(g: sympy.Expr, a: sympy.Expr, points: list[dict], digits: int) -> bool:
    """Whether the answer holds a part (a power, product or function), not in the gold, that is
    negligible at every test point: below 10^-20 of the answer's size at each point (a bump
    e^{-10^6 x^2}, e^{-10^8 (x - 1.23)^2}: zero but near one place no finite set of points can be
    trusted to hit), or a constant below 10^-20 (e^x(1 + e^{-2000})). A part that is larger at
    some point shows there, where the comparison is to 10^-25. An honest term is not negligible
    everywhere (e^{-x^2} is not, near 0)."""
    known = set(sympy.preorder_traversal(g))
    parts = [node for node in sympy.preorder_traversal(a)
             if isinstance(node, (sympy.Pow, sympy.Mul, sympy.Function)) and node not in known]
    sizes: list[tuple[dict, sympy.Expr]] = []
    for point in points[:: max(1, len(points) // PART_POINTS)][:PART_POINTS]:  # spread over the line
        size = _number(a, point, digits)
        if size is not None:
            sizes.append((point, abs(size)))
    for part in parts[:MAX_PARTS]:
        if not part.free_symbols:
            value = _number(part, None, digits)
            if value is not None and value != 0 and abs(value) < NEGLIGIBLE:
                return True
            continue
        negligible = 0
        for point, size in sizes:
            value = _number(part, point, digits)
            if value is None or abs(value) >= NEGLIGIBLE * max(size, VANISHING):
                break
            negligible += 1
        else:
            if negligible >= 3:
                return True
    return False


EXACT_PRECISIONS = (200, 1000, MAX_PRECISION)  # digits tried in turn once 50 digits agree


def _constants_equal(g: sympy.Expr, a: sympy.Expr, difference: sympy.Expr, digits: int) -> bool:
    """Two closed-form constants that agree to ``digits`` digits: equal only when the difference
    simplifies to 0, or stays below the working precision as it grows to MAX_PRECISION digits
    (``\\pi + e^{-100}`` is told from ``\\pi`` at 200 digits: a nonzero value that evalf computes to
    its full precision is provably nonzero)."""
    scale = max(abs(_number(g, None, 30) or 0), abs(_number(a, None, 30) or 0), 1)
    for index, precision in enumerate(EXACT_PRECISIONS):
        if precision <= digits:
            continue
        value = _number(difference, None, precision)
        if value is None:
            return False
        if abs(value) > sympy.Float(10, 30) ** (-(precision - 20)) * scale:
            return False
        if index == 0:  # zero to 200 digits: a proof by simplification saves the costlier precisions
            try:
                if sympy.simplify(difference) == 0:
                    return True
            except (TypeError, ValueError, AttributeError, RecursionError):
                pass
    return True  # equal to MAX_PRECISION digits: an identity sympy cannot prove


def _small(expression: sympy.Expr) -> bool:
    """Cheap to expand: few operations and no large integer powers."""
    if any(p.exp.is_Integer and abs(p.exp) > 12 for p in expression.atoms(sympy.Pow)):
        return False
    return sympy.count_ops(expression) < 40


def judge_with_cas(gold: Node, answer: Node, options: Options) -> bool:
    """The full comparison, sympy included: what the worker process runs for one item."""
    verdict = Judge(options, SympyCas()).equal(gold, answer)
    return bool(verdict)
