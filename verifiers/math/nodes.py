"""The answer AST: small immutable nodes built by ``parse`` and matched with ``match`` everywhere else.

Every node is a frozen, slotted dataclass: equal and hashed by its class and fields (``Neg(x)`` is
never ``Abs(x)``), picklable (the CAS worker receives trees over a pipe), and matched by position
(``case Div(Num(), Num()):``) or by field name. ``Num.places`` is the number of decimal places
written (-1 when the number is exact: ``3``, ``\\frac{1}{2}``).

>>> from fractions import Fraction
>>> Div(Num(Fraction(1), -1), Var("x")) == Div(Num(Fraction(1), -1), Var("x"))
True
>>> [type(n).__name__ for n in walk(Add((Var("x"), Neg(Var("y")))))]
['Add', 'Var', 'Neg', 'Var']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias, TypeGuard


@dataclass(frozen=True, slots=True)
class Num:
    """A number as written: ``value`` exactly, ``places`` the decimal places written (-1: exact)."""

    value: Fraction
    places: int


@dataclass(frozen=True, slots=True)
class Var:
    """A name: ``x``, ``AB``, ``f'``, ``x_1``, a Greek letter (``e`` and ``i`` may be read as constants)."""

    name: str


@dataclass(frozen=True, slots=True)
class Const:
    """``pi``, ``e``, ``i`` or ``inf``."""

    name: str


@dataclass(frozen=True, slots=True)
class Add:
    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Mul:
    factors: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Neg:
    arg: Node


@dataclass(frozen=True, slots=True)
class Div:
    num: Node
    den: Node


@dataclass(frozen=True, slots=True)
class Pow:
    base: Node
    exp: Node


@dataclass(frozen=True, slots=True)
class Fact:
    arg: Node


@dataclass(frozen=True, slots=True)
class Func:
    """``name(args...)``: ``sin``, ``ln``, ``log`` (args: value, base), ``floor``, ``conj``, ``det``..."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Root:
    radicand: Node
    index: Node


@dataclass(frozen=True, slots=True)
class Abs:
    arg: Node


@dataclass(frozen=True, slots=True)
class Binom:
    n: Node
    k: Node


@dataclass(frozen=True, slots=True)
class Pct:
    arg: Node


@dataclass(frozen=True, slots=True)
class Deg:
    arg: Node


@dataclass(frozen=True, slots=True)
class Unit:
    """A value with a unit name (``cm``, ``cm ^2``, ``mod 7``)."""

    value: Node
    unit: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Pm:
    """``left \\pm right``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Tuple:
    """An ordered tuple; ``delims`` the brackets written: ``"()"``, ``"[]"``, ``"<>"``."""

    items: tuple[Node, ...]
    delims: str


@dataclass(frozen=True, slots=True)
class Set:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class List:
    """Several items; ``joins`` the separators used, sorted: ``","``, ``"or"``, ``"and"``."""

    items: tuple[Node, ...]
    joins: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Node
    hi: Node
    lo_closed: bool
    hi_closed: bool


@dataclass(frozen=True, slots=True)
class Union:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class SetMinus:
    whole: Node
    removed: Node


@dataclass(frozen=True, slots=True)
class Matrix:
    rows: tuple[tuple[Node, ...], ...]


@dataclass(frozen=True, slots=True)
class Eq:
    """A chain of equal sides: ``x = 2``, ``a = b = 3``."""

    sides: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Rel:
    """A chain of relations: ``operands[0] ops[0] operands[1] ...`` (ops: ``<``, ``<=``, ``!=``, ...)."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


Node: TypeAlias = (
    Num | Var | Const | Add | Mul | Neg | Div | Pow | Fact | Func | Root | Abs | Binom | Pct | Deg | Unit | Text | Pm
    | Tuple | Set | List | Interval | Union | SetMinus | Matrix | Eq | Rel
)
NODE_TYPES: tuple[type, ...] = (
    Num, Var, Const, Add, Mul, Neg, Div, Pow, Fact, Func, Root, Abs, Binom, Pct, Deg, Unit, Text, Pm,
    Tuple, Set, List, Interval, Union, SetMinus, Matrix, Eq, Rel,
)

INF = Const("inf")
NEG_INF = Neg(INF)
PI = Const("pi")
MINUS_ONE = Neg(Num(Fraction(1), -1))


def integer(value: int | Fraction) -> Num:
    """An exact number node.

    >>> integer(3)
    Num(value=Fraction(3, 1), places=-1)
    """
    return Num(Fraction(value), -1)


def is_node(value: object) -> TypeGuard[Node]:
    return isinstance(value, NODE_TYPES)


def field_values(node: Node) -> tuple:
    """The node's fields in order (what ``type(node)(*values)`` rebuilds it from)."""
    return tuple(getattr(node, name) for name in node.__match_args__)


def children(node: Node, matrices: bool = True) -> Iterator[Node]:
    """The nodes directly under ``node`` (the cells of a matrix too, unless ``matrices`` is False)."""
    for value in field_values(node):
        if is_node(value):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if is_node(item):
                    yield item
                elif matrices and isinstance(item, tuple):  # a matrix row
                    yield from (cell for cell in item if is_node(cell))


def walk(node: Node, matrices: bool = True) -> Iterator[Node]:
    """Every node under ``node``, itself first, without recursion (an AST is at most MAX_DEPTH deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current, matrices))))


def kind_of(node: Node) -> str:
    """The node's kind in words, for messages: ``"div"``, ``"setminus"``."""
    return type(node).__name__.lower()
