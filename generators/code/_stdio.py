"""Shared by the stdin/stdout tasks: a function reference wrapped in a main program, expected stdout
computed from the function, and the task class that checks with stdio tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from assay.generators.code._base import (
    CODE_INSTRUCTION,
    LEVELS,
    PASS_FRACTION_NOTE,
    CodeConfig,
    check_code,
    code_probes,
    run_reference,
)
from assay.generators.code._mutate import mutants
from assay.registry import Draft, Probe, Task
from assay.types import Problem, Verdict
from assay.verifiers.code.values import to_python


class StdioTask(Task[CodeConfig]):
    """Competitive-programming format: subclasses give ``make(rng, config)`` -> (statement,
    function source, alternative function source, main program text, inputs, render) where
    ``render(args)`` is the stdin of one test and ``show(output)`` its expected stdout."""

    version = 1
    levels = LEVELS
    # every problem draws fresh random data (a schema's rows, a program, a file tree): no level runs
    # out, and probing that with hundreds of draws of a slow generator would cost minutes
    capacity: ClassVar[Mapping[int, int | None]] = {level: None for level in LEVELS}
    Config = CodeConfig
    timeout_s = 40.0
    answer_format = "a complete Python program reading stdin and writing stdout, in <answer></answer> or a ```python block"
    verification = (
        "The program runs once per hidden test in the sandbox (one warm run for the whole set; each test a forked "
        "worker with its own stdin); its stdout is compared line by line (trailing spaces and blank lines ignored) "
        "with the reference's. A test has 0.5 s, the set 8 s; a non-zero exit fails the test."
    )
    limitations = ("Output format is strict up to trailing whitespace: '1, 2' is not '1 2'.", PASS_FRACTION_NOTE)

    def make(self, rng: random.Random, config: CodeConfig) -> tuple[str, str, str, str, list[tuple], Callable[[tuple], str], Callable[[Any], str]]:
        raise NotImplementedError


    def build(self, rng: random.Random, config: CodeConfig) -> Draft:
        statement, function, alternative, main, inputs, render, show = self.make(rng, config)
        outputs: list[Any] = []  # the reference's return values, from the mutants' reference run
        found = mutants(function, "solve", inputs, rng, limit=5, outputs=outputs)[1]
        if len(outputs) != len(inputs):  # it raised: run_reference says so
            outputs = run_reference(function, "solve", inputs)
        cases = [{"stdin": render(args), "stdout": show(out)} for args, out in zip(inputs, outputs, strict=True)]
        examples = "\n\n".join(f"Input:\n{c['stdin']}Output:\n{c['stdout']}" for c in cases[-config.examples:]) if config.examples else ""
        prompt = (
            f"Write a complete Python program that reads standard input and writes standard output.\n\n{statement}\n\n"
            + (f"Examples:\n\n{examples}\n" if examples else "")
            + "Hidden tests include edge cases. " + CODE_INSTRUCTION
        )
        wrong = []
        for item in found:
            printed = item.outputs
            if any(o[0] == "opaque" or show(to_python(o)) != c["stdout"] for o, c in zip(printed, cases, strict=True)):
                wrong.append({"source": item.source + main, "why": item.why})  # it prints something else too
        wrong = wrong[:3]
        data = {"tests": {"stdio": cases, "compare": "lines", "test_timeout_s": 0.5}, "alternative": alternative + main, "wrong": wrong}
        return Draft(prompt=prompt, answer=function + main, data=data)

    def check(self, problem: Problem, completion: str) -> Verdict:
        return check_code(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        return code_probes(problem, "solve", stdio=True)
