"""The Ray executor on a local two-CPU cluster: the same verdicts as the process pool, generation
in job order, and a hung item killed by its actor's pool."""

from __future__ import annotations

import os

import pytest
import ray  # noqa: E402  CI installs assay[dev]: a missing ray fails here, never skips

import assay


@pytest.fixture(scope="module")
def cluster():
    # a user's own task modules must be importable on the cluster: here, the tests folder's _hang_task
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (here, saved) if p)
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = saved
    yield
    from assay.executors import ray as ray_executor

    ray_executor.shutdown()
    ray.shutdown()


def mixed_batch():
    problems, completions = [], []
    for index, task_id in enumerate(assay.list_tasks()):
        for offset, problem in enumerate(assay.generate(task_id, 3, seed=index)):
            problems.append(problem)
            completions.append([f"<answer>{problem.answer}</answer>", "no answer", f"<answer>{problem.answer} x</answer>"][offset])
    return problems, completions


def test_ray_gives_the_same_verdicts_as_the_process_pool(cluster) -> None:
    problems, completions = mixed_batch()
    problems.append({"task": "math/arithmetic"})  # an invalid row: a verdict, not an exception
    completions.append("x")
    # generous budgets: on a loaded machine a slow verification must not turn into a timeout in one run only
    by_ray = assay.verify_batch(problems, completions, executor="ray", workers=2, timeout_s=60)
    by_processes = assay.verify_batch(problems, completions, executor="process", workers=2, timeout_s=60)
    # the same verdict: score, pass and reason (detail holds timings, and the sandbox backend for code)
    differences = [(p.task if hasattr(p, "task") else p, a, b) for p, a, b in zip(problems, by_ray, by_processes)
                   if (a.score, a.passed, a.reason) != (b.score, b.passed, b.reason)]
    assert not differences
    assert len(by_ray) == len(problems) and by_ray[-1].reason == "invalid_problem"
    assert {v.reason for v in by_ray} >= {"correct", "no_answer"}


def test_map_generate_returns_each_jobs_problem_in_order(cluster) -> None:
    from assay.executors.ray import map_generate

    tasks = assay.list_tasks()[:5]
    jobs = [(tasks[i % len(tasks)], 1000 + i, (i % 3) + 1 if i % 4 else None, {}) for i in range(150)]
    jobs.append(("math/arithmetic", 7, 2, {"operands": 2}))
    expected = [assay.get_task(t).generate(s, difficulty=d, **c) for t, s, d, c in jobs]
    assert map_generate(jobs) == expected
    assert map_generate([]) == []
    with pytest.raises(assay.ConfigError):
        map_generate([("math/arithmetic", 1, 1, {"operands": 1})])


def test_a_hung_item_is_killed_on_the_actor(cluster, hang_task) -> None:
    problem = hang_task.generate(0)
    verdicts = assay.verify_batch([problem] * 3, ["hang", "<answer>1</answer>", "no"], executor="ray", workers=1, timeout_s=1.0)
    assert [v.reason for v in verdicts] == ["timeout", "correct", "wrong_answer"]
