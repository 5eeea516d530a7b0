"""Shared checks for the math task tests: problems over seeds and levels, probe audits, and a
converter from our generated LaTeX to sympy so golds are cross-checked by an independent CAS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fractions import Fraction

import sympy
from sympy.parsing.sympy_parser import implicit_multiplication_application, parse_expr, standard_transformations

import assay
from assay.registry import wrap
from assay.types import Problem, Verdict

x = sympy.Symbol("x")

# Probes that fail only because of a documented choice of the math verifier, not of the task.
KNOWN_VERIFIER_GAPS: dict[str, str] = {}


def problems(task_id: str, seeds: Iterable[int] = range(4), levels: Iterable[int] | None = None) -> list[Problem]:
    task = assay.get_task(task_id)
    return [task.generate(seed, difficulty=level) for level in (levels or sorted(task.levels)) for seed in seeds]


def verdict(problem: Problem, answer: str) -> Verdict:
    return assay.get_task(problem.task).check(problem, wrap(answer))


def passes(problem: Problem, answer: str) -> bool:
    return verdict(problem, answer).passed


def probe_failures(task_id: str, seeds: Iterable[int] = range(3)) -> tuple[list[str], list[str]]:
    """(unexpected failures, failures explained by KNOWN_VERIFIER_GAPS) over seeds x levels."""
    task = assay.get_task(task_id)
    unexpected, known = [], []
    for problem in problems(task_id, seeds):
        where = f"{task_id} d={problem.meta['difficulty']} seed={problem.meta['seed']} gold={problem.answer!r}"
        reference = task.check(problem, wrap(problem.answer))
        if not reference.passed:
            unexpected.append(f"{where}: reference -> {reference.reason}")
        for probe in task.probes(problem):
            result = task.check(problem, probe.completion)
            ok = result.passed if probe.expect_pass else (not result.passed and result.score <= probe.max_score)
            if not ok:
                line = f"{where}: probe {probe.why!r} {probe.completion[-100:]!r} -> {result.reason}"
                (known if probe.why in KNOWN_VERIFIER_GAPS else unexpected).append(line)
    return unexpected, known


def level_means(task_id: str, metric: Callable[[Problem], float], seeds: Iterable[int] = range(8)) -> dict[int, float]:
    """The mean of ``metric`` over seeds at each level."""
    task = assay.get_task(task_id)
    seeds = list(seeds)
    return {level: sum(metric(task.generate(s, difficulty=level)) for s in seeds) / len(seeds) for level in sorted(task.levels)}


def math_segment(prompt: str, index: int = 0) -> str:
    """The ``index``-th $...$ segment of a prompt."""
    return re.findall(r"\$([^$]+)\$", prompt)[index]


# -- our LaTeX -> sympy (trusted text: only for cross-checking our own golds) ---------------------
_TRANSFORMS = standard_transformations + (implicit_multiplication_application,)


def _replace_command(text: str, command: str, arity: int, build: Callable[..., str]) -> str:
    while True:
        start = text.find(command + "{")
        if start < 0:
            return text
        args, position = [], start + len(command)
        for _ in range(arity):
            depth, begin = 0, position
            while True:
                char = text[position]
                depth += {"{": 1, "}": -1}.get(char, 0)
                position += 1
                if depth == 0:
                    break
            args.append(text[begin + 1 : position - 1])
        text = text[:start] + build(*args) + text[position:]


def to_sympy(latex: str, symbols: dict[str, sympy.Symbol] | None = None) -> sympy.Expr:
    """Our generated LaTeX as an exact sympy expression (fractions, powers, roots, i, ln)."""
    text = latex.replace("\\left", "").replace("\\right", "").replace("\\displaystyle", "").replace("\\,", " ")
    text = text.replace("\\dfrac", "\\frac").replace("\\cdot", "*").replace("\\times", "*").replace("\\div", "/")
    text = text.replace("\\ln", "log").replace("\\infty", "oo")
    text = _replace_command(text, "\\frac", 2, lambda a, b: f"(({a})/({b}))")
    text = _replace_command(text, "\\sqrt", 1, lambda a: f"sqrt({a})")
    text = text.replace("^", "**").replace("{", "(").replace("}", ")")
    local = {"x": x, "i": sympy.I, "I": sympy.I, "log": sympy.log, "sqrt": sympy.sqrt, "oo": sympy.oo}
    local.update(symbols or {})
    return parse_expr(text, local_dict=local, transformations=_TRANSFORMS, evaluate=True)


def fraction(value: sympy.Expr) -> Fraction:
    value = sympy.nsimplify(value, rational=True) if not isinstance(value, sympy.Rational) else value
    assert value.is_Rational, value
    return Fraction(int(value.p), int(value.q))


def gold_value(problem: Problem) -> Fraction:
    """A number task's gold as a Fraction."""
    return fraction(to_sympy(problem.data["gold"]))
