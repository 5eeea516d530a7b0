"""Fast code generation keeps the rules: the counted mutant runs agree with the exact tracer rule
(events over all tests within STEP_BUDGET) on loops, comprehensions, lambdas, generators, recursion,
caught exceptions and runs near the budget. (That the rows themselves are unchanged is
tests/test_registry.py's test_generation_is_versioned, against data_cards/fingerprints.json.)
"""

from __future__ import annotations

import ast
import copy
import sys

import pytest

from assay.generators.code import _mutate
from assay.generators.code._mutate import STEP_BUDGET, fresh_inputs, run_bounded
from assay.verifiers.code.values import from_python


def events(source: str, entry: str, inputs: list[tuple]) -> int:
    """Every trace event the exact rule counts, with no budget."""
    namespace: dict = {}
    exec(compile(source, "<mutant>", "exec"), namespace)  # noqa: S102 - the test's own sources
    count = [0]

    def tracer(frame, event, arg):
        count[0] += 1
        return tracer

    sys.settrace(tracer)
    try:
        for args in inputs:
            try:
                from_python(namespace[entry](*copy.deepcopy(args)))
            except Exception:  # noqa: BLE001, S110 - an output like any other here
                pass
    finally:
        sys.settrace(None)
    return count[0]


def ticks(source: str, entry: str, inputs: list[tuple]) -> int:
    tree = _mutate._instrument(ast.parse(source))
    namespace = _mutate._load(compile(tree, "<mutant>", "exec"))
    counted: list[int] = []
    namespace.update(_assay_tick=counted.append, _assay_count=counted.__len__, _assay_limit=10**12)
    for args in fresh_inputs(inputs):
        try:
            namespace[entry](*args)
        except Exception:  # noqa: BLE001, S110 - as above
            pass
    return len(counted)


LOOP = "def f(n):\n    total = 0\n    while n > 0:\n        total += n\n        n -= 1\n    return total\n"
SOURCES = [
    # (source, entry, inputs, why)
    (LOOP, "f", [(3,), (0,)], "a while loop"),
    ("def f(xs):\n    return sorted(xs, key=lambda x: -x)\n", "f", [([3, 1, 2],)], "a lambda per element"),
    ("def f(xs):\n    return sum(1 for x in xs if x > 1)\n", "f", [([3, 1, 2, 5],)], "a generator expression"),
    ("def f(xs):\n    return {x: [y for y in range(x)] for x in xs}\n", "f", [([3, 1, 2],)], "nested comprehensions"),
    ("def g(n):\n    return 0 if n <= 0 else 1 + g(n - 1)\n\ndef f(n):\n    return g(n)\n", "f", [(30,), (-1,)], "recursion"),
    ("def f(n):\n    for i in range(n):\n        if i == 3: break\n        else: continue\n    return n\n", "f", [(6,)], "one-line bodies"),
    ("def f(s):\n    try:\n        return int(s)\n    except ValueError:\n        return -1\n", "f", [("12",), ("x",)], "a caught exception"),
    ("def f(n):\n    return 10 // n\n", "f", [(0,), (5,)], "a raised exception"),
    ("def f(n):\n    while True:\n        n += 1\n        if n > 5:\n            return n\n", "f", [(0,)], "while True"),
]


@pytest.mark.parametrize(("source", "entry", "inputs", "why"), SOURCES, ids=[s[3] for s in SOURCES])
def test_ticks_never_exceed_the_events_the_tracer_counts(source, entry, inputs, why):
    assert 0 < ticks(source, entry, inputs) <= events(source, entry, inputs), why
    assert run_bounded(source, entry, inputs) == _mutate._traced(source, entry, inputs), why


