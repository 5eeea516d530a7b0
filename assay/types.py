"""The two values that cross every boundary in Assay: a Problem and a Verdict.

Both are frozen dataclasses; dictionaries appear only at the serialisation boundary (`to_row`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.errors import DatasetError

ROW_FIELDS = ("id", "task", "prompt", "answer", "data", "meta")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same bytes in every process.

    >>> canonical_json({"b": 1, "a": [1.5, "x"]})
    '{"a":[1.5,"x"],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def content_id(task: str, prompt: str, data: Mapping[str, Any]) -> str:
    """Stable id of a problem: a hash of its task, prompt and payload (not of its answer or meta).

    >>> content_id("math/arithmetic", "1+1", {"gold": "2"})
    '68206db88f1c36eccfef6dda'
    """
    digest = hashlib.sha256(canonical_json([task, prompt, data]).encode("utf-8")).hexdigest()
    return digest[:24]


@dataclass(frozen=True)
class Problem:
    """One generated problem: everything its verifier needs travels inside it.

    >>> p = Problem.create("math/arithmetic", "What is 1+1?", "2", {"gold": "2"}, {"difficulty": 1})
    >>> Problem.from_row(p.to_row()) == p
    True
    """

    id: str
    task: str
    prompt: str
    answer: str
    data: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @classmethod
    def create(cls, task: str, prompt: str, answer: str, data: Mapping[str, Any], meta: Mapping[str, Any]) -> Problem:
        """Build a problem whose id is the content hash of (task, prompt, data)."""
        # A JSON round trip normalises tuples to lists etc., so the id matches a re-read row.
        payload: dict[str, Any] = json.loads(canonical_json(dict(data)))
        details: dict[str, Any] = json.loads(canonical_json(dict(meta)))
        return cls(content_id(task, prompt, payload), task, prompt, answer, payload, details)

    def to_row(self) -> dict[str, str]:
        """A flat, Arrow-friendly row: nested ``data`` and ``meta`` as canonical JSON strings."""
        return {
            "id": self.id,
            "task": self.task,
            "prompt": self.prompt,
            "answer": self.answer,
            "data": canonical_json(self.data),
            "meta": canonical_json(self.meta),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | str | bytes) -> Problem:
        """Read a row back (``data``/``meta`` as JSON strings or mappings; a JSON string row too).

        Extra columns are ignored; a missing field or a malformed payload raises DatasetError.
        """
        if isinstance(row, (str, bytes)):
            try:
                row = json.loads(row)
            except ValueError as error:
                raise DatasetError(f"problem row is not valid JSON: {error}") from None
        if isinstance(row, Problem):
            return row
        if not isinstance(row, Mapping):
            raise DatasetError(f"problem row must be a mapping or a JSON string, not {type(row).__name__}")
        missing = [name for name in ("task", "prompt", "answer", "data") if name not in row]
        if missing:
            raise DatasetError(f"problem row lacks {', '.join(missing)} (has {', '.join(sorted(map(str, row)))})")
        data = _as_dict(row["data"], "data")
        meta = _as_dict(row.get("meta") or {}, "meta")
        task, prompt = str(row["task"]), str(row["prompt"])
        problem_id = row.get("id") or content_id(task, prompt, data)
        return cls(str(problem_id), task, prompt, str(row["answer"]), data, meta)


def _as_dict(value: Any, name: str) -> dict:
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise DatasetError(f"problem row's {name} is not valid JSON: {error}") from None
    if not isinstance(value, Mapping):
        raise DatasetError(f"problem row's {name} must be a JSON object, not {type(value).__name__}")
    return dict(value)


@dataclass(frozen=True)
class Verdict:
    """The score of one completion.

    ``reason`` is a short stable code ("correct", "wrong_answer", "no_answer", "unparseable",
    "invalid", "timeout", "sandbox_error", "verifier_error", ...); ``detail`` holds partial-credit
    components, a human-readable ``message`` and timings.

    >>> Verdict.correct()
    Verdict(score=1.0, passed=True, reason='correct', detail={})
    >>> Verdict.fail("wrong_answer", message="expected 3, got 4").score
    0.0
    """

    score: float
    passed: bool
    reason: str
    detail: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A malformed Verdict is a bug in a verifier, so it raises rather than being clamped.
        if isinstance(self.score, bool) or not isinstance(self.score, (int, float)):
            raise TypeError(f"Verdict.score must be a number, not {type(self.score).__name__}")
        if math.isnan(self.score) or not 0.0 <= self.score <= 1.0:
            raise ValueError(f"Verdict.score must lie in [0, 1], got {self.score!r}")
        if self.passed and self.score != 1.0:
            raise ValueError(f"a passed Verdict must score 1.0, got {self.score!r}")
        if not isinstance(self.reason, str) or not self.reason:
            raise ValueError("Verdict.reason must be a non-empty code")
        object.__setattr__(self, "score", float(self.score))

    @classmethod
    def correct(cls, **detail: Any) -> Verdict:
        """Full marks."""
        return cls(1.0, True, "correct", detail)

    @classmethod
    def fail(cls, reason: str, score: float = 0.0, **detail: Any) -> Verdict:
        """Not fully correct; ``score`` > 0 only for documented partial credit."""
        return cls(score, False, reason, detail)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (for verdict files and HTTP replies)."""
        return {"score": self.score, "passed": self.passed, "reason": self.reason, "detail": self.detail}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Verdict:
        return cls(float(value["score"]), bool(value["passed"]), str(value["reason"]), dict(value.get("detail") or {}))


@dataclass(frozen=True)
class Probe:
    """An audit probe: a completion and the verdict it must get, with why.

    ``expect_pass`` True: the completion must pass. False: it must not pass and must score at most
    ``max_score`` (0 unless the probe documents reachable partial credit).
    """

    completion: str
    expect_pass: bool
    why: str
    max_score: float = 0.0


@dataclass(frozen=True)
class AnswerRule:
    """How a task reads the final answer out of a completion, declared on the task
    (``Task.answer_rule``) and printed on its data card: ``name``, a short stable code, and
    ``text``, the rule in words. A domain's verifier defines its rules once; tasks name one.

    >>> AnswerRule("answer_block", "the last <answer> block only").name
    'answer_block'
    """

    name: str
    text: str


def wrap(answer: str) -> str:
    """A completion that gives ``answer`` in the standard answer block.

    >>> wrap("42")
    'Reasoning omitted.\\n<answer>42</answer>'
    """
    return f"Reasoning omitted.\n<answer>{answer}</answer>"
