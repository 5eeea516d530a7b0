"""Scoring a file of completions against a dataset: one verdict record per completion line, and a
per-task summary (count, mean score, pass rate, reasons).

Lines that cannot be scored (unknown id, malformed JSON, a non-string completion) get a verdict
record with an input-error reason, never disappear.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.errors import DatasetError
from assay.progress import progress_bar
from assay.scoring import verify_batch
from assay.types import Problem

logger = logging.getLogger(__name__)

INPUT_ERRORS = ("unknown_id", "malformed_input", "invalid_completion")
RECORD_FIELDS = ("id", "task", "difficulty", "line", "score", "passed", "reason", "detail")
BATCH = 512


@dataclass(frozen=True)
class CompletionLine:
    """One non-blank line of a completions file, parsed (or the input error it carries)."""

    line: int
    id: Any
    completion: Any
    extra: dict = field(default_factory=dict)
    error: str | None = None  # one of INPUT_ERRORS
    message: str = ""


def parse_completion_lines(lines: Iterable[str]) -> list[CompletionLine]:
    """Parse jsonl text lines (1-based numbering; blank lines skipped) into CompletionLines.

    >>> [c.error for c in parse_completion_lines(['{"id": "a", "completion": "x"}', "{oops", '{"id": "a", "completion": 3}'])]
    [None, 'malformed_input', 'invalid_completion']
    """
    out = []
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except ValueError as error:
            out.append(CompletionLine(number, None, None, error="malformed_input", message=f"not valid JSON: {error}"))
            continue
        if not isinstance(value, dict):
            out.append(CompletionLine(number, None, None, error="malformed_input",
                                      message=f"expected a JSON object, got {type(value).__name__}"))
            continue
        extra = {k: v for k, v in value.items() if k not in ("id", "completion")}
        problem_id = value.get("id")
        if not isinstance(problem_id, str) or not problem_id:
            out.append(CompletionLine(number, problem_id, None, extra, "malformed_input",
                                      "'id' is missing or not a non-empty string"))
            continue
        completion = value.get("completion")
        if not isinstance(completion, str):
            kind = "missing" if "completion" not in value else f"a {type(completion).__name__}"
            out.append(CompletionLine(number, problem_id, completion, extra, "invalid_completion",
                                      f"'completion' must be a string, is {kind}"))
            continue
        out.append(CompletionLine(number, problem_id, completion, extra))
    return out


def read_completions(path: str | Path) -> list[CompletionLine]:
    """Parse a completions jsonl file: one ``{"id", "completion", ...}`` object per line."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return parse_completion_lines(handle)
    except OSError as error:
        raise DatasetError(f"cannot read completions file {path}: {error.strerror}") from None


def _record(line: CompletionLine, problem: Problem | None, score: float, passed: bool, reason: str, detail: Mapping) -> dict:
    record: dict[str, Any] = {
        "id": line.id if isinstance(line.id, str) else None,
        "task": problem.task if problem else None,
        "difficulty": problem.meta.get("difficulty") if problem else None,
        "line": line.line,
        "score": score,
        "passed": passed,
        "reason": reason,
        "detail": dict(detail),
    }
    for key, value in line.extra.items():  # the caller's fields (sample index, model...) ride along
        record[key if key not in record else f"input_{key}"] = value
    return record


