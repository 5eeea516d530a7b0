"""Audit probes shared by the math tasks: answer-location probes for tasks with their own checker,
the generic probes of a number-valued or matrix-valued answer, and ``merged`` to join probe lists.
"""

from __future__ import annotations

import math
from fractions import Fraction

from assay.generators.math.formatting import decimal_text, latex_matrix, latex_number
from assay.registry import Probe, wrap
from assay.types import Problem
from assay.verifiers.numbers import format_number, parse_number


def merged(*groups: list[Probe]) -> list[Probe]:
    """Probe lists joined, keeping the first probe of each completion (the verifier's generic
    probes and a task's own overlap)."""
    seen: set[str] = set()
    out: list[Probe] = []
    for group in groups:
        for probe in group:
            if probe.completion not in seen:
                seen.add(probe.completion)
                out.append(probe)
    return out


def extraction_probes(gold: str) -> list[Probe]:
    """Answer-location probes for tasks with their own checker (no value-level assumptions)."""
    return [
        Probe(f"The result is $\\boxed{{{gold}}}$.", True, "boxed form"),
        Probe(f"\\fbox{{{gold}}}", True, "fbox form"),
        Probe(wrap("nothing") + "\nOn reflection: " + wrap(gold), True, "self-corrected to the right answer"),
        Probe("Reasoning omitted.\n\\boxed{}", False, "empty box"),
        Probe(wrap("\\text{anything}"), False, "text instead of a value"),
        Probe("I am not sure.", False, "no answer at all"),
        Probe(wrap(gold) + "\n" + "x" * 20000 + wrap(""), False, "last answer block is empty"),
    ]


def number_probes(problem: Problem) -> list[Probe]:
    """Generic probes of a number-valued task whose gold is ``data["gold"]``."""
    gold_text = problem.data["gold"]
    gold = parse_number(gold_text)
    if gold is None:
        raise ValueError(f"number gold {gold_text!r} does not parse")  # a generator bug
    wrong = latex_number(gold + 1)
    probes = [
        Probe(f"So the result is \\boxed{{{gold_text}}}.", True, "boxed form"),
        Probe(wrap(f"${gold_text}$."), True, "math delimiters and a final period"),
        Probe(wrap(format_number(gold)), True, "plain p/q form"),
        Probe(wrap(latex_number(gold + 1)), False, "off by one"),
        Probe(wrap(f"{gold_text} or {wrong}"), False, "hedged between two values"),
        Probe(wrap(f"{gold_text}, {wrong}"), False, "a list of candidates"),
        Probe(wrap(""), False, "empty answer block"),
        Probe("\\boxed{}", False, "empty box"),
        Probe(wrap(gold_text) + "\nWait, I made an error. " + wrap(latex_number(gold + 2)), False,
              "self-corrected to a wrong value"),
    ]
    if gold.denominator != 1:
        probes.append(Probe(wrap(f"\\frac{{{gold.numerator * 3}}}{{{gold.denominator * 3}}}"), True,
                            "equal fraction not in lowest terms"))
        probes.append(Probe(wrap(str(gold.numerator // gold.denominator)), False, "truncated to an integer"))
        exact = decimal_text(gold)
        if exact is None:
            probes.append(Probe(wrap(f"{float(gold):.4f}"), False, "rounded decimal of a repeating fraction"))
        else:
            probes.append(Probe(wrap(exact), True, "exact terminating decimal"))
    if gold != 0:
        probes.append(Probe(wrap(latex_number(-gold)), False, "wrong sign"))
    if gold not in (0, 1, -1):
        probes.append(Probe(wrap(latex_number(1 / gold)), False, "reciprocal"))
    question = problem.data.get("question")
    if question:
        probes.append(Probe(wrap(question), False, "the question copied as the answer"))
    return probes



def matrix_probes(problem: Problem, question: str) -> list[Probe]:
    """Probes of a matrix-valued answer stored in ``data["matrix"]``."""
    rows = [[Fraction(v) for v in row] for row in problem.data["matrix"]]

    def body(m: list[list[Fraction]]) -> str:
        return " \\\\ ".join(" & ".join(latex_number(v) for v in r) for r in m)

    plain = "[" + ", ".join("[" + ", ".join(format_number(v) for v in r) + "]" for r in rows) + "]"
    off = [list(r) for r in rows]
    off[-1][-1] += 1
    probes = extraction_probes(problem.answer) + [
        Probe(wrap(f"\\begin{{bmatrix}} {body(rows)} \\end{{bmatrix}}"), True, "bmatrix"),
        Probe(wrap(f"\\left[\\begin{{array}}{{{'c' * len(rows[0])}}} {body(rows)} \\end{{array}}\\right]"), True, "array in brackets"),
        Probe(wrap(plain), True, "nested list"),
        Probe(wrap(latex_matrix(off)), False, "one entry off by one"),
        Probe(wrap(latex_matrix([[-v for v in r] for r in rows])), False, "every sign flipped") if any(v for r in rows for v in r) else Probe(wrap(latex_matrix(off)), False, "off"),
        Probe(wrap(question), False, "the question copied (unevaluated)"),
        Probe(wrap(f"{problem.answer} \\text{{ or }} {latex_matrix(off)}"), False, "hedged"),
        Probe(wrap(latex_matrix(rows[:-1])) if len(rows) > 1 else wrap(latex_matrix([r[:-1] for r in rows])), False, "a row missing"),
        Probe(wrap(""), False, "empty"),
    ]
    transposed = [list(column) for column in zip(*rows)]
    if transposed != rows:
        probes.append(Probe(wrap(latex_matrix(transposed)), False, "transposed"))
    denominator = 1
    for r in rows:
        for v in r:
            denominator = math.lcm(denominator, v.denominator)
    if denominator > 1:
        scaled = [[v * denominator for v in r] for r in rows]
        probes.append(Probe(wrap(f"\\frac{{1}}{{{denominator}}} {latex_matrix(scaled)}"), True, "a scalar factored out"))
    return probes


