"""Execution-reasoning answers: a predicted value (a Python literal) or a predicted input (an
argument list), parsed by an AST check and ``ast.literal_eval``, never ``eval``.
"""

from __future__ import annotations

import ast
from typing import Any

from assay.extract import extract_answer
from assay.types import Verdict
from assay.verifiers.code import values

MAX_LITERAL_CHARS = 20_000
_LITERAL_NODES = (ast.Expression, ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.UnaryOp, ast.USub, ast.UAdd,
                  ast.Load, ast.BinOp, ast.Add, ast.Sub)


def _checked_literal(node: ast.AST) -> Any:
    for child in ast.walk(node):
        if not isinstance(child, _LITERAL_NODES):
            raise ValueError(f"not a literal: {type(child).__name__}")  # noqa: TRY004 - callers catch ValueError
        if isinstance(child, ast.Constant) and child.value is Ellipsis:
            raise ValueError("not a literal: ...")
    return ast.literal_eval(node)


def parse_literal(text: str) -> list | None:
    """The tagged value of a Python literal (numbers, strings, bytes, None, True/False, lists,
    tuples, sets, dicts), or None when ``text`` is anything else.

    >>> parse_literal("[1, (2, 'a')]")
    ['list', [['int', '1'], ['tuple', [['int', '2'], ['str', 'a']]]]]
    >>> parse_literal("__import__('os')") is None
    True
    """
    if not isinstance(text, str) or len(text) > MAX_LITERAL_CHARS:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval")
        return values.from_python(_checked_literal(tree.body))
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError, values.ValueFormatError):
        return None


def parse_arguments(text: str, entry: str) -> list[list] | None:
    """Predicted arguments: ``f(1, [2])`` or a bare ``1, [2]``; any other single literal (a
    parenthesised tuple too) is one argument. Each must be a literal; None when anything else.

    >>> parse_arguments("f(3, 'x')", "f")
    [['int', '3'], ['str', 'x']]
    >>> parse_arguments("5", "f")
    [['int', '5']]
    >>> parse_arguments("g(5)", "f") is None
    True
    """
    if not isinstance(text, str) or len(text) > MAX_LITERAL_CHARS:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    node = tree.body
    if isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id == entry) or node.keywords:
            return None
        items = node.args
    elif isinstance(node, ast.Tuple) and not text.strip().startswith("("):
        items = node.elts  # 1, [2]: a bare argument list
    else:
        items = [node]
    try:
        return [values.from_python(_checked_literal(item)) for item in items]
    except (ValueError, TypeError, MemoryError, RecursionError, values.ValueFormatError, SyntaxError):
        return None


def predicted_text(completion: str) -> str | None:
    """The answer text: the last <answer> block, else the last fenced python block."""
    if not isinstance(completion, str):
        return None
    return extract_answer(completion, fence="python")


def verify_value(completion: str, expected: list, *, approx: bool = False) -> Verdict:
    """A predicted value against the expected one (tagged), type-strictly: 3 is not 3.0 nor '3'.

    >>> verify_value("<answer>(1, 2)</answer>", ["tuple", [["int", "1"], ["int", "2"]]]).passed
    True
    >>> verify_value("<answer>[1, 2]</answer>", ["tuple", [["int", "1"], ["int", "2"]]]).reason
    'wrong_answer'
    """
    text = predicted_text(completion)
    if text is None or not text.strip():
        return Verdict.fail("no_answer", message="no <answer> block found")
    value = parse_literal(text)
    if value is None:
        return Verdict.fail("unparseable", message=f"not a Python literal: {text[:100]!r}")
    if values.equal(expected, value, approx=approx):
        return Verdict.correct()
    return Verdict.fail("wrong_answer", message=f"expected {values.render(expected)}, got {values.render(value)}")
