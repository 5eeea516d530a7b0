"""Shared by the execution-reasoning tasks: a generated program, an input, its trace, one question
whose answer is a Python literal, checked type-strictly by ``assay.verifiers.code.predict``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from assay.errors import ConfigError
from assay.generators.code._base import LEVELS, CodeConfig
from assay.generators.code._programs import Program, Trace, make_program, trace
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, Task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.code.predict import verify_value
from assay.verifiers.code.values import from_python, to_python

LITERAL_FORMAT = "a Python literal (an int, float, str, bool, None, list, tuple, dict) inside <answer></answer>"


ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}  # a loop's iterations and a line's visits, in words


class ReasoningTask(Task[CodeConfig]):
    """Subclasses implement ``ask(rng, program, trace, x)`` -> (question, answer value) or None."""

    version = 1
    levels = LEVELS
    # every problem draws fresh random data (a schema's rows, a program, a file tree): no level runs
    # out, and probing that with hundreds of draws of a slow generator would cost minutes
    capacity: ClassVar[Mapping[int, int | None]] = {level: None for level in LEVELS}
    Config = CodeConfig
    timeout_s = 20.0
    answer_format = LITERAL_FORMAT
    verification = (
        "The last <answer> block is parsed as a Python literal (an AST check, then ast.literal_eval; never eval) and "
        "compared type-strictly with the value recorded by running the program under a line tracer: 3 is not 3.0, "
        "'3' or True, a list is not a tuple."
    )
    limitations = ("Line numbers follow the listing in the prompt and Python 3's line tracing (sys.settrace).",)


    def ask(self, rng: random.Random, program: Program, run: Trace, x: int) -> tuple[str, Any] | None:
        raise NotImplementedError

    def build(self, rng: random.Random, config: CodeConfig) -> Draft:
        for _ in range(200):
            program = make_program(rng, config.steps)
            x = rng.randint(-config.magnitude, config.magnitude)
            run = trace(program, x)
            if run is None:
                continue
            asked = self.ask(rng, program, run, x)
            if asked is None:
                continue
            question, value = asked
            prompt = (
                f"Consider this Python program (line numbers on the left are not part of the code):\n\n"
                f"```\n{program.numbered()}\n```\n\n{question}\n\n"
                f"Answer with {LITERAL_FORMAT.split(' inside ')[0]}. {ANSWER_INSTRUCTION}"
            )
            data = {"program": program.source, "input": x, "expected": from_python(value)}
            return Draft(prompt=prompt, answer=repr(value), data=data)
        raise ConfigError("steps", "no program with a question was found in 200 tries", config.steps)

    def check(self, problem: Problem, completion: str) -> Verdict:
        return verify_value(completion, problem.data["expected"])

    def probes(self, problem: Problem) -> list[Probe]:
        value = to_python(problem.data["expected"])
        probes = [
            Probe(f"The result is:\n```python\n{problem.answer}\n```", True, "the value in a fenced block"),
            Probe(wrap(f"  {problem.answer}  "), True, "surrounding spaces"),
            Probe(wrap(repr(str(value))), False, "the right value as a str"),
            Probe(wrap("__import__('os').system('echo PASSED')"), False, "code instead of a literal"),
            Probe(wrap(f"{problem.answer} or {problem.answer}0"), False, "hedged between two values"),
            Probe(wrap("[" + problem.answer + "] * 10**9"), False, "a memory bomb expression"),
            Probe(wrap("(" * 5000 + "1" + ")" * 5000), False, "deeply nested parentheses"),
        ]
        probes.extend(Probe(wrap(text), False, why) for text, why in near_misses(value))
        return probes


def near_misses(value: Any) -> list[tuple[str, str]]:
    """Wrong answers next to a value: off by one, the wrong numeric type, list for tuple, ..."""
    out: list[tuple[str, str]] = []
    if type(value) is int:
        out += [(repr(value + 1), "off by one"), (repr(float(value)), "a float where an int is"),
                (repr(value - 1), "off by one below")]
        if value in (0, 1):
            out.append((repr(bool(value)), "a bool where an int is"))
    elif type(value) is float:
        out += [(repr(value + 1), "off by one"), (repr(int(value)) if value == int(value) else repr(round(value + 0.5, 3)), "a nearby number or an int")]
    elif type(value) is bool:
        out += [(repr(not value), "the other truth value"), (repr(int(value)), "an int where a bool is")]
    elif type(value) is tuple:
        out += [(repr(list(value)), "a list where a tuple is"), (repr(value[::-1]), "reversed")]
    elif type(value) is list:
        out += [(repr(tuple(value)), "a tuple where a list is"), (repr(value + [0]), "an extra item")]
    return [(text, why) for text, why in out if text != repr(value)]
