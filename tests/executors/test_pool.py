"""The process pool (``verify_batch(..., executor="process")``): a hung, crashing, raising or
memory-hoarding verifier costs its own item one Verdict, killed with everything it started."""

from __future__ import annotations

import dataclasses
import os
import time

import pytest
from _hostile_tasks import HostileTask

import assay
from assay import Problem, verify_batch
from assay.executors.pool import WorkerPool
from assay.registry import register_task, unregister_task


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


def test_chunks_come_back_in_input_order_with_shared_and_clashing_problems(arithmetic):
    # GRPO-like: several completions per problem, side by side and scattered; rows equal but not
    # the same object; and rows that reuse another problem's id with different data (an id alone
    # must never pick a problem a worker already holds)
    problems = [p for p in arithmetic for _ in range(4)] + list(reversed(arithmetic))
    problems += [Problem.from_row(p.to_row()) for p in arithmetic[:5]]
    completions = [[f"<answer>{p.answer}</answer>", "<answer>-1</answer>"][i % 2] for i, p in enumerate(problems)]
    impostors = [dataclasses.replace(p, data=q.data, answer=q.answer) for p, q in zip(arithmetic[:5], arithmetic[5:10])]
    problems += impostors
    completions += [f"<answer>{q.answer}</answer>" for q in impostors]
    expected = verify_batch(problems, completions, executor="inline")
    assert all(v.passed for v in expected[-5:])  # judged on their own data
    assert not any(verify_batch(arithmetic[:5], completions[-5:], executor="inline")[i].passed for i in range(5))
    pool = WorkerPool(2)
    try:
        for _ in range(2):  # the second batch on the same workers must not reuse the first one's problems
            assert pool.run(problems, completions, timeout_s=30) == expected
    finally:
        pool.close()


def test_a_hung_item_in_a_chunk_kills_only_its_own_worker(hostile, arithmetic):
    # one chunk per worker: the hang sits mid-chunk, after items the killed worker had already answered
    plan = ["ok"] * 10 + ["sleep"] + ["ok", "nope"] * 5
    problems = [hostile] * len(plan) + list(arithmetic)
    completions = plan + answers(arithmetic)
    pool = WorkerPool(2)
    try:
        pool.run(arithmetic[:4], answers(arithmetic[:4]), timeout_s=30)  # start both workers
        before = sorted(w.process.pid for w in pool._workers)
        start = time.monotonic()
        verdicts = pool.run(problems, completions, timeout_s=1.5)
        elapsed = time.monotonic() - start
        after = sorted(w.process.pid for w in pool._workers)
    finally:
        pool.close()
    assert [v.reason for v in verdicts[:len(plan)]] == ["correct"] * 10 + ["timeout"] + ["correct", "wrong_answer"] * 5
    assert verdicts[10].detail["timeout_s"] == 1.5
    assert all(v.passed for v in verdicts[len(plan):])
    assert len(set(before) & set(after)) == 1  # one worker replaced, the other kept
    assert elapsed < 20


def test_deadline_is_per_item_not_per_chunk(hostile):
    # forty items of 0.1 s each in one chunk take 4 s in all: none of them may time out at 1 s
    verdicts = verify_batch([hostile] * 40, ["nap"] * 40, workers=1, timeout_s=1.0)
    assert {v.reason for v in verdicts} == {"correct"}


def test_a_worker_is_ready_before_its_first_item(hostile):
    # the math verifier's sympy is imported at the worker's start, not inside an item's deadline, and
    # the start-up heap is frozen out of the collector's way
    pool = WorkerPool(1)
    try:
        verdict = pool.run([hostile], ["inspect"], timeout_s=30)[0]
    finally:
        pool.close()
    assert verdict.detail["sympy"] is True
    assert verdict.detail["frozen"] > 10_000


def test_chunks_shrink_towards_the_end_and_cover_every_item_once(arithmetic):
    # cut as workers ask: a few milliseconds of work each once items are timed, never more than a
    # share of what is left, so the last chunks are small and no worker idles at the end
    from assay.executors.pool import MAX_CHUNK, _Batch

    problems = [arithmetic[i % len(arithmetic)] for i in range(1000)]
    batch = _Batch(1, problems, ["x"] * len(problems), [1.0] * len(problems), workers=2, item_s=0.0)
    first = batch.next_chunk()
    assert len(first) <= 8  # nothing timed yet
    batch.timed(len(first), 0.00025 * len(first))
    chunks = [first]
    while batch.pending():
        left = len(batch.order) - batch.cursor
        chunk = batch.next_chunk()
        assert len(chunk) <= max(16, -(-left // 4))  # 16 items: the smallest chunk at 0.25 ms per item
        chunks.append(chunk)
    sizes = [len(c) for c in chunks]
    assert sorted(i for c in chunks for i in c) == list(range(len(problems)))
    assert max(sizes) == MAX_CHUNK and sizes[-1] < 20 and len(chunks) < 40


def test_a_chunk_stays_within_its_byte_budget_so_a_send_never_fills_the_pipe(arithmetic):
    # 20 KB prompts: 128 of them made a 2.5 MB message, more than the pipe holds, and the parent
    # blocked on it until the worker finished its current chunk while the other worker starved
    from assay.executors.pool import CHUNK_BYTES, PIPE_BYTES, _Batch, encode

    big = [dataclasses.replace(p, prompt=p.prompt + " " + "x" * 20_000) for p in arithmetic]
    problems = [big[i % len(big)] for i in range(600)]
    completions = [f"<answer>{i}</answer>" for i in range(len(problems))]
    completions[7] = "y" * (PIPE_BYTES // 2 + 10)  # one item over the budget still goes, alone
    batch = _Batch(1, problems, completions, [1.0] * len(problems), workers=2, item_s=0.0001)
    seen: list[int] = []
    while batch.pending():
        chunk = batch.next_chunk()
        slots = [batch.slots[i] for i in chunk]
        rows = [(slot, batch.row(slot)) for slot in dict.fromkeys(slots)]
        size = len(encode((1, 1, rows, slots, [completions[i] for i in chunk])))
        assert size <= CHUNK_BYTES + 1024 or len(chunk) == 1, (len(chunk), size)
        seen.extend(chunk)
    assert sorted(seen) == list(range(len(problems)))
    assert verify_batch(problems[:40], completions[:40], workers=2) == [assay.verify(p, c) for p, c in zip(problems[:40], completions[:40])]


def test_pool_equals_the_serial_loop_on_a_grpo_shaped_graph_and_math_batch():
    # several completions per problem side by side, right and wrong, over graph and math tasks
    from assay.benchmark import mixed_batch
    from assay.scoring import safe_verify

    tasks = ["graph/shortest_path", "graph/is_tournament", "graph/articulation_points", "math/arithmetic", "math/trig_values"]
    problems, completions = mixed_batch(64, seed=3, tasks=tasks, per_problem=4)
    problems[5] = Problem.from_row(problems[5].to_row())  # equal to its neighbours, not the same object
    expected = [safe_verify(p, c) for p, c in zip(problems, completions)]
    assert len({v.reason for v in expected}) > 2
    assert verify_batch(problems, completions, workers=2) == expected
