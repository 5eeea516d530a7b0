"""Small programs synthesised from a grammar (assignments, branches, for and while loops, helper
calls) and their execution traces, for the execution-reasoning tasks.

Programs are Assay's own generated text; they are run here under a line tracer to learn their
outputs and states. Every while loop only counts down, so every program terminates.
"""

from __future__ import annotations

import ast
import copy
import functools
import random
import sys
from dataclasses import dataclass, field
from typing import Any

MAX_EVENTS = 4000
_SCALARS = (int, float, bool, str, type(None))


@dataclass
class Program:
    lines: list[str]
    loops: dict[int, int] = field(default_factory=dict)  # header line -> first body line
    branches: dict[int, tuple[int, int]] = field(default_factory=dict)  # if line -> (first, last) line of its body
    assignments: dict[int, str] = field(default_factory=dict)  # line -> variable assigned
    helper: bool = False

    @property
    def source(self) -> str:
        return "\n".join(self.lines) + "\n"

    def numbered(self) -> str:
        return "\n".join(f"{i + 1:>3}  {line}" for i, line in enumerate(self.lines))


class _Writer:
    def __init__(self, rng: random.Random, steps: int, floats: bool) -> None:
        self.rng = rng
        self.steps = steps
        self.floats = floats
        self.program = Program([])
        self.names = ["x", "a", "b"]

    def emit(self, indent: int, text: str) -> int:
        self.program.lines.append("    " * indent + text)
        return len(self.program.lines)

    def expression(self, exclude: str | None = None) -> str:
        rng = self.rng
        u = rng.choice(self.names)
        w = rng.choice(self.names)
        c = rng.randint(1, 9)
        forms = [f"{u} + {c}", f"{u} - {c}", f"{u} * {rng.randint(2, 3)}", f"{u} // {rng.randint(2, 4)}", f"{u} % {rng.randint(2, 7)}",
                 f"{u} + {w}", f"abs({u} - {w})", f"min({u}, {w})", f"max({u}, {c})"]
        if self.floats and rng.random() < 0.15:
            forms.append(f"{u} / {rng.choice((2, 4, 5))}")
        if self.program.helper and rng.random() < 0.3:
            forms.append(f"g({u})")
        return rng.choice(forms)

    def assign(self, indent: int, avoid: str | None = None) -> None:
        target = self.rng.choice([n for n in ("a", "b") if n != avoid] or ["a"])
        line = self.emit(indent, f"{target} = {self.expression()}")
        self.program.assignments[line] = target

    def block(self, indent: int, budget: int, avoid: str | None = None) -> None:
        for _ in range(max(1, budget)):
            roll = self.rng.random()
            if budget >= 2 and roll < 0.25 and indent < 3:
                self.branch(indent, budget - 1, avoid)
            elif budget >= 2 and roll < 0.45 and indent < 2:
                self.for_loop(indent, budget - 1, avoid)
            else:
                self.assign(indent, avoid)

    def branch(self, indent: int, budget: int, avoid: str | None) -> None:
        rng = self.rng
        u = rng.choice(self.names)
        condition = rng.choice((f"{u} % {rng.randint(2, 4)} == {rng.randint(0, 1)}", f"{u} > {rng.randint(-5, 15)}", f"{u} < {rng.choice(self.names)}"))
        line = self.emit(indent, f"if {condition}:")
        first = len(self.program.lines) + 1
        self.block(indent + 1, budget // 2 or 1, avoid)
        self.program.branches[line] = (first, len(self.program.lines))
        if rng.random() < 0.6:
            self.emit(indent, "else:")
            self.block(indent + 1, 1, avoid)

    def for_loop(self, indent: int, budget: int, avoid: str | None) -> None:
        k = self.rng.randint(2, 5)
        line = self.emit(indent, f"for i in range({k}):")
        self.program.loops[line] = line + 1
        inner = "i" not in self.names
        if inner:
            self.names.append("i")
        self.block(indent + 1, budget // 2 or 1, avoid)
        if inner:
            self.names.remove("i")  # i is used only inside its loop: a skipped loop never leaves it unbound

    def while_loop(self, indent: int) -> None:
        v = self.rng.choice(("a", "b"))
        line = self.emit(indent, f"while {v} > {self.rng.randint(0, 20)}:")
        self.program.loops[line] = line + 1
        step = self.emit(indent + 1, f"{v} = {v} - {self.rng.randint(3, 9)}")
        self.program.assignments[step] = v
        if self.rng.random() < 0.5:
            self.assign(indent + 1, avoid=v)


def make_program(rng: random.Random, steps: int) -> Program:
    """A function f(x) of about ``steps`` statement groups (helper g, floats and while loops from
    level 2 or 3)."""
    writer = _Writer(rng, steps, floats=steps >= 2)
    if steps >= 3:
        writer.program.helper = True
        writer.emit(0, "def g(n):")
        writer.emit(1, f"return n * {rng.randint(2, 3)} - {rng.randint(1, 5)}")
        writer.emit(0, "")
    writer.emit(0, "def f(x):")
    writer.names = ["x"]
    writer.program.assignments[writer.emit(1, f"a = {writer.expression()}")] = "a"
    writer.program.assignments[writer.emit(1, f"b = {rng.randint(0, 5)}")] = "b"
    writer.names = ["x", "a", "b"]
    writer.block(1, steps + 1)
    if steps >= 2 or rng.random() < 0.5:
        writer.while_loop(1)
    writer.emit(1, rng.choice(("return a + b", "return a", "return (a, b)", "return [a, b]", "return a - b")))
    return writer.program


@dataclass
class Trace:
    events: list[tuple[int, dict[str, Any]]]  # (line, locals before it runs) in f's frame
    result: Any
    final: dict[str, Any]


def _body_lines(program: Program) -> set[int]:
    start = next(i for i, line in enumerate(program.lines) if line.startswith("def f(")) + 1
    return set(range(start + 1, len(program.lines) + 1))


class _Stop(Exception):
    """Raised by the tracer past MAX_EVENTS lines."""


@functools.lru_cache(maxsize=32)
def _compiled(source: str) -> Any:
    return compile(source, "<program>", "exec")


def trace(program: Program, argument: Any, *, states: bool = True) -> Trace | None:
    """Runs f(argument) under a line tracer; None when it needs more than MAX_EVENTS lines or fails.
    With ``states=False`` the events hold no locals (``{}``) and ``final`` is empty: only the
    result and the line numbers, at a fraction of the cost."""
    namespace: dict[str, Any] = {"__name__": "program"}
    exec(_compiled(program.source), namespace)  # noqa: S102 - Assay's own generated program
    function = namespace["f"]
    code = function.__code__
    events: list[tuple[int, dict[str, Any]]] = []
    final: dict[str, Any] = {}

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code is not code:
            return None
        if event == "line":
            events.append((frame.f_lineno, _snapshot(frame.f_locals) if states else {}))
            if len(events) > MAX_EVENTS:
                raise _Stop
        elif event == "return" and states:
            final.update(_snapshot(frame.f_locals))
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = function(copy.deepcopy(argument))
    except (_Stop, ArithmeticError, RecursionError):
        return None
    finally:
        sys.settrace(previous)
    return Trace(events, result, final)


def _snapshot(names: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a frame's locals: a plain copy where every value is a scalar (the usual case)."""
    for value in names.values():
        if type(value) not in _SCALARS:
            return copy.deepcopy(names)
    return dict(names)


class _Ticks(ast.NodeTransformer):
    """Puts ``_tick()`` before every statement of f (a loop statement included) and at the start of
    every loop iteration: for these programs (one simple statement a line, loops over their own
    lines) each tick stands for one line event of f's frame, which ``trace`` counts; g is untouched."""

    @staticmethod
    def _tick(at: ast.AST) -> ast.stmt:
        return ast.copy_location(ast.Expr(ast.Call(ast.Name("_tick", ast.Load()), [], [])), at)

    def _body(self, body: list[ast.stmt], start: list[ast.stmt]) -> list[ast.stmt]:
        out = list(start)
        for statement in body:
            self.visit(statement)
            out += [self._tick(statement), statement]
        return out

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, (ast.For, ast.While)):
            node.body = self._body(node.body, [self._tick(node)])  # the header's event of each iteration
            node.orelse = self._body(node.orelse, [])
        elif isinstance(node, ast.If):
            node.body, node.orelse = self._body(node.body, []), self._body(node.orelse, [])
        elif isinstance(node, ast.FunctionDef):
            node.body = self._body(node.body, [])
        return node


@functools.lru_cache(maxsize=32)
def _counting(source: str) -> Any:
    """The program with f ticking (``_Ticks``), compiled; None where f holds a statement outside the
    grammar (then only the tracer can count)."""
    tree = ast.parse(source)
    f = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "f")
    simple = (ast.Assign, ast.AugAssign, ast.Return, ast.If, ast.For, ast.While)
    if not all(isinstance(node, simple) for node in ast.walk(f) if isinstance(node, ast.stmt) and node is not f):
        return None
    if len({node.lineno for node in ast.walk(f) if isinstance(node, ast.stmt)}) != sum(
            isinstance(node, ast.stmt) for node in ast.walk(f)):
        return None  # two statements share a line
    _Ticks().visit(f)
    return compile(ast.fix_missing_locations(tree), "<program>", "exec")


def result_of(program: Program, argument: Any) -> tuple[Any] | None:
    """``(f(argument),)`` as ``trace(program, argument, states=False)`` gives it (its ``result``),
    None where that gives None: past MAX_EVENTS line events of f, or an arithmetic or recursion
    error. f runs untraced with a tick per line event (``_Ticks``), stopped past 2 x MAX_EVENTS
    ticks; a run that ends with more than MAX_EVENTS / 2 ticks is repeated under the tracer, which
    then decides (the margins hold while ticks stay within a factor 2 of the events).

    >>> result_of(Program(["def f(x):", "    a = x + 1", "    return a"]), 2)
    (3,)
    """
    code = _counting(program.source)
    if code is None:
        run = trace(program, argument, states=False)
        return None if run is None else (run.result,)
    ticks = [0]

    def tick() -> None:
        ticks[0] += 1
        if ticks[0] > 2 * MAX_EVENTS:
            raise _Stop

    namespace: dict[str, Any] = {"__name__": "program", "_tick": tick}
    exec(code, namespace)  # noqa: S102 - Assay's own generated program
    try:
        result = namespace["f"](copy.deepcopy(argument))
    except (_Stop, ArithmeticError, RecursionError):
        return None  # past the budget or failed before it: the tracer gives None either way
    except Exception:
        if ticks[0] <= MAX_EVENTS // 2:
            raise  # failed well within the budget: so does the traced run
        result = None
    if ticks[0] > MAX_EVENTS // 2:  # near the budget: the tracer decides
        run = trace(program, argument, states=False)
        return None if run is None else (run.result,)
    return (result,)


def state_after(trace_: Trace, index: int) -> dict[str, Any]:
    """The locals right after the line of event ``index`` ran: the next event's, or the final ones."""
    return trace_.events[index + 1][1] if index + 1 < len(trace_.events) else trace_.final


def occurrences(trace_: Trace, line: int) -> list[int]:
    return [i for i, (number, _) in enumerate(trace_.events) if number == line]
