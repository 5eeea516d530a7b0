"""Seeded single-point mutations of a trusted reference (off by one, a flipped comparison, a swapped
operator, a wrong type, a wrong edge case), kept only when the hidden tests tell them apart.

A mutant may loop forever, so it runs under a step budget: STEP_BUDGET trace events (calls, lines,
returns) over all its tests. Counting them with ``sys.settrace`` costs about a microsecond an event,
so a mutant first runs compiled with cheap counters (``_instrument``): one tick for each statement,
loop iteration, comprehension element and call, each of which CPython reports as at least one
event. More ticks than the budget therefore means more events than the budget (the mutant is
dropped, as the tracer would drop it); a run well under the budget is kept as it is; only a run
near the budget is repeated under the tracer, so the outcome is the tracer's.

What depends on the reference's text alone (its parse, sites, instrumented and compiled forms,
each mutant's text) is cached per text (``_analysis``); where the sites allow, all mutants share
one compiled program and a selector picks the one that runs (``_schema``).
"""

from __future__ import annotations

import ast
import bisect
import copy
import pickle
import random
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from assay.generators.code._schema import BINOP_SWAPS, COMPARE_SWAPS, SELECTOR, rewrite
from assay.generators.code._schema import walk as _walk
from assay.verifiers.code.values import equal, from_python

STEP_BUDGET = 50_000  # trace events per mutant run: a mutant that loops is dropped, never waited on
MAX_TRIES = 24  # mutants run per reference
# A counted run with ticks * TICK_EVENTS_BOUND <= STEP_BUDGET is taken as within the budget without the
# tracer; measured on every code task, events per tick stay under 3 (a genexp element or lambda call is
# 3 events, a stdlib helper more), so this leaves a wide margin.
TICK_EVENTS_BOUND = 8
ANALYSES_CACHED = 128  # reference texts whose parsed, instrumented and compiled forms are kept (_analysis)
SEEN_REMEMBERED = 4096  # texts drawn once, remembered by hash: a second draw is kept

_FROZEN = (int, str, float, bool, type(None))


class _Budget(Exception):
    pass


def _sites(tree: ast.AST, nodes: list[ast.AST] | None = None) -> list[tuple[str, ast.AST]]:
    """The mutation sites, in ``ast.walk`` order (``nodes``: that walk, when it is made already)."""
    found: list[tuple[str, ast.AST]] = []
    for node in _walk(tree) if nodes is None else nodes:
        if isinstance(node, ast.Constant) and type(node.value) is int and not isinstance(node.value, bool):
            found.append(("constant", node))
        elif isinstance(node, ast.Compare) and type(node.ops[0]) in COMPARE_SWAPS:
            found.append(("compare", node))
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            found.append(("binop", node))
        elif isinstance(node, ast.Return) and node.value is not None:
            found.append(("return_type", node))
        elif isinstance(node, ast.BoolOp):
            found.append(("boolop", node))
    return found


def _entry_function(tree: ast.Module, entry: str) -> ast.FunctionDef | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == entry and node.args.args:
            return node
    return None


def _mutate(kind: str, node: Any, entry_def: ast.FunctionDef | None = None) -> tuple[str, Callable[[], None]]:
    """Applies one mutation in place; returns why and a function that undoes it."""
    if kind == "constant":
        old = node.value
        node.value = old + 1 if old <= 1 else old - 1
        return f"off by one: the constant {old} became {node.value}", lambda: setattr(node, "value", old)
    if kind == "compare":
        op = node.ops[0]
        node.ops[0] = COMPARE_SWAPS[type(op)]()
        return "a comparison flipped at its boundary", lambda: node.ops.__setitem__(0, op)
    if kind == "binop":
        op = node.op
        node.op = BINOP_SWAPS[type(op)]()
        return "an arithmetic operator swapped", lambda: setattr(node, "op", op)
    if kind == "return_type":
        value = node.value
        name = ast.copy_location(ast.Name("str", ast.Load()), value)
        node.value = ast.copy_location(ast.Call(name, [value], []), value)
        return "the wrong type: the value returned as a str", lambda: setattr(node, "value", value)
    if kind == "boolop":
        op = node.op
        node.op = ast.Or() if isinstance(op, ast.And) else ast.And()
        return "'and' and 'or' swapped", lambda: setattr(node, "op", op)
    assert kind == "edge_case" and entry_def is not None
    first = entry_def.args.args[0].arg
    guard = ast.parse(f"if not {first}:\n    return {first}").body[0]
    entry_def.body.insert(0, guard)
    return "the wrong edge case: an empty or zero input is returned as is", lambda: entry_def.body.remove(guard)


