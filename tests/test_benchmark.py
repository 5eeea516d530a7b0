"""The verify_batch benchmark: interleaved repeats, medians, and the note on a batch too cheap for
worker processes."""

from __future__ import annotations

from assay.benchmark import Measurement, format_measurements, measure_interleaved, mixed_batch


def test_repeats_are_interleaved_after_one_warm_up_each():
    calls = []
    paths = [(name, lambda name=name: calls.append(name)) for name in "abc"]
    results = measure_interleaved(paths, items=10, repeats=3)
    assert calls[:3] == ["a", "b", "c"]  # the warm-up
    assert calls[3:] == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]  # no path always first
    assert [len(r.seconds) for r in results] == [3, 3, 3]


def test_median_and_spread():
    m = Measurement("x", 100, (1.0, 4.0, 2.0))
    assert m.per_second == 50.0 and m.spread == (25.0, 100.0)


def test_a_note_when_the_pool_does_not_pay():
    serial = Measurement("serial loop (in-process verify)", 1000, (1.0, 1.0, 1.0))
    slow = format_measurements([serial, Measurement("verify_batch workers=2", 1000, (0.98, 0.98, 1.05))])
    assert "1.02x" in slow and "too cheap to benefit" in slow
    fast = format_measurements([serial, Measurement("verify_batch workers=2", 1000, (0.52, 0.55, 0.5))])
    assert "1.92x" in fast and "too cheap" not in fast


def test_grpo_batches_repeat_each_problem_side_by_side():
    problems, completions = mixed_batch(12, tasks=["math/arithmetic", "graph/shortest_path"], per_problem=4)
    assert len(problems) == len(completions) == 12
    assert len({id(p) for p in problems}) == 3 and all(problems[i] is problems[i - i % 4] for i in range(12))
