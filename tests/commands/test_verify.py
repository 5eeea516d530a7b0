"""``assay verify``: verdict lines in order, per-task summary, input errors reported with exit 1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assay.cli import main
from assay.datasets import build_corpus, write_corpus
from assay.suite import parse_suite

ARITH = "math/arithmetic"


@pytest.fixture(scope="module")
def corpus():
    suite = parse_suite({"n": 20, "seed": 3, "test_size": 0.2, "tasks": [
        {"task": ARITH, "difficulty": 1}, {"task": ARITH, "difficulty": 4}]})
    return build_corpus(suite, executor="inline")


def _write_lines(path: Path, lines: list) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def _good_and_bad(corpus) -> list:
    """Per problem: a correct and a wrong completion (two samples per id), with extra fields."""
    lines = []
    for problem in corpus.train + corpus.test:
        lines.append({"id": problem.id, "completion": f"<answer>{problem.answer}</answer>", "sample": 0, "model": "m"})
        lines.append({"id": problem.id, "completion": "<answer>not a number</answer>", "sample": 1, "model": "m"})
    return lines


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_clean_run_in_a_real_subprocess(corpus, tmp_path):
    folder = write_corpus(corpus, tmp_path / "data", cards=False)
    completions = _write_lines(tmp_path / "completions.jsonl", _good_and_bad(corpus))
    out = tmp_path / "verdicts.jsonl"
    result = subprocess.run([sys.executable, "-m", "assay", "verify", str(folder), str(completions), "--out", str(out),
                             "--workers", "2"], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal, no warnings
    records = _records(out)
    assert len(records) == 40
    assert [r["line"] for r in records] == list(range(1, 41))
    problems = corpus.train + corpus.test
    for index, record in enumerate(records):
        problem = problems[index // 2]
        assert list(record)[:8] == ["id", "task", "difficulty", "line", "score", "passed", "reason", "detail"]
        assert (record["id"], record["task"], record["difficulty"]) == (problem.id, ARITH, problem.meta["difficulty"])
        assert (record["sample"], record["model"]) == (index % 2, "m")
        expected = ("correct", 1.0, True) if index % 2 == 0 else ("unparseable", 0.0, False)
        assert (record["reason"], record["score"], record["passed"]) == expected
    summary = result.stdout.splitlines()
    assert summary[0].split() == ["task", "count", "mean", "score", "pass", "rate", "problems", "any", "pass", "reasons"]
    # 20 problems, two completions each: half the completions pass, every problem has a pass
    assert summary[1].split() == [ARITH, "40", "0.5000", "50.00%", "20", "100.00%", "correct", "20,", "unparseable", "20"]


def test_input_errors_are_reported_never_dropped(corpus, tmp_path, capsys):
    folder = write_corpus(corpus, tmp_path / "data", "jsonl", cards=False)
    problem = corpus.train[0]
    lines = [
        {"id": problem.id, "completion": f"<answer>{problem.answer}</answer>"},
        "{not json",
        {"id": "0123456789abcdef01234567", "completion": "<answer>1</answer>"},
        "",  # blank lines are not completions
        {"id": problem.id, "completion": None},
        {"id": problem.id},
        ["a list"],
        {"completion": "no id"},
        {"id": problem.id, "completion": "<answer>0.5.5</answer>", "completion_tokens": 7},
    ]
    completions = _write_lines(tmp_path / "completions.jsonl", lines)
    out = tmp_path / "verdicts.jsonl"
    assert main(["verify", str(folder), str(completions), "--out", str(out), "--executor", "inline"]) == 1
    records = _records(out)
    assert [(r["line"], r["reason"]) for r in records] == [
        (1, "correct"), (2, "malformed_input"), (3, "unknown_id"), (5, "invalid_completion"),
        (6, "invalid_completion"), (7, "malformed_input"), (8, "malformed_input"), (9, "unparseable"),
    ]
    assert records[2]["id"] == "0123456789abcdef01234567" and records[2]["task"] is None
    assert records[3]["task"] == ARITH  # a known id with a bad completion keeps its task
    assert records[7]["completion_tokens"] == 7
    assert all(r["score"] == 0.0 and not r["passed"] for r in records[1:])
    captured = capsys.readouterr()
    for line, reason in ((2, "malformed_input"), (3, "unknown_id"), (5, "invalid_completion")):
        assert f"line {line}: {reason}" in captured.err
    assert "(no problem)" in captured.out and "unknown_id 1" in captured.out
    total = next(row for row in captured.out.splitlines() if row.startswith("all "))
    assert " 8 " in total and "malformed_input 3" in total


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "hf", "verl"])
def test_every_dataset_format_and_single_files(corpus, fmt, tmp_path, capsys):
    folder = write_corpus(corpus, tmp_path / fmt, fmt, cards=False)
    problem = corpus.test[0]
    completions = _write_lines(tmp_path / "c.jsonl", [{"id": problem.id, "completion": f"\\boxed{{{problem.answer}}}"}])
    targets = [folder]
    if fmt in ("parquet", "jsonl", "verl"):
        targets.append(folder / f"test.{'jsonl' if fmt == 'jsonl' else 'parquet'}")
    for target in targets:
        out = tmp_path / "v.jsonl"
        assert main(["verify", str(target), str(completions), "--out", str(out), "--executor", "inline"]) == 0
        assert _records(out)[0]["reason"] == "correct"


def test_timeout_and_workers_pass_through(corpus, tmp_path):
    folder = write_corpus(corpus, tmp_path / "data", cards=False)
    completions = _write_lines(tmp_path / "c.jsonl", _good_and_bad(corpus)[:6])
    out = tmp_path / "v.jsonl"
    assert main(["verify", str(folder), str(completions), "--out", str(out), "--workers", "1", "--timeout", "30"]) == 0
    assert [r["passed"] for r in _records(out)] == [True, False] * 3


def test_missing_files_exit_2(corpus, tmp_path, capsys):
    folder = write_corpus(corpus, tmp_path / "data", cards=False)
    assert main(["verify", str(tmp_path / "nope"), str(tmp_path / "c.jsonl"), "--out", str(tmp_path / "v")]) == 2
    assert "no dataset" in capsys.readouterr().err
    assert main(["verify", str(folder), str(tmp_path / "c.jsonl"), "--out", str(tmp_path / "v")]) == 2
    assert "cannot read completions file" in capsys.readouterr().err
