"""Mutant schemata: every seeded mutant of a reference in one compiled program, the active one chosen
at run time by the global ``_assay_m`` (a mutation site's index; -1 runs the reference itself). One
compile per reference replaces one per mutant tried (most of a draw's cost once the reference's
analysis is made).

Each site becomes ``(MUTATED if _assay_m == i else ORIGINAL)``: only one branch runs, and the
mutated branch shares the original's operands (the same AST nodes, compiled twice), so a run with
``_assay_m == i`` computes what the single mutant i computes, with the same ticks (a site's test
is a name lookup and a comparison: no call, no tick). The edge-case mutant is the guard
``if _assay_m == i and not first: return first`` at the top of the entry function. Sites nested
inside more than MAX_NESTING duplicated operands are not rewritten (the code would double at each
level): such a reference keeps one compile per mutant.
"""

from __future__ import annotations

import ast
from typing import Any

COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Add, ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv}
SELECTOR = "_assay_m"
MAX_NESTING = 3  # duplicated operands around a site: its code appears up to 2**MAX_NESTING times
_DUPLICATING = ("compare", "binop", "boolop", "return_type")
_KINDS = (*_DUPLICATING, "constant", "edge_case")


def walk(tree: ast.AST) -> list[ast.AST]:
    """The nodes ``ast.walk`` yields, in its order (breadth first), as a list: about twice as fast.

    >>> [type(n).__name__ for n in walk(ast.parse("x = 1"))] == [type(n).__name__ for n in ast.walk(ast.parse("x = 1"))]
    True
    """
    out = [tree]
    at = 0
    AST = ast.AST
    while at < len(out):
        node = out[at]
        at += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                out.append(value)
            elif isinstance(value, list):
                out.extend(item for item in value if isinstance(item, AST))
    return out


def _at(node: ast.AST, at: Any) -> Any:
    node.lineno, node.col_offset = at.lineno, at.col_offset  # type: ignore[attr-defined]
    node.end_lineno, node.end_col_offset = at.end_lineno, at.end_col_offset  # type: ignore[attr-defined]
    return node


def _selected(index: int, at: Any) -> ast.expr:
    """``_assay_m == index``"""
    return _at(ast.Compare(_at(ast.Name(SELECTOR, ast.Load()), at), [ast.Eq()], [_at(ast.Constant(index), at)]), at)


def _parents(nodes: list[ast.AST]) -> dict[int, tuple[ast.AST, str, int | None]]:
    """Where each node is held: (parent, field, index in the field's list or None)."""
    held: dict[int, tuple[ast.AST, str, int | None]] = {}
    for node in nodes:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                held[id(value)] = (node, name, None)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        held[id(item)] = (node, name, index)
    return held


def rewrite(tree: ast.Module, nodes: list[ast.AST], found: list[tuple[str, Any]], entry: ast.FunctionDef | None) -> bool:
    """Rewrites ``tree`` (instrumented; ``nodes`` its walk) in place into the schema of the mutation
    sites ``found`` ((kind, node) in ast.walk order, as _mutate finds them; node None for the edge
    case on ``entry``). False, the tree untouched, where a site is nested too deep."""
    if any(kind not in _KINDS for kind, _ in found):
        return False  # a kind of mutation this module does not know: one compile per mutant
    parents = _parents(nodes)
    duplicating = {id(node) for kind, node in found if kind in _DUPLICATING}
    for kind, node in found:
        depth, at = 0, node
        while at is not None and id(at) in parents:
            at = parents[id(at)][0]
            depth += id(at) in duplicating
        if depth > MAX_NESTING:
            return False
    for index in reversed(range(len(found))):  # inner sites first: an outer one shares their rewritten forms
        kind, node = found[index]
        if kind == "edge_case":
            assert entry is not None
            first = entry.args.args[0].arg
            at = entry.body[0]
            name = _at(ast.Name(first, ast.Load()), at)
            guard = ast.If(_at(ast.BoolOp(ast.And(), [_selected(index, at), _at(ast.UnaryOp(ast.Not(), name), at)]), at),
                           [_at(ast.Return(_at(ast.Name(first, ast.Load()), at)), at)], [])
            entry.body.insert(0, _at(guard, at))
            continue
        test = _selected(index, node)
        if kind == "return_type":
            value = node.value
            node.value = _at(ast.IfExp(test, _at(ast.Call(_at(ast.Name("str", ast.Load()), value), [value], []), value), value), value)
            continue
        if kind == "constant":
            old = node.value
            mutated: ast.expr = ast.Constant(old + 1 if old <= 1 else old - 1)
        elif kind == "compare":
            mutated = ast.Compare(node.left, [COMPARE_SWAPS[type(node.ops[0])](), *node.ops[1:]], node.comparators)
        elif kind == "binop":
            mutated = ast.BinOp(node.left, BINOP_SWAPS[type(node.op)](), node.right)
        else:
            assert kind == "boolop"
            mutated = ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
        parent, field, position = parents[id(node)]
        choice = _at(ast.IfExp(test, _at(mutated, node), node), node)
        if position is None:
            setattr(parent, field, choice)
        else:
            getattr(parent, field)[position] = choice
    return True
