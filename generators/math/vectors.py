"""math/vector_operations: dot and cross products, projections and triple products of vectors
with integer components (numbers and ordered tuples, checked by the math verifier).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.generators.math.answers import MathTask, delegate
from assay.generators.math.formatting import latex_number, latex_tuple
from assay.generators.math.probes import merged, number_probes
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.math.probes import probes_for

Vector = tuple[Fraction, ...]


def cross(u: Vector, v: Vector) -> Vector:
    return (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])


def dot(u: Vector, v: Vector) -> Fraction:
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


def vector_latex(v: Vector) -> str:
    return latex_tuple([latex_number(c) for c in v])


@dataclass(frozen=True)
class VectorConfig(TaskConfig):
    operation: str = "dot"  # "dot", "cross", "projection", "triple"
    dimension: int = 2
    magnitude: int = 6

    def __post_init__(self) -> None:
        require_choice("operation", self.operation, ("dot", "cross", "projection", "triple"))
        require_int("dimension", self.dimension, 2, 6)
        require_int("magnitude", self.magnitude, 1, 100)


@register_task
class VectorOperations(MathTask[VectorConfig]):
    id = "math/vector_operations"
    description = "Dot products, cross products, projections and scalar triple products of integer vectors."
    answer_format = "a number, or a vector written as an ordered tuple such as (1, -\\frac{2}{3}, 4)"
    verification = (
        "Delegated to assay.verifiers.math.verify against the exact gold (numbers with literal_answers on, "
        "so a copied expression earns nothing; vectors as ordered tuples)."
    )
    Config = VectorConfig
    levels = {
        1: VectorConfig("dot", 2, 6),
        2: VectorConfig("dot", 4, 12),
        3: VectorConfig("cross", 3, 6),
        4: VectorConfig("projection", 3, 5),
        5: VectorConfig("triple", 3, 6),
    }
    timeout_s = 10.0

    def build(self, rng: random.Random, config: VectorConfig) -> Draft:
        m = config.magnitude

        def vector(dimension: int) -> Vector:
            while True:
                v = tuple(Fraction(rng.randint(-m, m)) for _ in range(dimension))
                if any(v):
                    return v

        n = 3 if config.operation != "dot" else config.dimension
        u, v, w = vector(n), vector(n), vector(n)
        names = f"$\\mathbf{{u}} = {vector_latex(u)}$ and $\\mathbf{{v}} = {vector_latex(v)}$"
        if config.operation == "dot":
            result: Fraction | Vector = dot(u, v)
            text = f"Let {names}. Compute $\\mathbf{{u}} \\cdot \\mathbf{{v}}$."
        elif config.operation == "cross":
            result = cross(u, v)
            text = f"Let {names}. Compute $\\mathbf{{u}} \\times \\mathbf{{v}}$."
        elif config.operation == "projection":
            scale = dot(u, v) / dot(v, v)
            result = tuple(scale * c for c in v)
            text = f"Let {names}. Compute the vector projection of $\\mathbf{{u}}$ onto $\\mathbf{{v}}$."
        else:
            result = dot(u, cross(v, w))
            names = f"$\\mathbf{{u}} = {vector_latex(u)}$, $\\mathbf{{v}} = {vector_latex(v)}$ and $\\mathbf{{w}} = {vector_latex(w)}$"
            text = f"Let {names}. Compute the scalar triple product $\\mathbf{{u}} \\cdot (\\mathbf{{v}} \\times \\mathbf{{w}})$."
        if isinstance(result, tuple):
            gold = vector_latex(result)
            hint = "Give the vector as an ordered tuple of exact components."
            data = {"gold": gold, "ordered": True, "vector": [str(c) for c in result]}
        else:
            gold = latex_number(result)
            hint = "Give the exact number."
            data = {"gold": gold, "verify_options": {"literal_answers": True}, "question": ""}
        return Draft(f"{text}\n\n{hint} {ANSWER_INSTRUCTION}", gold, data)

    def check(self, problem: Problem, completion: str) -> Verdict:
        return delegate(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        if "vector" not in problem.data:
            return merged(probes_for(problem.answer), number_probes(problem))
        components = [Fraction(c) for c in problem.data["vector"]]
        items = [latex_number(c) for c in components]
        off = list(components)
        off[0] += 1
        own = [
            Probe(wrap("\\left(" + ", ".join(items) + "\\right)"), True, "\\left( \\right)"),
            Probe(wrap(vector_latex(tuple(off))), False, "first component off by one"),
            Probe(wrap(vector_latex(tuple(-c for c in components))), False, "every sign flipped (v x u)") if any(components) else
            Probe(wrap(vector_latex(tuple(off))), False, "off"),
            Probe(wrap(latex_tuple(items[:-1])), False, "a component missing"),
            Probe(wrap(f"{problem.answer} \\text{{ or }} {vector_latex(tuple(off))}"), False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        return merged(probes_for(problem.answer), own)
