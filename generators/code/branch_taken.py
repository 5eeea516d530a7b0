"""code/branch_taken: whether the condition of a given if statement holds the k-th time it is checked."""

from __future__ import annotations

import random
from typing import Any

from assay.generators.code._programs import Program, Trace, occurrences
from assay.generators.code._reasoning import ORDINALS, ReasoningTask
from assay.registry import register_task


@register_task
class BranchTaken(ReasoningTask):
    id = "code/branch_taken"
    description = "Say whether a given if condition in a generated program is true the k-th time it is checked."

    def ask(self, rng: random.Random, program: Program, run: Trace, x: int) -> tuple[str, Any] | None:
        lines = sorted(line for line in program.branches if any(i + 1 < len(run.events) for i in occurrences(run, line)))
        if not lines:
            return None
        line = rng.choice(lines)
        seen = [i for i in occurrences(run, line) if i + 1 < len(run.events)]
        k = rng.randint(1, min(len(seen), 5))
        first, last = program.branches[line]
        taken = first <= run.events[seen[k - 1] + 1][0] <= last
        return (f"During the call `f({x})`, the condition of the `if` on line {line} is checked {len(seen)} time(s). Is it "
                f"true the {ORDINALS[k]} time? Answer True or False."), taken