@pytest.mark.parametrize("n", [STEP_BUDGET // 3 - 200, STEP_BUDGET // 3 + 200, STEP_BUDGET // 7, 10**9])
def test_runs_near_the_budget_get_the_tracer_verdict(n):
    # about 3 events an iteration: the first two straddle the budget (the counted run alone cannot
    # tell, so the tracer decides), the third is well inside it, the last never ends
    exact = _mutate._traced(LOOP, "f", [(n,)])
    assert run_bounded(LOOP, "f", [(n,)]) == exact
    assert (exact is None) == (events(LOOP, "f", [(n,)]) > STEP_BUDGET if n < 10**6 else True)


def test_a_mutant_that_swallows_the_budget_stop_is_still_dropped():
    source = "def f(n):\n    while True:\n        try:\n            n += 1\n        except Exception:\n            pass\n"
    assert run_bounded(source, "f", [(0,)]) is None


def test_counted_steps_drop_a_mutant_that_grows_its_integer_without_end():
    # the Collatz step mutated to 3n + 2: with ``steps`` it stops after max(steps, 4 x the reference's) ticks
    import random

    from assay.generators.code._mutate import mutants

    source = "def f(n):\n    steps = 0\n    while n > 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps\n"
    inputs = [(6,), (7,), (27,), (1,)]
    reference, kept = mutants(source, "f", inputs, random.Random(0), limit=30, steps=200)
    assert reference == [["int", "8"], ["int", "16"], ["int", "111"], ["int", "0"]]
    assert kept and all("3 * n + 2" not in m.source for m in kept)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_program_ticks_equal_the_line_events_and_result_of_agrees_with_the_tracer(level):
    # result_of (input_prediction's fast path) rests on one tick per line event of f: checked on
    # generated programs, and its answers against trace(states=False), near and past MAX_EVENTS too
    import random

    from assay.generators.code import _programs

    rng = random.Random(level)
    for _ in range(25):
        program = _programs.make_program(rng, level)
        code = _programs._counting(program.source)
        assert code is not None, program.source
        for x in [rng.randint(-1000, 1000), rng.randint(-20, 20)]:
            counted = [0]

            def tick(counted=counted):
                counted[0] += 1

            namespace = {"_tick": tick}
            exec(code, namespace)  # noqa: S102 - Assay's own generated program
            run = _programs.trace(program, x, states=False)
            try:
                namespace["f"](x)
            except ArithmeticError:
                assert run is None
                continue
            if run is not None:
                assert counted[0] == len(run.events), program.source
        for x in (rng.randint(-50, 50), _programs.MAX_EVENTS * 3, 10**11 + 7):
            run = _programs.trace(program, x, states=False)
            fast = _programs.result_of(program, x)
            assert (fast is None) == (run is None), program.source
            if run is not None:
                assert type(fast[0]) is type(run.result) and repr(fast[0]) == repr(run.result)


def test_the_mutant_schema_runs_each_mutant_as_its_own_compile_does():
    # one program holding every mutant (_schema) against one compile per mutant: the same outputs,
    # finality and ticks for every site, with and without a tick allowance
    import random

    from assay.generators.code._base import LEVELS
    from assay.generators.code._lists import ListPipeline
    from assay.generators.code._simulation import Simulation
    from assay.generators.code._strings import StringPipeline

    cases = [(source, entry, inputs) for source, entry, inputs, _ in SOURCES if "while" not in source]
    rng = random.Random(3)
    for family in (ListPipeline, StringPipeline, Simulation):
        for _ in range(3):
            spec = family().make_spec(rng, LEVELS[3])
            cases.append((spec.source, spec.entry, spec.inputs))
    schemas = 0
    for source, entry, inputs in cases:
        one, each = _mutate._Analysis(source, entry), _mutate._Analysis(source, entry, schema=False)
        schemas += one.schema
        copies = _mutate._copies(inputs)
        assert _mutate._counted(one.reference, entry, inputs, copies) == _mutate._counted(each.reference, entry, inputs, copies)
        for index in range(len(one.found)):
            (why, code, selector), (why_each, code_each, selector_each) = one.code(index), each.code(index)
            assert why == why_each
            for allowed in (None, 40):
                assert _mutate._counted(code, entry, inputs, copies, allowed, selector=selector) == _mutate._counted(
                    code_each, entry, inputs, copies, allowed, selector=selector_each), (source, index)
    assert schemas >= len(cases) - 2


def test_a_reference_text_is_kept_from_its_second_draw_and_gives_the_same_mutants():
    import random

    from assay.generators.code._mutate import mutants

    source, inputs = "def f(xs):\n    return [x * 3 for x in xs if x > 1]\n", [([],), ([1, 2, 3],), ([5, 0],)]
    _mutate._analysis.cache_clear()
    drawn = [mutants(source, "f", inputs, random.Random(7)) for _ in range(3)]
    assert (source, "f") in _mutate._analysis.kept and len(_mutate._analysis.kept) == 1
    assert drawn[0] == drawn[1] == drawn[2] and drawn[0][1]
    _mutate._analysis.cache_clear()
