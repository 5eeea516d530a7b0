"""code/variable_state: the value and type of a variable right after a given line runs for the k-th
time (ExecVerify-style stepwise question).
"""

from __future__ import annotations

import random
from typing import Any

from assay.generators.code._programs import Program, Trace, occurrences, state_after
from assay.generators.code._reasoning import ORDINALS, ReasoningTask
from assay.registry import register_task


@register_task
class VariableState(ReasoningTask):
    id = "code/variable_state"
    description = "Give the value (with its type) of a variable right after a given line of a generated program runs for the k-th time."

    def ask(self, rng: random.Random, program: Program, run: Trace, x: int) -> tuple[str, Any] | None:
        lines = sorted(line for line in program.assignments if occurrences(run, line))
        if not lines:
            return None
        line = rng.choice(lines)
        seen = occurrences(run, line)
        k = rng.randint(1, min(len(seen), 5))
        variable = program.assignments[line]
        value = state_after(run, seen[k - 1]).get(variable)
        return (f"During the call `f({x})`, line {line} runs {len(seen)} time(s). Right after it runs for the {ORDINALS[k]} "
                f"time, what is the value of `{variable}`? Its type matters (3, 3.0 and '3' differ)."), value
