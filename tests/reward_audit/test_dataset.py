"""Auditing a dataset's gold answers: jsonl, parquet, a save_to_disk folder, Assay rows of any domain."""

from __future__ import annotations

import json

import pytest

import assay
from assay.cli import main
from assay.errors import DatasetError
from assay.reward_audit.dataset import audit_dataset

GOLDS = [  # (gold, problem or None, why)
    ("\\frac{1}{2}", None, "a LaTeX fraction parses and verifies"),
    ("42", None, "an integer"),
    ("", "empty", "an empty gold pays 0 to every rollout"),
    ("2^{", "unparseable", "an unclosed brace is compared as text only"),
]


def write_jsonl(path, rows) -> None:
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")


def test_math_golds_from_jsonl(tmp_path):
    write_jsonl(tmp_path / "d.jsonl", [{"solution": g} for g, _, _ in GOLDS])
    result = audit_dataset(tmp_path / "d.jsonl", "solution")
    assert result.rows == len(GOLDS)
    assert {f.row: f.kind for f in result.findings} == {i: kind for i, (_, kind, _) in enumerate(GOLDS) if kind}


def test_parquet_and_a_saved_dataset_folder_with_nested_columns(tmp_path):
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"reward_model": {"ground_truth": g}} for g, _, _ in GOLDS]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "d.parquet")
    assert len(audit_dataset(tmp_path / "d.parquet", "reward_model.ground_truth").findings) == 2
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows)}).save_to_disk(str(tmp_path / "hf"))
    result = audit_dataset(tmp_path / "hf", "reward_model.ground_truth")
    assert [f.split for f in result.findings] == ["train", "train"]


def test_assay_rows_of_another_domain_are_verified_against_themselves(tmp_path):
    problems = assay.generate("graph/shortest_path", 2)
    rows = [p.to_row() for p in problems]
    rows[1] = {**rows[1], "answer": "[nowhere]"}
    write_jsonl(tmp_path / "g.jsonl", rows)
    result = audit_dataset(tmp_path / "g.jsonl", "answer", task_column="task")
    assert [(f.row, f.kind) for f in result.findings] == [(1, "not_self_verifying")]
    with pytest.raises(DatasetError, match="needs Assay rows"):
        audit_dataset(tmp_path / "g.jsonl", "answer", domain="graph")


def test_the_cli_exit_status_and_a_missing_column(tmp_path, capsys):
    write_jsonl(tmp_path / "good.jsonl", [{"gold": "3"}])
    write_jsonl(tmp_path / "bad.jsonl", [{"gold": "3"}, {"gold": ""}])
    assert main(["audit", "--dataset", str(tmp_path / "good.jsonl"), "--gold-column", "gold"]) == 0
    assert main(["audit", "--dataset", str(tmp_path / "bad.jsonl"), "--gold-column", "gold"]) == 1
    assert "row 1" in capsys.readouterr().out
    assert main(["audit", "--dataset", str(tmp_path / "good.jsonl"), "--gold-column", "answer"]) == 2
