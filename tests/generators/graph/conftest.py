"""Shared checks for the graph task tests: an audit loop and ground truth from networkx."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

import assay
from assay.types import Problem


def audit_failures(task_id: str, seeds: Iterable[int] = range(5), **config: object) -> list[str]:
    """Every way the task's reference or probes misbehave over seeds x difficulties (empty: clean)."""
    task = assay.get_task(task_id)
    failures = []
    for difficulty in sorted(task.levels):
        for seed in seeds:
            problem = task.generate(seed, difficulty=difficulty, **config)
            failures += problem_failures(problem)
    return failures


def problem_failures(problem: Problem) -> list[str]:
    task = assay.get_task(problem.task)
    failures = []
    where = f"{problem.task} d={problem.meta.get('difficulty')} seed={problem.meta.get('seed')} {problem.data.get('encoding')}"
    verdict = assay.verify(problem, f"<answer>{problem.answer}</answer>")
    if not verdict.passed:
        failures.append(f"{where}: reference {problem.answer!r} -> {verdict}")
    if Problem.from_row(problem.to_row()) != problem:
        failures.append(f"{where}: row round trip")
    for probe in task.probes(problem):
        verdict = assay.verify(problem, probe.completion)
        if verdict.passed != probe.expect_pass or (not probe.expect_pass and verdict.score > probe.max_score + 1e-9):
            failures.append(f"{where}: probe {probe.why!r} {probe.completion[-120:]!r} -> {verdict}")
    return failures


@pytest.fixture
def audit() -> Callable[..., list[str]]:
    return audit_failures


@pytest.fixture
def problem_audit() -> Callable[[Problem], list[str]]:
    return problem_failures
