"""verify and verify_batch: order, parallelism, and survival of hung, crashing and huge inputs."""

from __future__ import annotations

import os
import time

import pytest

import assay
from assay import ConfigError, TaskNotFound, Verdict, verify, verify_batch
from assay.pool import WorkerPool
from assay.registry import register_task, unregister_task
from assay.scoring import MAX_COMPLETION_CHARS

from _hostile_tasks import HostileTask


@pytest.fixture(scope="module")
def arithmetic():
    return assay.generate("math/arithmetic", 40, seed=7)


@pytest.fixture
def hostile():
    register_task(HostileTask)
    try:
        yield HostileTask().generate(0)
    finally:
        unregister_task(HostileTask.id)


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


def test_hung_and_crashing_items_cost_one_verdict_each(hostile, arithmetic):
    plan = ["ok", "hang", "ok", "crash", "ok", "raise", "exit", "sleep", "ok", "nope"]
    problems = [hostile] * len(plan) + list(arithmetic[:10])
    completions = plan + answers(arithmetic[:10])
    verdicts = verify_batch(problems, completions, workers=2, timeout_s=1.0)
    reasons = [v.reason for v in verdicts[: len(plan)]]
    assert reasons == ["correct", "timeout", "correct", "verifier_error", "correct", "verifier_error",
                       "verifier_error", "timeout", "correct", "wrong_answer"]
    assert "deliberate bug" in verdicts[5].detail["message"]
    assert all(v.passed for v in verdicts[len(plan):])
    # the pool recovered: the next batch on the same pool works
    assert all(v.passed for v in verify_batch(arithmetic, answers(arithmetic), workers=2))


def test_memory_hog_costs_one_item_not_the_machine(hostile):
    verdicts = verify_batch([hostile] * 3, ["ok", "allocate", "ok"], workers=1, timeout_s=30)
    assert [v.reason for v in verdicts] == ["correct", "verifier_error", "correct"]
    assert "Cannot allocate memory" in verdicts[1].detail["message"]


def test_task_budget_applies_without_timeout_argument(hostile):
    start = time.monotonic()
    verdict = verify_batch([hostile], ["hang"], workers=1)[0]
    assert verdict.reason == "timeout" and verdict.detail["timeout_s"] == HostileTask.timeout_s
    assert time.monotonic() - start < 60  # killed, not waited out


def test_killed_worker_takes_its_children_along(hostile):
    pool = WorkerPool(1)
    try:
        verdicts = pool.run([hostile, hostile], ["orphan", "ok"], timeout_s=1.0)
        assert [v.reason for v in verdicts] == ["timeout", "correct"]
        worker_pid = pool._workers[0].process.pid
    finally:
        pool.close()
    # nothing from the killed worker's session survives
    time.sleep(0.2)
    leftovers = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[3]) != os.getpid() and int(fields[4]) == worker_pid:
                leftovers.append(entry)
    assert leftovers == []


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
