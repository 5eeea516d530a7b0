"""The audit framework: run every task's reference, degenerate and registered probe answers
through the real scoring path and report false positives and false negatives per task.

Tasks register probes through ``Task.probes``; verifiers and domains add more with ``register_probes``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from assay.hack_probes import HACK, hack_probes
from assay.registry import Probe, get_task, list_tasks, resolve_tasks, wrap
from assay.scoring import item_seed, verify_batch
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)

ProbeSource = Callable[[Problem], Iterable[Probe]]
_EXTRA_PROBES: list[tuple[str, ProbeSource]] = []

DEFAULT_SEEDS = (0, 1, 2)
REFERENCE, EQUIVALENT, WRONG, DEGENERATE = "reference", "equivalent form", "wrong answer", "degenerate"
CATEGORIES = (REFERENCE, EQUIVALENT, WRONG, DEGENERATE, HACK)
ERROR_REASONS = frozenset({"verifier_error", "timeout", "unknown_task", "invalid_problem"})


def register_probes(selector: str) -> Callable[[ProbeSource], ProbeSource]:
    """Decorator: ``function(problem) -> probes`` applies to every task matching ``selector``
    (a task id, or a domain meaning all its tasks).

    >>> @register_probes("math/arithmetic")
    ... def _spaces(problem):
    ...     return [Probe(wrap(f"  {problem.answer}  "), True, "surrounding spaces")]
    >>> problem = get_task("math/arithmetic").generate(0)
    >>> any(p.why == "surrounding spaces" for p in probes_for(problem))
    True
    >>> _EXTRA_PROBES.pop() and None
    """

    def decorator(function: ProbeSource) -> ProbeSource:
        _EXTRA_PROBES.append((selector, function))
        return function

    return decorator


def _applies(selector: str, task_id: str) -> bool:
    return selector == task_id or ("/" not in selector and task_id.split("/", 1)[0] == selector)


def standard_probes(problem: Problem) -> list[Probe]:
    """The probes every task gets: the reference must pass; empty, missing and junk answers must not."""
    junk_rng = random.Random(problem.id)
    junk = bytes(junk_rng.randrange(256) for _ in range(512)).decode("latin-1")
    return [
        Probe(wrap(problem.answer), True, "reference answer", category=REFERENCE),
        Probe("", False, "empty completion", category=DEGENERATE),
        Probe("I am not able to solve this problem.", False, "no answer given", category=DEGENERATE),
        Probe("<answer></answer>", False, "empty answer block", category=DEGENERATE),
        Probe(wrap("I don't know"), False, "a refusal inside the answer block", category=DEGENERATE),
        Probe(wrap(problem.answer) + "\nOn reflection:\n" + wrap("no idea"), False, "the last answer block is junk", category=DEGENERATE),
        Probe(wrap(problem.prompt), False, "the prompt copied into the answer", category=DEGENERATE),
        Probe(junk, False, "binary junk", category=DEGENERATE),
    ]


def probes_for(problem: Problem) -> list[Probe]:
    """Every probe for one problem: standard, the task's own, registered extras, and the generic
    hacks (``assay.hack_probes``) for tasks whose answer is a short text value."""
    task = get_task(problem.task)
    own = list(task.probes(problem))
    probes = standard_probes(problem) + own
    for selector, source in _EXTRA_PROBES:
        if _applies(selector, task.id):
            probes.extend(source(problem))
    return probes + hack_probes(problem, own)


def probe_category(probe: Probe) -> str:
    """The report group of a probe: its own ``category``, else "equivalent form" for one that must
    pass and "wrong answer" for one that must fail.

    >>> probe_category(Probe("x", True, "a spelled-out form")), probe_category(Probe("x", False, "off by one"))
    ('equivalent form', 'wrong answer')
    """
    if probe.category:
        return probe.category
    return EQUIVALENT if probe.expect_pass else WRONG


@dataclass(frozen=True)
class Finding:
    """A probe that got the wrong verdict."""

    task: str
    problem_id: str
    seed: int
    difficulty: int
    why: str
    completion: str
    expected: str
    verdict: Verdict

    def describe(self) -> str:
        shown = self.completion if len(self.completion) <= 160 else self.completion[:157] + "..."
        return (f"{self.task} seed={self.seed} level={self.difficulty} [{self.why}] expected {self.expected}, "
                f"got score={self.verdict.score:g} reason={self.verdict.reason}: {shown!r}")


@dataclass
class TaskAudit:
    """The outcome for one task: how many checks ran and which went wrong."""

    task: str
    checks: int = 0
    false_positives: list[Finding] = field(default_factory=list)
    false_negatives: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)  # verifier_error / timeout: neither pass nor fail honestly

    @property
    def clean(self) -> bool:
        return not (self.false_positives or self.false_negatives or self.errors)


def probed_problems(selectors: Sequence[str] | None, seeds: Sequence[int], difficulties: Sequence[int] | None = None
                    ) -> Iterator[tuple[Problem, Probe, int]]:
    """``(problem, probe, seed)`` for every probe of the selected tasks (every task when None),
    one problem per seed and level (``difficulties``: only those levels), as the audits draw them.

    >>> [probe.why for _, probe, _ in probed_problems(["math/arithmetic"], [0], [1])][0]
    'reference answer'
    """
    task_ids = resolve_tasks(list(selectors)) if selectors else list_tasks()
    for task_id in task_ids:
        task = get_task(task_id)
        levels = sorted(task.levels) if difficulties is None else [d for d in difficulties if d in task.levels]
        for seed in seeds:
            for level in levels:
                problem = task.generate(item_seed(seed, level), difficulty=level)
                yield from ((problem, probe, seed) for probe in probes_for(problem))


def audit(
    selectors: Sequence[str] | None = None,
    *,
    seeds: Sequence[int] = DEFAULT_SEEDS,
    difficulties: Sequence[int] | None = None,
    workers: int | None = None,
    executor: str = "process",
) -> list[TaskAudit]:
    """Audit the selected tasks (ids or domains; all when None) over seeds x difficulty levels.

    >>> [a.clean for a in audit(["math/arithmetic"], seeds=[0], executor="inline")]
    [True]
    """
    task_ids = resolve_tasks(list(selectors)) if selectors else list_tasks()
    cases = list(probed_problems(task_ids, seeds, difficulties))
    verdicts = verify_batch([c[0] for c in cases], [c[1].completion for c in cases], workers=workers, executor=executor)
    results = {task_id: TaskAudit(task_id) for task_id in task_ids}
    for (problem, probe, seed), verdict in zip(cases, verdicts):
        report = results[problem.task]
        report.checks += 1
        level = int(problem.meta.get("difficulty", 0))
        if verdict.reason in ERROR_REASONS:
            report.errors.append(_finding(problem, probe, seed, level, verdict))
        elif probe.expect_pass and not (verdict.passed and verdict.score == 1.0):
            report.false_negatives.append(_finding(problem, probe, seed, level, verdict))
        elif not probe.expect_pass and (verdict.passed or verdict.score > probe.max_score):
            report.false_positives.append(_finding(problem, probe, seed, level, verdict))
    return [results[task_id] for task_id in task_ids]


def _finding(problem: Problem, probe: Probe, seed: int, level: int, verdict: Verdict) -> Finding:
    expected = "pass" if probe.expect_pass else f"fail (score <= {probe.max_score:g})"
    return Finding(problem.task, problem.id, seed, level, probe.why, probe.completion, expected, verdict)


def format_table(results: Sequence[TaskAudit]) -> str:
    """A fixed-width table: one row per task, then a total row."""
    width = max([len("task")] + [len(r.task) for r in results])
    lines = [f"{'task':<{width}}  {'checks':>7}  {'false+':>6}  {'false-':>6}  {'errors':>6}"]
    for r in results:
        mark = "" if r.clean else "  <--"
        lines.append(f"{r.task:<{width}}  {r.checks:>7}  {len(r.false_positives):>6}  {len(r.false_negatives):>6}  {len(r.errors):>6}{mark}")
    lines.append(f"{'total':<{width}}  {sum(r.checks for r in results):>7}  {sum(len(r.false_positives) for r in results):>6}  "
                 f"{sum(len(r.false_negatives) for r in results):>6}  {sum(len(r.errors) for r in results):>6}")
    return "\n".join(lines)
