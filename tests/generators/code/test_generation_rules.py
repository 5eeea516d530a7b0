"""Fast code generation keeps the rows and the rules: golden hashes of rows made before the speed-up,
and the counted mutant runs agree with the exact tracer rule (events over all tests within
STEP_BUDGET) on loops, comprehensions, lambdas, generators, recursion, caught exceptions and runs
near the budget.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import sys

import pytest

import assay
from assay.generators.code import _mutate
from assay.generators.code._mutate import STEP_BUDGET, fresh_inputs, run_bounded
from assay.verifiers.code.values import from_python

# sha256 (first 20 hex digits) of the rows of seeds 0, 1 and 2, made by the code before the
# generation speed-up (main at 6af8edb), but for the two tasks whose version the speed-up bumped:
# any change of a row must come with a version bump.
GOLDEN = {
    "code/branch_taken": "9a99c6042301b37f6910",
    "code/bug_fix": "86e8c9b7b94578b5166d",  # version 2: counted mutant steps (new rows)
    "code/input_prediction": "7319983339a4b6917f85",
    "code/intervals": "9b874ca7166d1d785beb",
    "code/list_pipeline": "c0bd4b09dc4b2727ea25",
    "code/loop_iterations": "4acf3bb39cf89b9de410",
    "code/next_line": "e5f8f8161b4125139756",
    "code/number_functions": "1f3314bead0f92cb726e",  # version 3: counted mutant steps (new rows)
    "code/output_prediction": "1f51a5a28a82a4a7d9ea",
    "code/parsing": "197d76ec5a08eb1bd4d5",
    "code/record_aggregation": "96c9fa5a9448a71c24a7",
    "code/simulation": "0649703f9011bc79a357",
    "code/stdio_lists": "ffd5c637fb25b5db7878",
    "code/stdio_strings": "ff7dd2bf88c4c2a0f632",
    "code/string_pipeline": "dc1014be333fb2cefdc0",
    "code/variable_state": "6f5ab60ef3b84089a4ff",
}


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="line tracing (and so some rows) differs across CPython versions")
@pytest.mark.parametrize("task_id", sorted(GOLDEN))
def test_rows_are_those_made_before_the_speed_up(task_id):
    task = assay.get_task(task_id)
    digest = hashlib.sha256()
    for seed in range(3):
        digest.update(json.dumps(task.generate(seed).to_row(), sort_keys=True).encode())
    assert digest.hexdigest()[:20] == GOLDEN[task_id]


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
