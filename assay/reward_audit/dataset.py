"""Auditing a dataset's gold answers: the rows whose gold Assay's verifier cannot parse, or that
do not verify against themselves (every rollout on such a row is silently paid 0).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.errors import DatasetError
from assay.types import Problem, wrap

PROBLEMS = ("empty", "unparseable", "not_self_verifying")


@dataclass(frozen=True)
class GoldFinding:
    """One row whose gold is a problem: ``kind`` one of PROBLEMS, with the verifier's reason."""

    row: int
    split: str
    task: str
    gold: str
    kind: str
    reason: str


@dataclass
class GoldAudit:
    """The outcome over a whole dataset."""

    rows: int = 0
    findings: list[GoldFinding] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    def format(self, show: int = 20) -> str:
        """A summary and the first ``show`` findings."""
        lines = [f"{self.rows} rows; {len(self.findings)} gold answers with a problem"
                 + (f" ({', '.join(f'{k}: {n}' for k, n in sorted(self.kinds.items()))})" if self.kinds else "")]
        for f in self.findings[:show]:
            where = f"{f.split}[{f.row}]" if f.split else f"row {f.row}"
            lines.append(f"  {where} {f.task or ''} {f.kind}: gold {f.gold[:200]!r} ({f.reason})".replace("  ", " ", 1))
        if len(self.findings) > show:
            lines.append(f"  ... and {len(self.findings) - show} more")
        return "\n".join(lines)


def read_rows(path: str | Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """``(split, index, row)`` of a parquet file, a jsonl file, or a Hugging Face dataset folder
    (``datasets.save_to_disk``; every split of a DatasetDict)."""
    path = Path(path)
    if path.is_dir():
        import datasets

        try:
            loaded = datasets.load_from_disk(str(path))
        except FileNotFoundError as error:
            raise DatasetError(f"{path} is not a dataset saved with save_to_disk: {error}") from None
        splits = loaded.items() if isinstance(loaded, datasets.DatasetDict) else [("", loaded)]
        for split, dataset in splits:
            for index, row in enumerate(dataset):
                yield split, index, dict(row)
    elif path.suffix == ".parquet":
        import pyarrow.parquet as pq

        for index, row in enumerate(pq.read_table(path).to_pylist()):
            yield "", index, row
    elif path.suffix in (".jsonl", ".json"):
        with path.open(encoding="utf-8") as lines:
            for index, line in enumerate(lines):
                if line.strip():
                    try:
                        yield "", index, json.loads(line)
                    except ValueError as error:
                        raise DatasetError(f"{path} line {index + 1} is not JSON: {error}") from None
    elif not path.exists():
        raise DatasetError(f"no such dataset: {path}")
    else:
        raise DatasetError(f"{path}: a dataset is a .parquet or .jsonl file or a save_to_disk folder")


def _gold(row: Mapping[str, Any], column: str) -> str:
    value: Any = row
    for part in column.split("."):  # "reward_model.ground_truth" reaches into a verl row
        if not isinstance(value, Mapping) or part not in value:
            raise DatasetError(f"no column {column!r} (the row has {', '.join(sorted(map(str, row)))})")
        value = value[part]
    return "" if value is None else str(value)


def check_gold(gold: str, task: str, row: Mapping[str, Any], domain: str | None) -> tuple[str, str] | None:
    """(kind, reason) when the gold is a problem, else None.

    >>> check_gold("\\\\frac{1}{2}", "", {}, "math") is None
    True
    >>> check_gold("x^{2} +", "", {}, "math")[0]
    'unparseable'
    """
    if not gold.strip():
        return "empty", "the gold answer is empty"
    chosen = domain or (task.split("/", 1)[0] if task else "math")
    if chosen == "math" and not (task and "data" in row):
        from assay.verifiers.math import verify
        from assay.verifiers.math.parse import ParseError, parse

        verdict = verify(wrap(gold), gold)
        if not verdict.passed:
            return "not_self_verifying", verdict.reason
        try:
            parse(gold)
        except ParseError as error:
            return "unparseable", f"compared as text only: {str(error)[:120]}"
        return None
    if not task or "data" not in row:
        raise DatasetError(f"the {chosen} verifier needs Assay rows (task and data columns) to check a gold answer")
    from assay.scoring import verify as verify_problem

    problem = Problem.from_row({**row, "task": task, "answer": gold, "prompt": str(row.get("prompt", ""))})
    verdict = verify_problem(problem, wrap(gold))
    return None if verdict.passed else ("not_self_verifying", verdict.reason)


def audit_dataset(path: str | Path, gold_column: str, *, task_column: str | None = None, domain: str | None = None) -> GoldAudit:
    """Check every row's gold answer with Assay's verifier for its domain (``domain``, else the
    domain of the row's task id in ``task_column``, else math).

    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "d.jsonl").write_text("\\n".join(json.dumps({"gold": g}) for g in ["3", "", "2^{"]))
    >>> result = audit_dataset(folder / "d.jsonl", "gold")
    >>> result.rows, [f.kind for f in result.findings]
    (3, ['empty', 'unparseable'])
    """
    result = GoldAudit()
    for split, index, row in read_rows(path):
        result.rows += 1
        gold = _gold(row, gold_column)
        task = str(row.get(task_column) or "") if task_column else ""
        problem = check_gold(gold, task, row, domain)
        if problem is not None:
            kind, reason = problem
            result.findings.append(GoldFinding(index, split, task, gold, kind, reason))
            result.kinds[kind] += 1
    return result
