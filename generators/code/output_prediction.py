"""code/output_prediction: what a generated program returns on a given input (CRUXEval style)."""

from __future__ import annotations

import random
from typing import Any

from assay.generators.code._programs import Program, Trace
from assay.generators.code._reasoning import ReasoningTask
from assay.registry import register_task


@register_task
class OutputPrediction(ReasoningTask):
    id = "code/output_prediction"
    description = "Predict the value a generated program (assignments, branches, loops, calls) returns on a given input."

    def ask(self, rng: random.Random, program: Program, run: Trace, x: int) -> tuple[str, Any] | None:
        return f"What does `f({x})` return?", run.result