# ---- counted runs ---------------------------------------------------------------------------------

def _where(at: Any) -> dict[str, int]:
    return {"lineno": at.lineno, "col_offset": at.col_offset, "end_lineno": at.end_lineno, "end_col_offset": at.end_col_offset}


def _call(name: str, at: ast.AST, *args: ast.expr) -> ast.Call:
    return ast.Call(ast.Name(name, ast.Load(), **_where(at)), list(args), [], **_where(at))


def _tick_call(at: ast.AST) -> ast.Call:
    """``_assay_tick(0)``: appends to the run's tick list (and returns None)."""
    zero = ast.copy_location(ast.Constant(0), at)
    return _call("_assay_tick", at, zero)


def _tick(at: ast.AST) -> ast.stmt:
    return ast.Expr(_tick_call(at), **_where(at))


def _check(at: ast.AST) -> ast.stmt:
    """``_assay_count() > _assay_limit and _assay_stop()``: the budget check, which counts nothing."""
    over = ast.Compare(_call("_assay_count", at), [ast.Gt()], [ast.Name("_assay_limit", ast.Load(), **_where(at))], **_where(at))
    return ast.Expr(ast.BoolOp(ast.And(), [over, _call("_assay_stop", at)], **_where(at)), **_where(at))


_UNTICKED = (ast.For, ast.While, ast.AsyncFor, ast.Try, ast.Pass, ast.Global, ast.Nonlocal, ast.Break, ast.Continue)


def _ticked(statement: ast.stmt, shared: set[int]) -> bool:
    """Whether the statement surely starts with a line event of its own (a line no other statement
    shares, code on it, not a loop: a loop's events are counted per iteration)."""
    if statement.lineno in shared or isinstance(statement, _UNTICKED):
        return False
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return False  # a docstring or a bare constant compiles to nothing
    return not (isinstance(statement, ast.If) and isinstance(statement.test, ast.Constant))


