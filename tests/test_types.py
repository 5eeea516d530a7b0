"""Problem and Verdict: ids, row round trips, validation."""

from __future__ import annotations

import json

import pytest

from assay import DatasetError, Problem, Verdict
from assay.types import content_id


def make() -> Problem:
    return Problem.create("math/arithmetic", "What is 1/2 + 1/2?", "1", {"gold": "1", "nested": {"b": [1, 2], "a": None}}, {"difficulty": 2})


def test_id_is_content_hash_of_task_prompt_and_payload():
    problem = make()
    assert problem.id == content_id(problem.task, problem.prompt, problem.data)
    assert Problem.create(problem.task, problem.prompt, "2", problem.data, {}).id == problem.id  # answer/meta excluded
    assert Problem.create(problem.task, problem.prompt + " ", "1", problem.data, {}).id != problem.id
    assert Problem.create(problem.task, problem.prompt, "1", {**problem.data, "gold": "2"}, {}).id != problem.id


def test_row_is_flat_strings_and_round_trips():
    problem = make()
    row = problem.to_row()
    assert set(row) == {"id", "task", "prompt", "answer", "data", "meta"}
    assert all(isinstance(v, str) for v in row.values())
    assert Problem.from_row(row) == problem
    assert Problem.from_row(json.dumps(row)) == problem
    assert Problem.from_row({**row, "data": problem.data, "extra": 1}) == problem


def test_tuples_normalise_to_lists_so_ids_survive_json():
    a = Problem.create("t/x", "p", "a", {"edges": [(1, 2)]}, {})
    assert a.data == {"edges": [[1, 2]]}
    assert Problem.from_row(json.loads(json.dumps(a.to_row()))) == a


@pytest.mark.parametrize(
    "row, message",
    [
        ({"task": "t/x", "prompt": "p", "answer": "a"}, "lacks data"),
        ({"task": "t/x", "prompt": "p", "answer": "a", "data": "{not json"}, "not valid JSON"),
        ({"task": "t/x", "prompt": "p", "answer": "a", "data": "[1, 2]"}, "must be a JSON object"),
        ("[[[", "not valid JSON"),
        (42, "must be a mapping"),
    ],
)
def test_malformed_rows_raise_dataset_error(row, message):
    with pytest.raises(DatasetError, match=message):
        Problem.from_row(row)


def test_nan_payload_is_refused():
    with pytest.raises(ValueError):
        Problem.create("t/x", "p", "a", {"x": float("nan")}, {})


@pytest.mark.parametrize(
    "args, error",
    [
        ((1.5, False, "x"), ValueError),
        ((-0.1, False, "x"), ValueError),
        ((float("nan"), False, "x"), ValueError),
        ((0.5, True, "correct"), ValueError),  # passed must mean full marks
        ((True, True, "correct"), TypeError),
        (("1", True, "correct"), TypeError),
        ((0.0, False, ""), ValueError),
    ],
)
def test_verdict_validation(args, error):
    with pytest.raises(error):
        Verdict(*args)


def test_verdict_dict_round_trip():
    verdict = Verdict.fail("wrong_answer", 0.25, message="m", components={"a": 0.25})
    assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict
    assert Verdict(1, True, "correct").score == 1.0 and isinstance(Verdict(1, True, "correct").score, float)
