"""The verify_batch benchmark: interleaved repeats, per-round ratios, GRPO-shaped batches, and the note
on a batch too cheap for worker processes."""

from __future__ import annotations

from assay.benchmark import Measurement, format_measurements, interleaved, measurements, mixed_batch


def test_repeats_are_interleaved_after_one_warm_up_each():
    calls = []
    interleaved(list("abc"), lambda name, index: calls.append((name, index)), repeats=3)
    assert calls[:3] == [("a", -1), ("b", -1), ("c", -1)]  # the warm-up, untimed
    order = [name for name, index in calls[3:]]
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]  # no path always first


def test_ratios_are_per_round_against_the_baseline():
    results = measurements({"serial": [1.0, 2.0, 1.0], "pool": [0.5, 1.0, 1.0]}, 10, "serial")
    assert [r.name for r in results] == ["serial", "pool"]
    assert results[1].ratios == (2.0, 2.0, 1.0) and results[1].ratio == 2.0


def test_a_note_when_the_pool_does_not_pay():
    serial = Measurement("serial loop (in-process verify)", 1000, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0))
    slow = format_measurements([serial, Measurement("verify_batch workers=2", 1000, (0.98, 0.98, 1.05), (1.02, 1.02, 0.95))])
    assert "1.02x" in slow and "too cheap to benefit" in slow
    fast = format_measurements([serial, Measurement("verify_batch workers=2", 1000, (0.52, 0.55, 0.5), (1.92, 1.82, 2.0))])
    assert "1.92x" in fast and "too cheap" not in fast


def test_grpo_batches_repeat_each_problem_side_by_side():
    problems, completions = mixed_batch(12, tasks=["math/arithmetic", "graph/shortest_path"], per_problem=4)
    assert len(problems) == len(completions) == 12
    assert len({id(p) for p in problems}) == 3 and all(problems[i] is problems[i - i % 4] for i in range(12))


def test_cpu_figures_give_the_ceiling_on_idle_cores_and_tell_cheap_from_busy():
    serial = Measurement("serial loop (in-process verify)", 1000, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), (0.3, 0.3, 0.3))
    # slow on the wall clock, but barely more CPU per item than the loop: busy cores, not a cheap batch
    busy = format_measurements([serial, Measurement("verify_batch workers=2", 1000, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0),
                                                    (0.32, 0.33, 0.31))], cores=2)
    assert "320" in busy and "could reach 1.8" in busy and "cores are busy" in busy and "too cheap" not in busy
    # the pool's CPU per item is twice the loop's: no number of idle cores makes two workers pay
    cheap = format_measurements([serial, Measurement("verify_batch workers=2", 1000, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0),
                                                     (0.6, 0.6, 0.6))], cores=2)
    assert "1.00x the loop" in cheap and "too cheap to benefit" in cheap
    # one core: two workers cannot run at once
    one = format_measurements([serial, Measurement("verify_batch workers=2", 1000, (1.0,), (1.0,), (0.3,))], cores=1)
    assert "1.00x the loop" in one


def test_cpu_time_of_the_tree_counts_worker_processes():
    import subprocess
    import sys

    from assay.benchmark import tree_cpu_seconds

    before = tree_cpu_seconds()
    child = subprocess.Popen([sys.executable, "-c", "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\ninput()"],
                             stdin=subprocess.PIPE)
    try:
        import time

        deadline = time.monotonic() + 60
        while tree_cpu_seconds() - before < 0.3 and time.monotonic() < deadline:  # counted while it is alive
            time.sleep(0.05)
        assert tree_cpu_seconds() - before >= 0.3
    finally:
        child.communicate(b"\n", timeout=60)
