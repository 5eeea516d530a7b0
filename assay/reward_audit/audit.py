"""Auditing a user's reward: every audit probe of the chosen tasks scored by the reward and by
Assay's verifier, each outcome classed as right, a false positive, a false negative, an error or a
timeout.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.audit import ERROR_REASONS, probe_category, probed_problems
from assay.errors import AssayError, ConfigError
from assay.registry import Probe
from assay.reward_audit.conventions import CONVENTIONS
from assay.reward_audit.runner import ERROR, OK, TIMEOUT, Observation, RewardSpec, score_items
from assay.scoring import verify_batch
from assay.types import Problem, Verdict

BUILTINS = ("math-verify", "assay")
RIGHT, FALSE_POSITIVE, FALSE_NEGATIVE = "right", "false positive", "false negative"
LABEL_KINDS = ("answer", "row")


def parse_reward(reference: str, convention: str | None = None) -> RewardSpec:
    """A reward reference as the CLI takes it: ``module:function``, ``path/file.py:function``,
    ``http://host:port/path`` or a built-in (``math-verify``, ``assay``).

    >>> parse_reward("rewards.py:score").target, parse_reward("http://localhost:8000/get_reward").kind
    ('rewards.py', 'http')
    >>> parse_reward("math-verify").function
    'math_verify_reward'
    """
    if convention is not None and convention not in CONVENTIONS:
        raise ConfigError("convention", f"one of {', '.join(CONVENTIONS)}", convention)
    if reference.startswith(("http://", "https://")):
        return RewardSpec("http", url=reference)
    if reference == "math-verify":
        if importlib.util.find_spec("math_verify") is None:
            raise AssayError("the math-verify built-in needs the math-verify package: pip install math-verify")
        return RewardSpec("python", "assay.reward_audit.builtins", "math_verify_reward", convention="plain", name="math-verify")
    if reference == "assay":
        return RewardSpec("builtin", "assay")
    target, colon, function = reference.rpartition(":")
    if not colon or not target or not function:
        raise ConfigError("reward", "module:function, path/to/file.py:function, an http:// URL, or one of "
                          f"{', '.join(BUILTINS)}", reference)
    return RewardSpec("python", target, function, convention=convention)


@dataclass(frozen=True)
class ProbeCase:
    """One probe of one problem, with where it came from."""

    problem: Problem
    probe: Probe
    seed: int

    @property
    def category(self) -> str:
        return probe_category(self.probe)


@dataclass(frozen=True)
class ProbeResult:
    """A probe scored by the audited reward (``observation``) and by Assay's verifier."""

    case: ProbeCase
    observation: Observation
    assay: Verdict
    threshold: float

    @property
    def outcome(self) -> str:
        """right, false positive, false negative, error or timeout (for the audited reward)."""
        o = self.observation
        if o.status != OK or o.reward is None:
            return TIMEOUT if o.status == TIMEOUT else ERROR
        passed = o.reward >= self.threshold
        if passed != self.case.probe.expect_pass:
            return FALSE_NEGATIVE if self.case.probe.expect_pass else FALSE_POSITIVE
        return RIGHT

    @property
    def assay_outcome(self) -> str:
        """The same for Assay's verifier (the criteria of ``assay.audit``)."""
        verdict, probe = self.assay, self.case.probe
        if verdict.reason in ERROR_REASONS:
            return TIMEOUT if verdict.reason == "timeout" else ERROR
        if probe.expect_pass and not (verdict.passed and verdict.score == 1.0):
            return FALSE_NEGATIVE
        if not probe.expect_pass and (verdict.passed or verdict.score > probe.max_score):
            return FALSE_POSITIVE
        return RIGHT

    def to_json(self) -> dict[str, Any]:
        """The findings.jsonl record of this probe."""
        p, probe = self.case.problem, self.case.probe
        return {"task": p.task, "problem_id": p.id, "seed": self.case.seed, "difficulty": p.meta.get("difficulty"),
                "category": self.case.category, "why": probe.why, "gold": p.answer, "completion": probe.completion,
                "expected": "pass" if probe.expect_pass else "fail", "reward": self.observation.reward,
                "status": self.observation.status, "error": self.observation.message or None, "outcome": self.outcome,
                "assay_score": self.assay.score, "assay_reason": self.assay.reason, "assay_outcome": self.assay_outcome}


