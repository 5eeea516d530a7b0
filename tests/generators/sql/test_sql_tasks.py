"""The SQL tasks: 15+ families, both dialects, golds checked on K databases, verl rows from the
CLI scoring the reference 1.0, and the shape of what a problem stores."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import assay
from assay.envs.verl import compute_score
from assay.errors import ConfigError, DatasetError
from assay.registry import get_task
from assay.verifiers.sql import verify

SQL_TASKS = assay.list_tasks("sql")


def test_there_are_at_least_fifteen_families():
    assert len(SQL_TASKS) >= 15


@pytest.mark.parametrize("task_id", SQL_TASKS)
def test_duckdb_problems_verify_on_duckdb(task_id):
    problem = get_task(task_id).generate(3, difficulty=2, dialect="duckdb")
    data = problem.data
    assert data["dialect"] == "duckdb" and "DuckDB" in problem.prompt
    assert verify(f"<answer>{problem.answer}</answer>", data["gold_sql"], data["databases"], dialect="duckdb").passed
    for sql, why in data["audit"]["near_misses"]:
        assert not verify(f"<answer>{sql}</answer>", data["gold_sql"], data["databases"], dialect="duckdb").passed, why


@pytest.mark.parametrize("task_id", SQL_TASKS)
def test_a_problem_stores_k_databases_and_a_non_empty_gold(task_id):
    problem = get_task(task_id).generate(11, difficulty=1)
    data = problem.data
    assert data["dialect"] == "sqlite" and len(data["databases"]) == 5
    assert data["gold_sql"] == problem.answer and data["audit"]["near_misses"], "no near miss told apart"
    single_value = data["question"].startswith(("How many", "What is the"))
    assert single_value or "order" in data["question"].lower(), "the question says whether row order matters"
    assert "CREATE TABLE" in problem.prompt and "INSERT" not in problem.prompt  # the rows stay hidden


def test_the_databases_change_with_k():
    problem = get_task("sql/top_n").generate(2, difficulty=1, databases=3)
    assert len(problem.data["databases"]) == 3
    with pytest.raises(ConfigError):
        get_task("sql/top_n").generate(2, difficulty=1, databases=0)


def test_a_broken_database_script_is_a_dataset_error():
    with pytest.raises(DatasetError):
        verify("<answer>SELECT 1</answer>", "SELECT 1", "CREATE TABLE t (a INT; INSERT INTO t VALUES (1);")


def test_verl_rows_from_the_cli_score_the_reference(tmp_path: Path):
    out = tmp_path / "verl"
    subprocess.run([sys.executable, "-m", "assay", "generate", "sql", "--n", "34", "--seed", "1", "--format", "verl",
                    "--test-size", "0", "--out", str(out), "--workers", "1"], check=True, capture_output=True, timeout=600)
    rows = [row for path in sorted(out.rglob("*.parquet")) for row in pq.read_table(path).to_pylist()]
    assert len(rows) == 34 and {r["data_source"] for r in rows} <= set(SQL_TASKS)
    for row in rows:
        truth = row["reward_model"]["ground_truth"]
        answer = json.loads(truth)["answer"]
        assert compute_score(row["data_source"], f"<answer>{answer}</answer>", truth, row.get("extra_info"))["score"] == 1.0
        assert compute_score(row["data_source"], "<answer>DROP TABLE x</answer>", truth, row.get("extra_info"))["score"] == 0.0