class _Instrument(ast.NodeTransformer):
    """Adds ticks inside functions: one before each statement on a line of its own, one at the start
    of each loop iteration (its header's line event; the loop statement itself gets none), one at
    each call of a function or lambda, one for each element a comprehension's loop draws."""

    _methods: dict[type, Callable[..., ast.AST]] = {}  # noqa: RUF012 - the dispatch table, shared

    def __init__(self, shared: set[int]) -> None:
        self.shared = shared

    def _body(self, body: list[ast.stmt], start: list[ast.stmt]) -> list[ast.stmt]:
        out = list(start)
        for statement in body:
            self.visit(statement)
            if _ticked(statement, self.shared):
                out.append(_tick(statement))
            out.append(statement)
        return out

    def _blocks(self, node: Any) -> None:
        for name in ("test", "iter", "target", "items", "subject"):
            child = getattr(node, name, None)
            for item in child if isinstance(child, list) else [child]:
                if isinstance(item, ast.AST):
                    self.visit(item)
        start: list[ast.stmt] = []
        if isinstance(node, (ast.For, ast.While)):
            start = [_check(node)]  # every iteration checks the budget
            if node.lineno not in self.shared and not (isinstance(node, ast.While) and isinstance(node.test, ast.Constant)):
                start.insert(0, _tick(node))  # and counts its header's event (`while True:` has none)
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if block:
                setattr(node, name, self._body(block, start if name == "body" else []))
        for handler in getattr(node, "handlers", []):
            handler.body = self._body(handler.body, [])

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.visit(node.args)
        node.body = self._body(node.body, [_tick(node.body[0]), _check(node.body[0])])  # the call event
        return node

    def visit(self, node: ast.AST) -> ast.AST:
        # NodeTransformer's dispatch, with the method looked up once per node type
        kind = type(node)
        method = self._methods.get(kind)
        if method is None:
            method = self._methods[kind] = getattr(type(self), "visit_" + kind.__name__, type(self).generic_visit)
        return method(self, node)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.stmt) and hasattr(node, "body") and not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            self._blocks(node)
            return node
        # NodeTransformer.generic_visit, in place: every visitor here returns the node it was given
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                self.visit(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self.generic_visit(node)
        node.body = ast.BoolOp(ast.Or(), [_tick_call(node), node.body], **_where(node))  # a tick returns None
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.ifs.insert(0, ast.UnaryOp(ast.Not(), _tick_call(node.iter), **_where(node.iter)))
        return node


def _shared_lines(tree: ast.Module, nodes: list[ast.AST] | None = None) -> set[int]:
    """Lines that hold code of more than one statement (a one-line `if x: return y`, `a = 1; b = 2`);
    ``nodes``: the tree's ``_walk``, when it is made already."""
    owner: dict[int, int] = {}
    shared: set[int] = set()
    for node in _walk(tree) if nodes is None else nodes:
        if isinstance(node, ast.stmt):
            body = getattr(node, "body", None)
            last = (body[0].lineno - 1 if body and isinstance(body, list) else node.end_lineno) or node.lineno
            for line in range(node.lineno, max(node.lineno, last) + 1):
                if owner.setdefault(line, id(node)) != id(node):
                    shared.add(line)
    return shared


def _instrument(tree: ast.Module, nodes: list[ast.AST] | None = None) -> ast.Module:
    """Adds the counters to every top-level function (in place: mutation sites found before stay
    valid); ``nodes``: the tree's ``_walk``, when it is made already."""
    instrument = _Instrument(_shared_lines(tree, nodes))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            instrument.visit(node)
    return tree


# ---- running --------------------------------------------------------------------------------------

class _Shared(Exception):
    pass


def _fresh(args: tuple) -> tuple:
    """A deep copy of built-in values (where a mutable part is shared, copy.deepcopy keeps the sharing)."""
    seen: set[int] = set()

    def clone(value: Any) -> Any:
        kind = type(value)
        if kind in _FROZEN:
            return value
        if kind is list or kind is dict or kind is set:
            if id(value) in seen:
                raise _Shared
            seen.add(id(value))
            if kind is list:
                return [clone(v) for v in value]
            if kind is dict:
                return {clone(k): clone(v) for k, v in value.items()}
            return {clone(v) for v in value}
        if kind is tuple:
            return tuple([clone(v) for v in value])
        raise _Shared

    try:
        return tuple([clone(a) for a in args])
    except _Shared:
        return copy.deepcopy(args)


def _frozen(value: Any) -> bool:
    kind = type(value)
    return kind in _FROZEN or (kind is tuple and all(_frozen(v) for v in value))


def _copies(inputs: list[tuple]) -> list[bool | bytes]:
    """For ``fresh_inputs``, made once for inputs run many times: True for an input no part of which
    can change, else its pickle (unpickling is a deep copy, sharing kept, at C speed), or False
    where it does not pickle (``_fresh`` then copies it)."""
    out: list[bool | bytes] = []
    for args in inputs:
        if _frozen(args):
            out.append(True)
            continue
        try:
            out.append(pickle.dumps(args, pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - not built-in values: the slow copy
            out.append(False)
    return out


def fresh_inputs(inputs: list[tuple], frozen: list[bool] | list[bool | bytes] | None = None) -> Iterator[tuple]:
    """Each input as a call may take it: a deep copy, or the tuple itself when no part of it can
    change (``frozen``: that, per input, when it is known; or ``_copies``).

    >>> shared = [1]
    >>> [args for args in fresh_inputs([(1, "a"), ([2], shared, shared)])]
    [(1, 'a'), ([2], [1], [1])]
    >>> copied = list(fresh_inputs([([2], shared, shared)], _copies([([2], shared, shared)])))[0]
    >>> copied, copied[1] is copied[2], copied[1] is shared
    (([2], [1], [1]), True, False)
    """
    for index, args in enumerate(inputs):
        how = frozen[index] if frozen is not None else _frozen(args)
        if how is True:
            yield args
        elif how:
            yield pickle.loads(how)  # noqa: S301 - Assay's own pickle of its own inputs, made just before
        else:
            yield _fresh(args)


def _traced(source: str, entry: str, inputs: list[tuple]) -> list[Any] | None:
    """The rule itself: outputs under a tracer that counts every event (the copy of the arguments and
    the encoding of the result included); None past the budget."""
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


def _stop() -> None:
    raise _Budget


def _load(code: Any, selector: int = -1) -> dict[str, Any]:
    """A fresh namespace with the compiled module run in it (``selector``: the schema's mutant)."""
    ticks: list[int] = []
    namespace: dict[str, Any] = {"__name__": "mutant", "_assay_tick": ticks.append, "_assay_count": ticks.__len__,
                                 "_assay_stop": _stop, "_assay_limit": STEP_BUDGET, SELECTOR: selector}
    exec(code, namespace)  # noqa: S102 - a mutant of Assay's own reference
    return namespace


def _counted(code: Any, entry: str, inputs: list[tuple], frozen: list[bool] | list[bool | bytes] | None = None,
             allowed: int | None = None, raw: list[Any] | None = None, selector: int = -1) -> tuple[list[Any] | None, bool, int]:
    """Outputs of a program compiled with counters, whether they are final (False: the run came
    near enough to the budget that only the tracer can tell) and the ticks it took. With
    ``allowed``, the rule is the ticks alone: more than ``allowed`` gives None, and all is final.
    With ``raw``, each return value itself is appended to it too (none for a call that raised).
    ``selector``: the mutant a schema (``_schema``) runs; -1, the reference."""
    namespace = code if isinstance(code, dict) else _load(code, selector)
    namespace[SELECTOR] = selector
    return _run_counted(namespace, entry, inputs, frozen, allowed, raw)


def _run_counted(namespace: dict[str, Any], entry: str, inputs: list[tuple], frozen: list[bool] | list[bool | bytes] | None,
                 allowed: int | None = None, raw: list[Any] | None = None) -> tuple[list[Any] | None, bool, int]:
    function = namespace[entry]
    limit = STEP_BUDGET if allowed is None else allowed
    ticks: list[int] = []  # the module's own code ran untraced before too: count from here
    namespace["_assay_tick"], namespace["_assay_count"], namespace["_assay_limit"] = ticks.append, ticks.__len__, limit
    results: list[Any] = []
    for args in fresh_inputs(inputs, frozen):
        try:
            value = function(*args)
            if raw is not None:
                raw.append(value)
            results.append(from_python(value))
        except _Budget:
            return None, True, len(ticks)
        except Exception as error:  # noqa: BLE001 - a mutant may raise anything: that is an output too
            results.append(["opaque", type(error).__name__])
        if len(ticks) > limit:
            return None, True, len(ticks)  # (at least as many events: the tracer would have stopped it)
    return results, allowed is not None or len(ticks) * TICK_EVENTS_BOUND <= STEP_BUDGET, len(ticks)


def _usable(tree: ast.Module, nodes: list[ast.AST] | None = None) -> bool:
    """Whether the module is plain functions (no defaults, decorators, global statements or
    module-level state) and imports: one namespace of it serves every run."""
    walked = _walk(tree) if nodes is None else nodes  # (before instrumenting: it adds no Global)
    return not any(isinstance(node, (ast.Global, ast.Nonlocal)) for node in walked) and all(
        isinstance(node, (ast.Import, ast.ImportFrom))
        or (isinstance(node, ast.FunctionDef) and not node.decorator_list and not node.args.defaults
            and not any(node.args.kw_defaults))
        for node in tree.body
    )


class _Functions:
    """Loads a mutant by compiling only the function that holds the mutation, next to the other
    functions' code objects rebound to a fresh namespace. Only for modules of plain functions (no
    defaults, decorators or module-level state) and imports (``usable``)."""

    def __init__(self, tree: ast.Module, nodes: list[ast.AST] | None = None) -> None:
        self.tree = tree
        self.starts = [node.lineno for node in tree.body]
        self.usable = _usable(tree, nodes)
        if self.usable:
            self.base = _load(compile(tree, "<mutant>", "exec"))

    def load(self, at: ast.AST) -> dict[str, Any]:
        """The namespace of the module with the top-level function holding ``at`` compiled anew."""
        node = self.tree.body[bisect.bisect_right(self.starts, at.lineno) - 1]  # type: ignore[attr-defined]
        assert isinstance(node, ast.FunctionDef)
        namespace: dict[str, Any] = {}
        for name, value in self.base.items():
            if isinstance(value, types.FunctionType) and value.__code__.co_filename == "<mutant>":
                value = types.FunctionType(value.__code__, namespace, value.__name__, None, value.__closure__)
            namespace[name] = value
        exec(compile(ast.Module([node], []), "<mutant>", "exec"), namespace)  # noqa: S102 - as above
        return namespace


def run_bounded(source: str, entry: str, inputs: list[tuple]) -> list[Any] | None:
    """Tagged outputs (or the exception type) of a mutant of trusted code on each input; None when
    it runs past the step budget.

    >>> run_bounded("def f(n):\\n    return n // 2\\n", "f", [(7,), (0,)])
    [['int', '3'], ['int', '0']]
    >>> run_bounded("def f(n):\\n    while n:\\n        n += 1\\n    return n\\n", "f", [(1,)]) is None
    True
    """
    outputs, final, _ = _counted(compile(_instrument(ast.parse(source)), "<mutant>", "exec"), entry, inputs)
    return outputs if final else _traced(source, entry, inputs)


@dataclass
class Mutant:
    source: str
    why: str
    outputs: list[Any]  # tagged outputs (or ["opaque", error type]) on the inputs


class _Analysis:
    """What ``mutants`` derives from a reference's text alone, kept per (source, entry) in a small
    cache (``_analysis``): a corpus draws the same reference text many times (a task of a few
    templates) and the parsing, instrumenting and compiling are most of a draw's cost. The trees
    are mutated in place and restored under ``_TREES``; each mutant's compiled code and text are
    made the first time a draw tries it."""

    def __init__(self, source: str, entry: str, schema: bool = True) -> None:
        self.plain, self.counted = ast.parse(source), ast.parse(source)
        nodes = _walk(self.counted)
        self.found: list[tuple[str, Any, Any]] = [
            (kind, a, b) for (kind, a), (_, b) in zip(_sites(self.plain), _sites(self.counted, nodes), strict=True)]
        self.plain_entry = _entry_function(self.plain, entry)
        if self.plain_entry is not None:
            self.found.append(("edge_case", None, None))
        _instrument(self.counted, nodes)
        self.counted_entry = _entry_function(self.counted, entry)
        self.codes: dict[int, tuple[str, Any, int]] = {}
        self.texts: dict[int, str] = {}
        # every mutant in one program (``_schema``), where the sites allow it
        # (not where a while loop may run long: each site's test would slow every pass through it)
        sites = [(kind, node) for kind, _, node in self.found]
        self.schema = schema and not any(isinstance(node, ast.While) for node in nodes) and rewrite(
            self.counted, _walk(self.counted), sites, self.counted_entry)
        if self.schema:
            try:
                code = compile(self.counted, "<mutant>", "exec")
            except (SyntaxError, ValueError, TypeError) as error:
                raise _NoSchema from error
            self.reference: Any = _load(code) if _usable(self.counted, nodes) else code
            return
        self.functions = _Functions(self.counted, nodes)
        # the reference: the namespace itself (usable), else the module's code, loaded afresh each run
        self.reference = self.functions.base if self.functions.usable else compile(self.counted, "<mutant>", "exec")

    def code(self, index: int) -> tuple[str, Any, int]:
        """Why mutant ``index`` is wrong, its namespace (usable modules) or module code, and the
        selector that runs it (its index in a schema; -1 in a mutant compiled alone)."""
        held = self.codes.get(index)
        if held is None and self.schema:
            kind, plain_node, _ = self.found[index]
            with _TREES:
                why, undo = _mutate(kind, plain_node, self.plain_entry)
                undo()
            held = self.codes[index] = (why, self.reference, index)
        if held is None:
            kind, _, counted_node = self.found[index]
            with _TREES:
                why, undo = _mutate(kind, counted_node, self.counted_entry)
                try:
                    if self.functions.usable:
                        at: Any = counted_node if counted_node is not None else self.counted_entry
                        code: Any = self.functions.load(at)
                    else:
                        code = compile(self.counted, "<mutant>", "exec")
                finally:
                    undo()
            held = self.codes[index] = (why, code, -1)
        return held

    def text(self, index: int) -> str:
        """Mutant ``index`` written out (``ast.unparse`` of the mutated reference)."""
        held = self.texts.get(index)
        if held is None:
            kind, plain_node, _ = self.found[index]
            with _TREES:
                _, undo = _mutate(kind, plain_node, self.plain_entry)
                try:
                    held = self.texts[index] = ast.unparse(self.plain)
                finally:
                    undo()
        return held


_TREES = threading.Lock()  # a cached analysis' trees are mutated in place for a moment


class _NoSchema(Exception):
    """The schema did not compile: the reference is analysed again, one compile per mutant."""


class _Analyses:
    """The analysis of a reference text, kept (LRU, ANALYSES_CACHED) from its second draw on: most
    texts of a corpus are drawn once (the seeded constants differ), and keeping those would push
    out the few that recur (about 180 KB each)."""

    def __init__(self) -> None:
        self.kept: OrderedDict[tuple[str, str], _Analysis] = OrderedDict()
        self.seen: OrderedDict[int, None] = OrderedDict()  # hashes of texts drawn once (SEEN_REMEMBERED)

    def __call__(self, source: str, entry: str) -> _Analysis:
        key = (source, entry)
        with _TREES:
            held = self.kept.get(key)
            if held is not None:
                self.kept.move_to_end(key)
                return held
        try:
            analysis = _Analysis(source, entry)
        except _NoSchema:
            analysis = _Analysis(source, entry, schema=False)
        with _TREES:
            mark = hash(key)
            if mark in self.seen:
                self.kept[key] = analysis
                if len(self.kept) > ANALYSES_CACHED:
                    self.kept.popitem(last=False)
            else:
                self.seen[mark] = None
                if len(self.seen) > SEEN_REMEMBERED:
                    self.seen.popitem(last=False)
        return analysis

    def cache_clear(self) -> None:
        with _TREES:
            self.kept.clear()
            self.seen.clear()


_analysis = _Analyses()


def mutants(source: str, entry: str, inputs: list[tuple], rng: random.Random, limit: int = 3,
            visible: int = 0, steps: int | None = None, outputs: list[Any] | None = None) -> tuple[list[Any], list[Mutant]]:
    """The reference's tagged outputs and up to ``limit`` mutants that fail at least one test but
    pass at least one (and, with ``visible``, pass the last ``visible`` tests: the examples a
    prompt shows). Each mutant is made in place on a parsed tree and undone after; its text is
    written only when it is kept. With ``outputs`` (an empty list), the reference's own return
    values are appended to it, one per input, as ``run_reference`` gives them (fewer when it raised).

    A mutant runs within STEP_BUDGET trace events; with ``steps``, within max(steps, 4 x the
    reference's) ticks instead, counted alone: far cheaper where a looping mutant grows huge
    integers (each step slower than the last), and the same on every CPython."""
    analysis = _analysis(source, entry)
    frozen = _copies(inputs)
    reference, final, used = _counted(analysis.reference, entry, inputs, frozen, raw=outputs)
    allowed = None if steps is None else max(steps, 4 * used)
    if not final:
        reference = _traced(source, entry, inputs)
    assert reference is not None  # the reference itself never exhausts the budget
    order = list(range(len(analysis.found)))
    rng.shuffle(order)  # the same permutation as shuffling the sites themselves
    chosen: list[Mutant] = []
    seen = {source}
    for index in order[:MAX_TRIES]:
        why, code, selector = analysis.code(index)
        # The text is written only for a mutant that is kept (or must be traced): one that repeats the
        # reference or an earlier mutant has the same outputs, so it is dropped just the same below.
        try:
            results, final, _ = _counted(code, entry, inputs, frozen, allowed, selector=selector)
            if not final:
                results = _traced(analysis.text(index), entry, inputs)
        except (SyntaxError, KeyError, TypeError):  # the module itself fails to load
            continue
        if results is None:
            continue
        # (identical tagged values are equal: the shortcut skips only equal's own walk)
        same = [o[0] != "opaque" and (r == o or equal(r, o)) for r, o in zip(reference, results, strict=True)]
        if all(same) or not any(same):
            continue
        if visible and not all(same[-visible:]):
            continue
        mutant = analysis.text(index)
        if mutant in seen:
            continue
        seen.add(mutant)
        chosen.append(Mutant(mutant, why, results))
        if len(chosen) >= limit:
            break
    return reference, chosen


def wrong_versions(source: str, entry: str, inputs: list[tuple], rng: random.Random, limit: int = 3,
                   visible: int = 0, steps: int | None = None, outputs: list[Any] | None = None) -> list[dict[str, str]]:
    """Up to ``limit`` mutants that fail at least one test but pass at least one (and,
    with ``visible``, pass the last ``visible`` tests: the examples a prompt shows); ``steps`` and
    ``outputs`` as in ``mutants``."""
    return [{"source": m.source, "why": m.why} for m in mutants(source, entry, inputs, rng, limit, visible, steps, outputs)[1]]
