"""code/bug_fix: a reference function with one seeded bug (a mutated constant, comparison, operator,
type or edge case) and a description of what it should do; the fix must pass the hidden tests.
"""

from __future__ import annotations

import random
from typing import Any

from assay.errors import ConfigError
from assay.generators.code._base import (
    CODE_INSTRUCTION,
    CodeConfig,
    FunctionTask,
    Spec,
    call_tests,
    example_lines,
    run_reference,
)
from assay.generators.code._lists import ListPipeline
from assay.generators.code._mutate import wrong_versions
from assay.generators.code._numbers import NumberFunctions
from assay.generators.code._parsing import Parsing
from assay.generators.code._simulation import Simulation
from assay.generators.code._strings import StringPipeline
from assay.registry import Draft, register_task

SOURCES = (ListPipeline, StringPipeline, NumberFunctions, Parsing, Simulation)


@register_task
class BugFix(FunctionTask):
    id = "code/bug_fix"
    description = "Fix a function that has one seeded bug; the fix must pass hidden tests written from the reference."
    version = 2  # 2: mutants run within counted steps (a Collatz mutant growing its integer took 60 ms a run)
    mutant_steps = 5_000

    def build(self, rng: random.Random, config: CodeConfig) -> Draft:
        for _ in range(20):
            spec: Spec = rng.choice(SOURCES)().make_spec(rng, config)
            outputs: list[Any] = []  # the reference's return values, from the mutants' reference run
            bugs = wrong_versions(spec.source, spec.entry, spec.inputs, rng, limit=4, visible=0, steps=self.mutant_steps,
                                  outputs=outputs)
            if bugs:
                break
        else:
            raise ConfigError("config", "no seeded bug changed the tests' outcome in 20 tries", config.to_dict())
        bug, others = bugs[0], bugs[1:]
        if len(outputs) != len(spec.inputs):  # it raised: run_reference says so
            outputs = run_reference(spec.source, spec.entry, spec.inputs)
        tests = call_tests(spec, outputs)
        examples = "\n".join(example_lines(spec, config.examples, outputs))
        prompt = (
            f"The function below should do the following.\n\n{spec.description}\n\nBut it has a bug:\n\n```python\n{bug['source']}\n```\n\n"
            + (f"Correct behaviour on some inputs:\n{examples}\n\n" if examples else "")
            + f"Write the corrected function `{spec.signature}` (the whole definition). Hidden tests include edge cases. "
            + CODE_INSTRUCTION
        )
        wrong = [{"source": bug["source"], "why": "the buggy version unchanged"}] + others[:2]
        data = {"tests": tests, "entry_point": spec.entry, "alternative": spec.alternative, "wrong": wrong, "bug": bug["why"]}
        return Draft(prompt=prompt, answer=spec.source, data=data)
