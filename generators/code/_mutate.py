"""Seeded single-point mutations of a trusted reference (off by one, a flipped comparison, a swapped
operator, a wrong type, a wrong edge case), kept only when the hidden tests tell them apart.
"""

from __future__ import annotations

import ast
import copy
import random
import sys
from typing import Any

from assay.verifiers.code.values import equal, from_python

STEP_BUDGET = 50_000  # traced lines per mutant run: a mutant that loops is dropped, never waited on
MAX_TRIES = 24  # mutants run per reference (each under a tracer: the cost of generation)

_COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
_BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Add, ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv}


class _Budget(Exception):
    pass


def _sites(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for number, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.Constant) and type(node.value) is int and not isinstance(node.value, bool):
            found.append(("constant", number))
        elif isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_SWAPS:
            found.append(("compare", number))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            found.append(("binop", number))
        elif isinstance(node, ast.Return) and node.value is not None:
            found.append(("return_type", number))
        elif isinstance(node, ast.BoolOp):
            found.append(("boolop", number))
    return found


def _apply(source: str, kind: str, target: int, entry: str) -> tuple[str, str] | None:
    tree = ast.parse(source)
    for number, node in enumerate(ast.walk(tree)):
        if number != target:
            continue
        if kind == "constant" and isinstance(node, ast.Constant):
            old: Any = node.value  # the sampled targets are numeric constants
            new = old + 1 if old <= 1 else old - 1
            node.value = new
            why = f"off by one: the constant {old} became {new}"
        elif kind == "compare" and isinstance(node, ast.Compare):
            node.ops[0] = _COMPARE_SWAPS[type(node.ops[0])]()
            why = "a comparison flipped at its boundary"
        elif kind == "binop" and isinstance(node, ast.BinOp):
            node.op = _BINOP_SWAPS[type(node.op)]()
            why = "an arithmetic operator swapped"
        elif kind == "return_type" and isinstance(node, ast.Return) and node.value is not None:
            node.value = ast.Call(ast.Name("str", ast.Load()), [node.value], [])
            why = "the wrong type: the value returned as a str"
        elif kind == "boolop" and isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            why = "'and' and 'or' swapped"
        else:
            return None
        return ast.unparse(ast.fix_missing_locations(tree)), why
    return None


def _edge_case(source: str, entry: str) -> tuple[str, str] | None:
    """Returns the first argument unchanged when it is empty or zero: a wrong edge case."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == entry and node.args.args:
            first = node.args.args[0].arg
            guard = ast.parse(f"if not {first}:\n    return {first}").body[0]
            node.body.insert(0, guard)
            return ast.unparse(ast.fix_missing_locations(tree)), "the wrong edge case: an empty or zero input is returned as is"
    return None


def run_bounded(source: str, entry: str, inputs: list[tuple]) -> list[Any] | None:
    """Outputs (or the exception type) of a mutant of trusted code on each input; None when it
    runs past the step budget."""
    namespace: dict[str, Any] = {"__name__": "mutant"}
    exec(compile(source, "<mutant>", "exec"), namespace)  # noqa: S102 - a mutant of Assay's own reference
    function = namespace[entry]
    steps = [0]

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        steps[0] += 1
        if steps[0] > STEP_BUDGET:
            raise _Budget
        return tracer

    results: list[Any] = []
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        for args in inputs:
            try:
                results.append(from_python(function(*copy.deepcopy(args))))
            except _Budget:
                return None
            except Exception as error:  # noqa: BLE001 - a mutant may raise anything: that is an output too
                results.append(["opaque", type(error).__name__])
    finally:
        sys.settrace(previous)
    return results


def wrong_versions(source: str, entry: str, inputs: list[tuple], rng: random.Random, limit: int = 3,
                   visible: int = 0) -> list[dict[str, str]]:
    """Up to ``limit`` mutants that fail at least one test but pass at least one (and,
    with ``visible``, pass the last ``visible`` tests: the examples a prompt shows)."""
    reference = run_bounded(source, entry, inputs)
    assert reference is not None  # the reference itself never exhausts the budget
    candidates = [_apply(source, kind, target, entry) for kind, target in _sites(ast.parse(source))]
    candidates.append(_edge_case(source, entry))
    found = [c for c in candidates if c is not None]
    rng.shuffle(found)
    found = found[:MAX_TRIES]
    chosen: list[dict[str, str]] = []
    seen = {source}
    for mutant, why in found:
        if mutant in seen:
            continue
        seen.add(mutant)
        try:
            outputs = run_bounded(mutant, entry, inputs)
        except (SyntaxError, KeyError, TypeError):
            continue
        if outputs is None:
            continue
        same = [equal(r, o) if o[0] != "opaque" else False for r, o in zip(reference, outputs, strict=True)]
        if all(same) or not any(same):
            continue
        if visible and not all(same[-visible:]):
            continue
        chosen.append({"source": mutant, "why": why})
        if len(chosen) >= limit:
            break
    return chosen
