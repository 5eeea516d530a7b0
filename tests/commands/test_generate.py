"""``assay generate``: real subprocesses for determinism, ``assay.cli.main`` for the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assay.cli import main
from assay.datasets import read_corpus, read_manifest
from assay.registry import list_tasks

ARITH = "math/arithmetic"


def _run(args: list[str], hashseed: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "verl", "hf"])
def test_byte_identical_across_processes_hash_seeds_and_worker_counts(fmt, tmp_path):
    # 500 problems: above the inline threshold, so --workers 2 really runs two worker processes
    suite = tmp_path / "suite.yaml"
    suite.write_text("tasks:\n  - {task: math/arithmetic, weight: 2}\n  - {task: math/arithmetic, difficulty: 5}\n")
    common = ["generate", "--mix", str(suite), "--n", "500", "--seed", "11", "--format", fmt]
    one = _run([*common, "--out", str(tmp_path / "one"), "--workers", "1"], hashseed="1")
    two = _run([*common, "--out", str(tmp_path / "two"), "--workers", "2"], hashseed="2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    first, second = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert "manifest.json" in first and "README.md" in first and len(first) >= 5
    assert first == second
    # stderr is not a terminal here: no progress bar, no noise
    assert one.stderr == "" and two.stderr == ""


def test_progress_bar_on_a_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 0-wide terminal shows no bar
    try:
        result = subprocess.run([sys.executable, "-m", "assay", "generate", ARITH, "--n", "50", "--out", str(tmp_path / "c")],
                                stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=300, check=False)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert result.returncode == 0
    assert b"generating" in shown and b"/50" in shown


def test_domain_means_all_its_tasks(tmp_path, capsys):
    tasks = list_tasks("math")
    assert main(["generate", "math", "--n", str(2 * len(tasks)), "--test-size", "0", "--out", str(tmp_path / "c")]) == 0
    manifest = read_manifest(tmp_path / "c")
    assert [t["task"] for t in manifest["tasks"]] == tasks
    assert all(t["counts"] == {"train": 2, "test": 0} for t in manifest["tasks"])
    assert "wrote" in capsys.readouterr().out


def test_difficulty_set_and_test_size(tmp_path):
    out = tmp_path / "c"
    assert main(["generate", ARITH, "--n", "20", "--difficulty", "2", "--set", "operands=6", "--set", "negatives=true",
                 "--test-size", "0.25", "--format", "jsonl", "--out", str(out)]) == 0
    splits = read_corpus(out)
    assert {k: len(v) for k, v in splits.items()} == {"train": 15, "test": 5}
    problems = splits["train"] + splits["test"]
    assert {(p.meta["difficulty"], p.meta["config"]["operands"], p.meta["config"]["negatives"]) for p in problems} == {(2, 6, True)}


def test_a_range_of_levels(tmp_path):
    out = tmp_path / "c"
    assert main(["generate", ARITH, "--n", "60", "--difficulty", "2-3", "--out", str(out)]) == 0
    manifest = read_manifest(out)
    assert manifest["tasks"][0]["difficulty"] == [2, 3]
    assert set(manifest["difficulty_counts"][ARITH]) == {"2", "3"}
    assert "| `math/arithmetic` | 1 | 1 | 2, 3 |" in (out / "README.md").read_text()


def test_mix_file_with_overrides(tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "n: 1000\nseed: 4\ntest_size: 0.1\nformat: jsonl\n"
        "tasks:\n"
        "  - {task: math/arithmetic, weight: 3, difficulty: 1}\n"
        "  - {task: math/arithmetic, weight: 1, difficulty: 5, config: {operands: 10}}\n"
    )
    out = tmp_path / "c"
    assert main(["generate", "--mix", str(suite), "--n", "40", "--out", str(out)]) == 0
    manifest = read_manifest(out)
    assert manifest["format"] == "jsonl" and manifest["n"] == 40 and manifest["seed"] == 4
    assert [(t["difficulty"], t["requested"]) for t in manifest["tasks"]] == [(1, 30), (5, 10)]
    assert manifest["difficulty_counts"][ARITH] == {"1": 30, "5": 10}
    # the README's embedded suite regenerates the same rows
    card = (out / "README.md").read_text()
    embedded = card.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "again.yaml").write_text(embedded)
    assert main(["generate", "--mix", str(tmp_path / "again.yaml"), "--out", str(tmp_path / "again")]) == 0
    assert read_manifest(tmp_path / "again")["content_hash"] == manifest["content_hash"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["math/arithmetc", "--n", "5"], "did you mean 'math/arithmetic'"),
        (["nosuchdomain", "--n", "5"], "no task 'nosuchdomain'"),
        ([ARITH, "--n", "0"], "n: must be an integer >= 1"),
        ([ARITH, "--n", "5", "--set", "operandz=3"], "did you mean 'operands'"),
        ([ARITH, "--n", "5", "--set", "operands=1"], "operands: must be an integer between 2 and 40"),
        ([ARITH, "--n", "5", "--set", "novalue"], "--set: must look like KEY=VALUE"),
        ([ARITH, "--n", "5", "--difficulty", "9"], "difficulty: must be one of [1, 2, 3, 4, 5]"),
        ([ARITH, "--n", "5", "--difficulty", "4-7"], "difficulty: must be one of [1, 2, 3, 4, 5]"),
        ([ARITH, "--n", "5", "--difficulty", "easy"], "difficulty: must be a level (3), a range (1-3) or a list"),
        ([ARITH, "--n", "5", "--test-size", "1"], "test_size: must be a fraction in [0, 1)"),
        ([ARITH, "--n", "5", "--workers", "0"], "workers: must be an integer >= 1"),
        (["--n", "5"], "name at least one task"),
        ([ARITH, "--n", "13", "--difficulty", "1", "--set", "operands=2", "--set", "magnitude=2", "--set", "depth=0",
          "--set", "division=false"], "cannot yield 13 distinct problems"),
    ],
)
def test_user_errors_exit_2_with_a_clear_message(args, message, tmp_path, capsys):
    assert main(["generate", *args, "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("assay generate: error:") and message in err, err
    assert not (tmp_path / "c").exists()


def test_mix_errors(tmp_path, capsys):
    suite = tmp_path / "suite.yaml"
    suite.write_text("tasks:\n  - {task: math/arithmetic, weight: 0}\n")
    assert main(["generate", "--mix", str(suite), "--out", str(tmp_path / "c")]) == 2
    assert f"{suite}: tasks[0].weight: must be a positive number (got 0)" in capsys.readouterr().err
    suite.write_text("tasks: [math/arithmetic]\n")
    assert main(["generate", ARITH, "--mix", str(suite), "--out", str(tmp_path / "c")]) == 2
    assert "either task ids or a suite file" in capsys.readouterr().err
    assert main(["generate", "--mix", str(suite), "--difficulty", "2", "--out", str(tmp_path / "c")]) == 2
    assert "in the suite file" in capsys.readouterr().err


def test_hf_format_from_the_command_line(tmp_path):
    import datasets

    assert main(["generate", ARITH, "--n", "10", "--format", "hf", "--out", str(tmp_path / "c")]) == 0
    loaded = datasets.load_from_disk(str(tmp_path / "c"))
    assert {split: loaded[split].num_rows for split in loaded} == {"train": 9, "test": 1}
    assert json.loads((tmp_path / "c" / "manifest.json").read_text())["format"] == "hf"


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("operands=abc", "operands: setting of math/arithmetic must be an integer (got 'abc', a str)"),
        ("fractions=3", "fractions: setting of math/arithmetic must be true or false (got 3, a int)"),
        ("operands=2.5", "must be an integer"),
    ],
)
def test_a_setting_of_the_wrong_type_names_the_setting_and_the_type(tmp_path, capsys, setting, words):
    from assay.cli import main

    assert main(["generate", "math/arithmetic", "--set", setting, "--n", "2", "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert words in err and "not supported between" not in err
