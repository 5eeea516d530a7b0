"""Code task generators: configs, hidden tests with edge cases, expected outputs kept out of the
sandbox request, seeded bugs that the tests catch, and execution-reasoning answers of the right type.
"""

from __future__ import annotations

import json

import pytest

import assay
from assay.errors import ConfigError
from assay.generators.code._base import CodeConfig
from assay.generators.code._mutate import run_bounded, wrong_versions
from assay.verifiers.code import read_tests
from assay.verifiers.code.execution import build_request
from assay.verifiers.code.values import to_python

CODE_TASKS = assay.list_tasks("code")
FUNCTION_TASKS = ["code/list_pipeline", "code/string_pipeline", "code/number_functions", "code/record_aggregation",
                  "code/intervals", "code/parsing", "code/simulation", "code/bug_fix"]
REASONING = {"code/output_prediction": None, "code/variable_state": None, "code/loop_iterations": int,
             "code/next_line": int, "code/branch_taken": bool}


def test_there_are_at_least_fifteen_code_task_families():
    assert len(CODE_TASKS) >= 15


@pytest.mark.parametrize(("field", "value"), [("steps", 0), ("size", 0), ("magnitude", 1), ("tests", 2), ("examples", 11)])
def test_config_is_validated(field, value):
    with pytest.raises(ConfigError) as raised:
        CodeConfig(**{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize("task_id", FUNCTION_TASKS)
def test_hidden_tests_hold_edge_cases_and_never_reach_the_sandbox(task_id):
    problem = assay.get_task(task_id).generate(3, difficulty=2)
    tests = problem.data["tests"]
    assert len(tests["calls"]) == 12
    first_args = [to_python(call["args"][0]) for call in tests["calls"]]
    assert any(arg in ([], "", 0) for arg in first_args), "an empty or zero edge case"
    request = json.dumps(build_request(problem.answer, read_tests(tests), total_s=5, test_s=1, stop_on_failure=True))
    assert "expected" not in request
    for call in tests["calls"]:
        if call["expected"][0] == "str" and len(call["expected"][1]) > 3:
            assert json.dumps(call["expected"][1]) not in request.replace(json.dumps(problem.answer), "")


@pytest.mark.parametrize("task_id", ["code/stdio_lists", "code/stdio_strings"])
def test_stdio_tasks_keep_expected_stdout_out_of_the_request(task_id):
    problem = assay.get_task(task_id).generate(4, difficulty=1)
    suite = read_tests(problem.data["tests"])
    request = build_request(problem.answer, suite, total_s=5, test_s=1, stop_on_failure=True)
    assert "stdout" not in json.dumps(request) and len(request["stdins"]) == 10


def test_bug_fix_shows_a_bug_the_tests_catch():
    problem = assay.get_task("code/bug_fix").generate(11, difficulty=1)
    bug = problem.data["wrong"][0]["source"]
    assert bug in problem.prompt and problem.answer not in problem.prompt
    assert not assay.verify(problem, f"```python\n{bug}\n```").passed
    assert assay.verify(problem, f"```python\n{problem.answer}\n```").passed


def test_mutants_differ_from_the_reference_on_some_test_and_are_deterministic():
    source = "def f(xs):\n    return [x for x in xs if x > 2]\n"
    inputs = [([],), ([1, 2, 3],), ([5, 2],), ([3],)]
    import random

    first = wrong_versions(source, "f", inputs, random.Random(1), limit=5)
    assert first == wrong_versions(source, "f", inputs, random.Random(1), limit=5)
    reference = run_bounded(source, "f", inputs)
    for mutant in first:
        assert run_bounded(mutant["source"], "f", inputs) != reference, mutant


def test_a_looping_mutant_is_dropped_not_waited_on():
    assert run_bounded("def f(n):\n    while n > 0:\n        n += 1\n    return n\n", "f", [(1,)]) is None


@pytest.mark.parametrize("task_id", sorted(REASONING))
def test_reasoning_answers_have_the_asked_type(task_id):
    for seed in range(4):
        problem = assay.get_task(task_id).generate(seed)
        value = to_python(problem.data["expected"])
        if REASONING[task_id] is not None:
            assert type(value) is REASONING[task_id]
        assert repr(value) == problem.answer
        assert f"f({problem.data['input']})" in problem.prompt


def test_input_prediction_accepts_any_input_with_the_output():
    problem = assay.get_task("code/input_prediction").generate(2, difficulty=1)
    for other in problem.data["others"]:
        assert assay.verify(problem, f"<answer>{other}</answer>").passed
    assert assay.verify(problem, f"<answer>f({problem.answer})</answer>").passed
    assert assay.verify(problem, "<answer>'7'</answer>").reason == "invalid"
