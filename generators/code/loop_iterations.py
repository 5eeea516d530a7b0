"""code/loop_iterations: how many times the body of a given loop runs during one call."""

from __future__ import annotations

import random
from typing import Any

from assay.generators.code._programs import Program, Trace, occurrences
from assay.generators.code._reasoning import ReasoningTask
from assay.registry import register_task


@register_task
class LoopIterations(ReasoningTask):
    id = "code/loop_iterations"
    description = "Count how many times the body of a given loop in a generated program runs during one call."

    def ask(self, rng: random.Random, program: Program, run: Trace, x: int) -> tuple[str, Any] | None:
        if not program.loops:
            return None
        header = rng.choice(sorted(program.loops))
        count = len(occurrences(run, program.loops[header]))
        return (f"During the call `f({x})`, how many times in total does the body of the loop on line {header} run "
                "(each pass through the body counts once, over all entries into the loop)? Answer with an int."), count
