"""MBPP-style assert strings (``assert f(3) == 9``) turned into call tests by an AST walk.

Only literal arguments and expected values are accepted; anything else is a DatasetError, so a
dataset's test text is never run in the trusted process.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from assay.errors import DatasetError
from assay.verifiers.code.values import ValueFormatError, from_python

MAX_ASSERT_CHARS = 100_000


def _literal(node: ast.expr, text: str) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise DatasetError(f"not a literal in assert: {ast.unparse(node)[:120]!r} (in {text[:120]!r})") from None


def _tagged(value: Any, text: str) -> list:
    try:
        return from_python(value)
    except ValueFormatError as error:
        raise DatasetError(f"unsupported value in assert {text[:120]!r}: {error}") from None


def _call(node: ast.expr, entry_point: str | None, text: str) -> tuple[str, dict[str, Any]]:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        raise DatasetError(f"the assert does not call a function by name: {text[:120]!r}")
    name = node.func.id
    if entry_point is not None and name != entry_point:
        raise DatasetError(f"the assert calls {name!r}, not the entry point {entry_point!r}: {text[:120]!r}")
    if any(isinstance(arg, ast.Starred) for arg in node.args) or any(k.arg is None for k in node.keywords):
        raise DatasetError(f"starred arguments are not supported: {text[:120]!r}")
    call = {
        "args": [_tagged(_literal(arg, text), text) for arg in node.args],
        "kwargs": [[k.arg, _tagged(_literal(k.value, text), text)] for k in node.keywords],
    }
    return name, call


def _wrapped_call(node: ast.expr) -> tuple[str, ast.expr] | None:
    """``set(f(x))`` or ``sorted(f(x))``: the wrapper's name and the inner call."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("set", "sorted")
            and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Call)):
        return node.func.id, node.args[0]
    return None


def parse_assert(text: str, entry_point: str | None = None) -> tuple[str, dict[str, Any]]:
    """One assert statement as (function name, call test).

    Forms: ``f(...) == lit`` (either side), ``f(...) is True/False/None``, ``f(...)`` (truthy),
    ``not f(...)`` (falsy), ``math.isclose(f(...), lit[, rel_tol=, abs_tol=])``,
    ``abs(f(...) - lit) < tol`` (approx), ``set(f(...)) == set(lit)`` and
    ``sorted(f(...)) == sorted(lit)`` (unordered).

    >>> parse_assert("assert add(2, 3) == 5")
    ('add', {'args': [['int', '2'], ['int', '3']], 'kwargs': [], 'expected': ['int', '5']})
    >>> parse_assert("assert f(x) == 1")
    Traceback (most recent call last):
    ...
    assay.errors.DatasetError: not a literal in assert: 'x' (in 'assert f(x) == 1')
    """
    if not isinstance(text, str) or len(text) > MAX_ASSERT_CHARS:
        raise DatasetError("an assert must be a string of at most 100000 characters")
    try:
        tree = ast.parse(text.strip())
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise DatasetError(f"assert is not valid Python: {text[:120]!r}") from None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assert):
        raise DatasetError(f"not a single assert statement: {text[:120]!r}")
    test = tree.body[0].test
    # math.isclose(f(...), lit, rel_tol=..., abs_tol=...)
    if (isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "isclose"
            and isinstance(test.func.value, ast.Name) and test.func.value.id == "math" and len(test.args) == 2):
        name, call = _call(test.args[0], entry_point, text)
        call["expected"] = _tagged(_literal(test.args[1], text), text)
        call["compare"] = "approx"
        tolerances = {k.arg: _literal(k.value, text) for k in test.keywords}
        if set(tolerances) - {"rel_tol", "abs_tol"}:
            raise DatasetError(f"unsupported isclose option in {text[:120]!r}")
        call["rel_tol"] = float(tolerances.get("rel_tol", 1e-9))
        call["abs_tol"] = float(tolerances.get("abs_tol", 0.0))
        return name, call
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        name, call = _call(test.operand, entry_point, text)
        return name, {**call, "compare": "falsy"}
    if isinstance(test, ast.Call):
        name, call = _call(test, entry_point, text)
        return name, {**call, "compare": "truthy"}
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        # abs(f(...) - lit) < tol  /  <= tol
        if (isinstance(op, (ast.Lt, ast.LtE)) and isinstance(left, ast.Call) and isinstance(left.func, ast.Name)
                and left.func.id == "abs" and len(left.args) == 1 and isinstance(left.args[0], ast.BinOp)
                and isinstance(left.args[0].op, ast.Sub)):
            name, call = _call(left.args[0].left, entry_point, text)
            call["expected"] = _tagged(_literal(left.args[0].right, text), text)
            return name, {**call, "compare": "approx", "rel_tol": 0.0, "abs_tol": float(_literal(right, text))}
        if isinstance(op, ast.Is) and isinstance(right, ast.Constant) and right.value in (True, False, None):
            name, call = _call(left, entry_point, text)
            return name, {**call, "expected": _tagged(right.value, text)}
        if isinstance(op, ast.Eq):
            if isinstance(right, ast.Call) and isinstance(right.func, ast.Name) and not isinstance(left, ast.Call):
                left, right = right, left
            wrapped = _wrapped_call(left)
            if wrapped is not None:
                wrapper, inner = wrapped
                name, call = _call(inner, entry_point, text)
                target = right
                if isinstance(right, ast.Call) and isinstance(right.func, ast.Name) and right.func.id == wrapper and len(right.args) == 1:
                    target = right.args[0]
                value = _literal(target, text)
                if not isinstance(value, (list, tuple, set, frozenset)):
                    raise DatasetError(f"{wrapper}(...) compared with a non-collection in {text[:120]!r}")
                items = list(value)
                if wrapper == "set":
                    return name, {**call, "expected": ["seq", [_tagged(v, text) for v in items]], "compare": "set"}
                return name, {**call, "expected": ["seq", [_tagged(v, text) for v in items]], "compare": "unordered"}
            name, call = _call(left, entry_point, text)
            return name, {**call, "expected": _tagged(_literal(right, text), text)}
    raise DatasetError(f"unsupported assert form (only literal calls compared with literals): {text[:120]!r}")


def asserts_to_tests(asserts: Sequence[str], entry_point: str | None = None) -> dict[str, Any]:
    """A tests mapping (encoding "tagged") from MBPP-style assert strings.

    >>> tests = asserts_to_tests(["assert sq(3) == 9", "assert sq(-2) == 4"])
    >>> tests["entry_point"], len(tests["calls"])
    ('sq', 2)
    """
    if isinstance(asserts, str) or not asserts:
        raise DatasetError("asserts must be a non-empty list of assert strings")
    calls = []
    names = set()
    for text in asserts:
        name, call = parse_assert(text, entry_point)
        names.add(name)
        calls.append(call)
    if len(names) != 1:
        raise DatasetError(f"the asserts call several functions: {sorted(names)}; name the entry point")
    return {"entry_point": names.pop(), "calls": calls, "encoding": "tagged"}
