"""The math verifier's process model: sympy in a killable worker pool, or in-process inside assay.executors.pool.

Real subprocesses throughout; a hung comparison is killed, a dead worker is replaced.
"""

from __future__ import annotations

import threading

import pytest

from assay.verifiers.math import Options, verify
from assay.verifiers.math import worker as math_worker
from assay.verifiers.math.parse import parse
from assay.verifiers.math.worker import CasPool


def B(answer: str) -> str:
    return f"So the answer is $\\boxed{{{answer}}}$."


def test_sympy_runs_in_process_inside_a_pool_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_POOL_WORKER", "1")
    assert verify(B("(x+1)^2"), "x^2+2x+1").passed
    assert not verify(B("(x-1)^2"), "x^2+2x+1").passed


def test_a_slow_comparison_is_killed_and_the_pool_recovers() -> None:
    pool = CasPool(1)
    try:
        slow = Options(cas_timeout_s=0.001)
        outcome = pool.judge(parse(r"\sin^2 x + \cos^2 x"), parse("1 + 0x"), slow)
        assert outcome[0] in ("timeout", "ok")  # ok only if the worker answered within 1 ms
        assert pool.judge(parse("(x+1)^2"), parse("x^2+2x+1"), Options()) == ("ok", True)
    finally:
        pool.close()


def test_a_worker_that_dies_costs_one_comparison() -> None:
    pool = CasPool(1)
    try:
        assert pool.judge(parse("x"), parse("x+0"), Options()) == ("ok", True)
        worker = pool._idle[0]
        worker.process.kill()
        worker.process.wait()
        assert pool.judge(parse("x"), parse("2x"), Options())[0] == "died"
        assert pool.judge(parse("x"), parse("2x"), Options()) == ("ok", False)
    finally:
        pool.close()


def test_concurrent_callers_get_their_own_answers() -> None:
    golds = [f"{k}x" for k in range(1, 13)]
    results: dict[int, bool] = {}

    def check(k: int) -> None:
        results[k] = verify(B(f"x \\cdot {k}"), golds[k - 1]).passed and not verify(B(f"x \\cdot {k + 1}"), golds[k - 1]).passed

    threads = [threading.Thread(target=check, args=(k,)) for k in range(1, 13)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert results == {k: True for k in range(1, 13)}


def test_a_worker_is_replaced_after_its_share_of_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(math_worker, "MAX_REQUESTS_PER_WORKER", 2)
    pool = CasPool(1)
    try:
        first = [pool.judge(parse("x"), parse("x+0"), Options()) for _ in range(2)]
        assert first == [("ok", True), ("ok", True)] and not pool._idle  # retired after two
        assert pool.judge(parse("x"), parse("2x"), Options()) == ("ok", False)  # a fresh one serves
    finally:
        pool.close()