def score_completions(
    problems: Iterable[Problem],
    lines: Sequence[CompletionLine],
    *,
    workers: int | None = None,
    timeout_s: float | None = None,
    executor: str = "process",
    progress: bool = False,
) -> list[dict[str, Any]]:
    """A verdict record per completion line, in order (scoring through ``assay.verify_batch``).

    >>> from assay import generate
    >>> p = generate("math/arithmetic", 1)[0]
    >>> lines = parse_completion_lines([json.dumps({"id": p.id, "completion": f"<answer>{p.answer}</answer>"}),
    ...                                 json.dumps({"id": "nope", "completion": "1"})])
    >>> [(r["reason"], r["score"]) for r in score_completions([p], lines, executor="inline")]
    [('correct', 1.0), ('unknown_id', 0.0)]
    """
    by_id: dict[str, Problem] = {}
    for problem in problems:
        by_id.setdefault(problem.id, problem)
    records: list[dict[str, Any] | None] = [None] * len(lines)
    todo: list[int] = []
    for index, line in enumerate(lines):
        if line.error is not None:
            known = by_id.get(line.id) if isinstance(line.id, str) else None
            records[index] = _record(line, known, 0.0, False, line.error, {"message": line.message})
        elif line.id not in by_id:
            records[index] = _record(line, None, 0.0, False, "unknown_id",
                                     {"message": f"id {line.id!r} is not in the dataset"})
        else:
            todo.append(index)
    with progress_bar(len(todo), "verifying", progress) as bar:
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            verdicts = verify_batch([by_id[lines[i].id] for i in chunk], [lines[i].completion for i in chunk],
                                    workers=workers, timeout_s=timeout_s, executor=executor)
            for index, verdict in zip(chunk, verdicts):
                line = lines[index]
                records[index] = _record(line, by_id[line.id], verdict.score, verdict.passed, verdict.reason, verdict.detail)
            bar.update(len(chunk))
    return records  # type: ignore[return-value]


@dataclass(frozen=True)
class TaskSummary:
    """Aggregates of the verdict records of one task (``task`` None: lines matching no problem)."""

    task: str | None
    count: int
    mean_score: float
    pass_rate: float
    reasons: dict[str, int]
    problems: int = 0  # distinct problem ids scored (several completions per id allowed)
    any_pass_rate: float = 0.0  # share of those problems with at least one passing completion


def summarize(records: Iterable[Mapping[str, Any]]) -> list[TaskSummary]:
    """Per-task aggregates, tasks sorted, then the unmatched lines, then the total (task "all").

    >>> [s.task for s in summarize([{"task": "a", "score": 1.0, "passed": True, "reason": "correct"}])]
    ['a', 'all']
    """
    groups: dict[str | None, list[Mapping[str, Any]]] = {}
    all_records = list(records)
    for record in all_records:
        groups.setdefault(record.get("task"), []).append(record)
    order = sorted(k for k in groups if k is not None) + ([None] if None in groups else [])

    def aggregate(task: str | None, rows: list[Mapping[str, Any]]) -> TaskSummary:
        count = len(rows)
        reasons = Counter(str(r["reason"]) for r in rows)
        solved: dict[str, bool] = {}
        for r in rows:
            if r.get("task") is not None and isinstance(r.get("id"), str):
                solved[r["id"]] = solved.get(r["id"], False) or bool(r["passed"])
        return TaskSummary(
            task, count,
            sum(float(r["score"]) for r in rows) / count if count else 0.0,
            sum(bool(r["passed"]) for r in rows) / count if count else 0.0,
            dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
            len(solved),
            sum(solved.values()) / len(solved) if solved else 0.0,
        )

    summary = [aggregate(task, groups[task]) for task in order]
    summary.append(aggregate("all", all_records))
    return summary


def format_summary(summary: Sequence[TaskSummary]) -> str:
    """The summary as a plain-text table ("any pass": problems with at least one passing completion).

    >>> print(format_summary(summarize([{"id": "x", "task": "a", "score": 1.0, "passed": True, "reason": "correct"}])))
    task  count  mean score  pass rate  problems  any pass  reasons
    a         1      1.0000    100.00%         1   100.00%  correct 1
    ---------------------------------------------------------------
    all       1      1.0000    100.00%         1   100.00%  correct 1
    """
    header = ("task", "count", "mean score", "pass rate", "problems", "any pass", "reasons")
    rows = [
        (s.task or "(no problem)", str(s.count), f"{s.mean_score:.4f}", f"{s.pass_rate:.2%}", str(s.problems),
         f"{s.any_pass_rate:.2%}" if s.problems else "-",
         ", ".join(f"{reason} {count}" for reason, count in s.reasons.items()))
        for s in summary
    ]
    columns = len(header) - 1
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(columns)]
    lines = []
    for number, row in enumerate([header, *rows]):
        if number == len(rows):  # the total row
            lines.append("-" * (sum(widths) + 2 * columns + len("reasons")))
        cells = [row[0].ljust(widths[0]), *(row[i].rjust(widths[i]) for i in range(1, columns)), row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def write_records(path: str | Path, records: Iterable[Mapping[str, Any]]) -> None:
    """Write verdict records as jsonl."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
