"""The typed answer AST: nodes compare by kind and fields, survive pickling (the CAS worker gets
them over a pipe), and the generic walks reach every node (matrix cells too)."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest

from assay.verifiers.math.nodes import (
    Abs,
    Fact,
    List,
    Matrix,
    Neg,
    Num,
    Var,
    children,
    field_values,
    integer,
    kind_of,
    walk,
)
from assay.verifiers.math.parse import parse

X = Var("x")

ANSWERS = [
    r"\frac{1}{2}", "x^2 + 2x + 1", r"\begin{pmatrix} 1 & x \\ 3 & 4 \end{pmatrix}", r"[1, \infty) \cup \{5\}",
    r"x = \frac{1 \pm \sqrt{5}}{2}", r"5\text{ cm}", r"\binom{5}{2} + 3! - |{-2}|", r"0 < x \le 2", "1, 2 or 3",
    r"\sin^{-1} x + \log_2 8", r"30^\circ", r"25\%", r"\mathbb{R} \setminus \{0\}",
]


@pytest.mark.parametrize("text", ANSWERS)
def test_parsed_answers_survive_pickling_equal_and_with_one_hash(text: str) -> None:
    node = parse(text)
    copy = pickle.loads(pickle.dumps(node))
    assert copy == node and hash(copy) == hash(node) and copy is not node


def test_nodes_of_different_kinds_with_the_same_fields_differ() -> None:
    assert Neg(X) != Abs(X) and Abs(X) != Fact(X)
    assert len({Neg(X), Abs(X), Fact(X), Neg(Var("x"))}) == 3
    assert Num(Fraction(1, 2), 1) != Num(Fraction(1, 2), -1)  # places written are part of the number
    assert integer(3) == Num(Fraction(3), -1)


def test_walks_reach_matrix_cells_unless_told_not_to() -> None:
    matrix = parse(r"\begin{pmatrix} 1 & x \\ 3 & 4 \end{pmatrix}")
    assert isinstance(matrix, Matrix)
    assert X in list(walk(matrix)) and X not in list(walk(matrix, matrices=False))
    assert list(children(matrix)) == [cell for row in matrix.rows for cell in row]


def test_walk_visits_every_node_once_in_order() -> None:
    tree = parse("2x + 1")
    kinds = [kind_of(n) for n in walk(tree)]
    assert kinds == ["add", "mul", "num", "var", "num"]


def test_field_values_rebuild_the_node() -> None:
    for text in ANSWERS:
        for node in walk(parse(text)):
            assert type(node)(*field_values(node)) == node


def test_a_list_keeps_its_separators() -> None:
    node = parse("1, 2 or 3")
    assert isinstance(node, List) and node.joins == (",", "or")
