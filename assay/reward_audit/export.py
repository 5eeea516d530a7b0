"""The probe corpus as a file (parquet or jsonl), for teams that run it inside their own CI: one
row per probe with the problem, the completion, the verdict it must get, its category and task.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assay.errors import DatasetError
from assay.reward_audit.audit import ProbeCase

COLUMNS = ("task", "problem_id", "difficulty", "seed", "prompt", "gold", "problem", "completion", "expected", "max_score",
           "category", "why")


def probe_row(case: ProbeCase) -> dict[str, Any]:
    """One probe as a flat row (``problem`` is the problem's Assay row as JSON).

    >>> from assay.reward_audit import probe_cases
    >>> row = probe_row(probe_cases(["math/arithmetic"], difficulties=[1])[0])
    >>> row["expected"], row["category"], sorted(row) == sorted(COLUMNS)
    ('pass', 'reference', True)
    """
    problem, probe = case.problem, case.probe
    return {"task": problem.task, "problem_id": problem.id, "difficulty": int(problem.meta.get("difficulty", 0)),
            "seed": case.seed, "prompt": problem.prompt, "gold": problem.answer, "problem": json.dumps(problem.to_row()),
            "completion": probe.completion, "expected": "pass" if probe.expect_pass else "fail",
            "max_score": float(probe.max_score), "category": case.category, "why": probe.why}


def write_probes(path: str | Path, cases: Sequence[ProbeCase]) -> int:
    """Write the probes to ``path`` (``.parquet`` or ``.jsonl``); returns the number of rows."""
    path = Path(path)
    rows = [probe_row(case) for case in cases]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(rows) if rows else pa.table({name: [] for name in COLUMNS})
        pq.write_table(table, path, compression="zstd")
    elif path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row) + "\n")
    else:
        raise DatasetError(f"{path}: the probe corpus is written as .parquet or .jsonl")
    return len(rows)