@dataclass
class RewardAudit:
    """Every probe's result, the reward audited and how it was called."""

    reward: str
    convention: str
    threshold: float
    results: list[ProbeResult] = field(default_factory=list)
    wall_s: float = 0.0

    def count(self, outcome: str, *, assay: bool = False, task: str | None = None, category: str | None = None) -> int:
        """How many probes had ``outcome`` (for the reward, or for Assay's verifier), optionally of
        one task and one category."""
        return sum(1 for r in self.results
                   if (task is None or r.case.problem.task == task) and (category is None or r.case.category == category)
                   and (r.assay_outcome if assay else r.outcome) == outcome)

    @property
    def tasks(self) -> list[str]:
        return list(dict.fromkeys(r.case.problem.task for r in self.results))

    @property
    def false_positives(self) -> list[ProbeResult]:
        return [r for r in self.results if r.outcome == FALSE_POSITIVE]


def probe_cases(selectors: Sequence[str] | None, *, seeds: Sequence[int] = (0,), difficulties: Sequence[int] | None = None) -> list[ProbeCase]:
    """Every probe of the selected tasks (all when None) over seeds x difficulty levels.

    >>> cases = probe_cases(["math/arithmetic"], difficulties=[1])
    >>> cases[0].probe.why, cases[0].category
    ('reference answer', 'reference')
    """
    return [ProbeCase(problem, probe, seed) for problem, probe, seed in probed_problems(selectors, seeds, difficulties)]


def _item(index: int, case: ProbeCase, label_kind: str) -> dict[str, Any]:
    problem = case.problem
    label = json.dumps(problem.to_row()) if label_kind == "row" else problem.answer
    return {"index": index, "completion": case.probe.completion, "answer": problem.answer, "prompt": problem.prompt,
            "label": label, "label_kind": label_kind, "task": problem.task}


def audit_reward(
    spec: RewardSpec,
    cases: Sequence[ProbeCase],
    *,
    threshold: float = 1.0,
    label: str = "answer",
    workers: int = 2,
    timeout_s: float = 10.0,
    memory_mb: int = 4096,
    batch_size: int = 16,
    assay_workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> RewardAudit:
    """Score every probe case with the reward (in worker processes) and with Assay's verifier.

    ``label``: what the reward receives as the gold: ``answer`` (the reference answer text) or
    ``row`` (the problem's row as JSON, as Assay's own trainer adapters and ``assay serve`` read it).

    >>> spec = parse_reward("assay")
    >>> result = audit_reward(spec, probe_cases(["math/arithmetic"], difficulties=[1]), assay_workers=1)
    >>> result.count("false positive"), result.count("right") == len(result.results)
    (0, True)
    """
    import time

    if label not in LABEL_KINDS:
        raise ConfigError("label", f"one of {', '.join(LABEL_KINDS)}", label)
    if not 0 < threshold:
        raise ConfigError("pass_threshold", "a positive number", threshold)
    started = time.perf_counter()
    verdicts = verify_batch([c.problem for c in cases], [c.probe.completion for c in cases], workers=assay_workers,
                            executor="inline" if assay_workers == 1 else "process")
    if spec.kind == "builtin":  # Assay's own verifier: its verdicts are the reward
        observations = [Observation(v.score) if v.reason not in ERROR_REASONS else
                        Observation(None, TIMEOUT if v.reason == "timeout" else ERROR, v.reason) for v in verdicts]
        convention = "assay"
        if progress is not None:
            progress(len(cases))
    else:
        items = [_item(index, case, label) for index, case in enumerate(cases)]
        observations, convention = score_items(spec, items, workers=workers, timeout_s=timeout_s, memory_mb=memory_mb,
                                               batch_size=batch_size, progress=progress)
    results = [ProbeResult(case, observation, verdict, threshold) for case, observation, verdict in zip(cases, observations, verdicts)]
    name = "assay" if spec.kind == "builtin" else spec.describe()
    return RewardAudit(name, convention, threshold, results, time.perf_counter() - started)

