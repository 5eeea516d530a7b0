"""code/next_line: which line of f runs right after a given line runs for the k-th time."""

from __future__ import annotations

import random
from typing import Any

from assay.generators.code._programs import Program, Trace, occurrences
from assay.generators.code._reasoning import ORDINALS, ReasoningTask
from assay.registry import register_task


@register_task
class NextLine(ReasoningTask):
    id = "code/next_line"
    description = "Say which line of a generated program runs next after a given line runs for the k-th time."

    def ask(self, rng: random.Random, program: Program, run: Trace, x: int) -> tuple[str, Any] | None:
        candidates = sorted({line for line, _ in run.events[:-1] if line in program.loops or line in program.branches}) \
            or sorted({line for line, _ in run.events[:-1]})
        if not candidates:
            return None
        line = rng.choice(candidates)
        seen = [i for i in occurrences(run, line) if i + 1 < len(run.events)]
        if not seen:
            return None
        k = rng.randint(1, min(len(seen), 5))
        following = run.events[seen[k - 1] + 1][0]
        return (f"During the call `f({x})`, right after line {line} runs for the {ORDINALS[k]} time, which line of `f` runs "
                "next? (A loop header line runs each time its condition or next item is checked; `else:` lines never run "
                "themselves.) Answer with the line number as an int."), following
