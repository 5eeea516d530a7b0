"""code/input_prediction: give any input on which a generated program returns a stated value; the
answer is run through the program in the sandbox and the result compared here.
"""

from __future__ import annotations

import random
from typing import Any

from assay.generators.code._base import LEVELS, CodeConfig
from assay.generators.code._programs import Program, Trace, make_program, result_of
from assay.generators.code._reasoning import ReasoningTask
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.code import read_tests, verify_suite
from assay.verifiers.code.predict import parse_arguments, predicted_text
from assay.verifiers.code.values import from_python

MAX_ABS_INPUT = 10**12
HUGE_INPUT = 10**11 + 7
SEARCH = 40


@register_task
class InputPrediction(ReasoningTask):
    id = "code/input_prediction"
    version = 2  # 2: faster generation (sqrt divisor count reference / input search near x) changed the rows
    description = "Give any integer input on which a generated program returns a stated value (checked by running it)."
    levels = LEVELS
    answer_format = "an int literal x (or the call f(x)) inside <answer></answer>"
    verification = (
        "The answer is parsed as an argument list by an AST check and ast.literal_eval (never eval); it must be one "
        "int. The program then runs on it in the sandbox (0.5 s, 256 MiB) and its return value, sent back as tagged "
        "JSON, is compared type-strictly with the stated output. Any input that gives the output passes."
    )
    limitations = ("Inputs beyond +-10**12 are refused as out of range.",)
    timeout_s = 30.0

    def ask(self, rng: random.Random, program: Program, run: Trace, x: int) -> tuple[str, Any] | None:
        return None  # build is overridden: the question states an output, not an input

    def build(self, rng: random.Random, config: CodeConfig) -> Draft:
        for _ in range(200):
            program = make_program(rng, config.steps)
            x = rng.randint(-config.magnitude, config.magnitude)
            run = result_of(program, x)  # what trace(program, x, states=False) gives, far faster
            if run is None:
                continue
            (result,) = run
            others: list[int] = []
            for y in range(x - SEARCH, x + SEARCH + 1):  # other inputs with the same output, for the probes
                if y != x and len(others) < 2:
                    other = result_of(program, y)
                    if other is not None and type(other[0]) is type(result) and other[0] == result:
                        others.append(y)
            wrong = next((y for y in (x + 1, x - 1, x + 2, -x) if (t := result_of(program, y)) is not None and not (type(t[0]) is type(result) and t[0] == result)), None)
            prompt = (
                f"Consider this Python program:\n\n```python\n{program.source}```\n\nGive an integer `x` such that "
                f"`f(x) == {result!r}` (with the same type). Any such x is accepted. Answer with the integer. "
                f"{ANSWER_INSTRUCTION}"
            )
            far = result_of(program, HUGE_INPUT)  # None: too long to trace, so the sandbox's time limit refuses it
            far_passes = far is not None and type(far[0]) is type(result) and far[0] == result
            data = {"program": program.source, "expected": from_python(result), "others": others, "wrong": wrong,
                    "huge_input_passes": far_passes}
            return Draft(prompt=prompt, answer=str(x), data=data)
        raise AssertionError("unreachable: 200 programs without a trace")

    def check(self, problem: Problem, completion: str) -> Verdict:
        text = predicted_text(completion)
        if text is None or not text.strip():
            return Verdict.fail("no_answer", message="no <answer> block found")
        arguments = parse_arguments(text, "f")
        if arguments is None:
            return Verdict.fail("unparseable", message=f"not an argument literal: {text[:100]!r}")
        if len(arguments) != 1 or arguments[0][0] != "int":
            return Verdict.fail("invalid", message="the input must be one int")
        if len(arguments[0][1]) > 13:
            return Verdict.fail("invalid", message=f"inputs beyond +-{MAX_ABS_INPUT} are out of range")
        suite = read_tests({"entry_point": "f", "encoding": "tagged", "calls": [{"args": arguments, "expected": problem.data["expected"]}]})
        return verify_suite(problem.data["program"], suite, timeout_s=3.0, test_timeout_s=0.5, memory_mb=256)

    def probes(self, problem: Problem) -> list[Probe]:
        probes = [
            Probe(wrap(f"f({problem.answer})"), True, "the reference as a call"),
            Probe(wrap(repr(str(problem.answer))), False, "the input as a str"),
            Probe(wrap(f"{problem.answer}.0"), False, "a float input"),
            Probe(wrap("__import__('os')._exit(0)"), False, "code instead of a literal"),
            Probe(wrap(f"{problem.answer}, {problem.answer}"), False, "two arguments"),
            Probe(wrap("10**100"), False, "an expression, not a literal"),
        ]
        if not problem.data["huge_input_passes"]:
            probes.append(Probe(wrap(str(HUGE_INPUT)), False, "a huge input the program runs too long on or maps elsewhere"))
        probes += [Probe(wrap(str(y)), True, "another input with the same output") for y in problem.data["others"]]
        if problem.data["wrong"] is not None:
            probes.append(Probe(wrap(str(problem.data["wrong"])), False, "an input with another output"))
        return probes
