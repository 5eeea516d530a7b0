"""verify and verify_batch: order, any worker count, bad problems, bad and huge completions.

Hung, crashing and hoarding verifiers in the process pool: tests/executors/test_pool.py."""

from __future__ import annotations

import pytest

import assay
from assay import ConfigError, TaskNotFound, Verdict, verify, verify_batch
from assay.scoring import MAX_COMPLETION_CHARS


@pytest.fixture(scope="module")
def arithmetic():
    return assay.generate("math/arithmetic", 40, seed=7)


def answers(problems):
    return [f"<answer>{p.answer}</answer>" for p in problems]


def test_results_in_input_order_for_any_worker_count(arithmetic):
    completions = [c if i % 3 else "<answer>999999</answer>" for i, c in enumerate(answers(arithmetic))]
    expected = [verify(p, c) for p, c in zip(arithmetic, completions)]
    for workers in (1, 2, 3):
        assert verify_batch(arithmetic, completions, workers=workers) == expected
    assert verify_batch(arithmetic, completions, executor="inline") == expected
    assert [v.passed for v in expected] == [bool(i % 3) for i in range(len(arithmetic))]


def test_rows_and_problems_mix(arithmetic):
    rows = [p.to_row() if i % 2 else p for i, p in enumerate(arithmetic)]
    assert all(v.passed for v in verify_batch(rows, answers(arithmetic)))


def test_empty_batch():
    assert verify_batch([], []) == []


@pytest.mark.parametrize(
    "completion, reason",
    [
        (None, "invalid_completion"),
        (b"<answer>1</answer>", "invalid_completion"),
        (42, "invalid_completion"),
        (["<answer>1</answer>"], "invalid_completion"),
        ("x" * (MAX_COMPLETION_CHARS + 1), "too_long"),
        ("<answer>" + "9" * 10_000_000 + "</answer>", "too_long"),
    ],
    ids=["none", "bytes", "int", "list", "over cap", "10MB answer"],
)
def test_bad_completions_get_verdicts_in_batch(arithmetic, completion, reason):
    verdicts = verify_batch([arithmetic[0], arithmetic[1]], [completion, answers(arithmetic)[1]])
    assert verdicts[0].reason == reason and verdicts[0].score == 0.0
    assert verdicts[1].passed


def test_binary_junk_and_large_text_score_zero(arithmetic):
    junk = bytes(range(256)).decode("latin-1") * 8000  # 2 MB of every byte value
    big = "reasoning " * 350_000 + "<answer>nonsense</answer>"
    verdicts = verify_batch(arithmetic[:2], [junk, big])
    assert [v.reason for v in verdicts] == ["no_answer", "unparseable"]


def test_bad_problems_get_verdicts_in_batch(arithmetic):
    row = arithmetic[0].to_row()
    problems = [{**row, "data": "{broken"}, {**row, "task": "math/nonexistent"}, "not a row", row]
    verdicts = verify_batch(problems, answers(arithmetic[:1]) * 4)
    assert [v.reason for v in verdicts] == ["invalid_problem", "unknown_task", "invalid_problem", "correct"]


def test_single_verify_raises_for_caller_bugs(arithmetic):
    with pytest.raises(TypeError, match="completion must be a str"):
        verify(arithmetic[0], None)  # type: ignore[arg-type]
    with pytest.raises(TaskNotFound, match="did you mean"):
        verify({**arithmetic[0].to_row(), "task": "math/arithmetc"}, "x")
    assert verify(arithmetic[0], "x" * (MAX_COMPLETION_CHARS + 1)).reason == "too_long"


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"workers": 0}, ConfigError),
        ({"workers": True}, ConfigError),
        ({"timeout_s": 0}, ConfigError),
        ({"executor": "threads"}, ConfigError),
    ],
)
def test_bad_batch_arguments(arithmetic, kwargs, error):
    with pytest.raises(error):
        verify_batch(arithmetic[:1], answers(arithmetic[:1]), **kwargs)


def test_mismatched_lengths_and_wrong_containers(arithmetic):
    with pytest.raises(ValueError, match="2 problems but 1 completions"):
        verify_batch(arithmetic[:2], ["x"])
    with pytest.raises(TypeError):
        verify_batch(arithmetic[0].to_row(), "x")  # type: ignore[arg-type]


def test_generate_is_deterministic_and_validated():
    assert assay.generate("math/arithmetic", 5, seed=3) == assay.generate("math/arithmetic", 5, seed=3)
    assert assay.generate("math/arithmetic", 5, seed=3) != assay.generate("math/arithmetic", 5, seed=4)
    # item i of seed s is not item i-1 of seed s+1 (no seed + index streams)
    assert assay.generate("math/arithmetic", 3, seed=1)[1:] != assay.generate("math/arithmetic", 3, seed=2)[:2]
    assert {p.meta["difficulty"] for p in assay.generate("math/arithmetic", 5, seed=0, difficulty=4)} == {4}
    with pytest.raises(ConfigError, match="operands"):
        assay.generate("math/arithmetic", 1, operands=1)
    with pytest.raises(ConfigError, match="did you mean 'operands'"):
        assay.generate("math/arithmetic", 1, operand=3)
    with pytest.raises(ConfigError, match="difficulty"):
        assay.generate("math/arithmetic", 1, difficulty=9)
    with pytest.raises(ConfigError, match="n"):
        assay.generate("math/arithmetic", -1)


def test_verdict_is_a_verdict(arithmetic):
    assert isinstance(verify(arithmetic[0], answers(arithmetic)[0]), Verdict)
