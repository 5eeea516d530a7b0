"""The core CLI commands (list, audit, demo, bench, --version) through real subprocesses and main()."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from _hostile_tasks import HostileTask

from assay.cli import main
from assay.registry import register_task, unregister_task


def run_cli(*args: str, timeout: int = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_list_prints_every_task_and_filters_by_domain(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("math/arithmetic ") for line in lines)
    assert main(["list", "math"]) == 0
    assert all(line.startswith("math/") for line in capsys.readouterr().out.splitlines())


def test_list_json_shows_each_task_answer_rule_and_what_decides(capsys):
    import json

    assert main(["list", "math", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["math/arithmetic"]["answer_rule"]["name"] == "fallback"
    assert "own answer grammar" in rows["math/arithmetic"]["decided_by"]
    assert "assay.verifiers.math.verify" in rows["math/derivative"]["decided_by"]
    assert main(["list", "graph", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["graph/density"]["answer_rule"]["name"] == "answer_block" and rows["graph/density"]["decided_by"] is None


def test_unknown_domain_and_task_exit_2_with_a_suggestion():
    result = run_cli("list", "mathh")
    assert result.returncode == 2 and "did you mean 'math'" in result.stderr
    result = run_cli("audit", "math/arithmetc")
    assert result.returncode == 2 and "did you mean 'math/arithmetic'" in result.stderr


def test_bad_arguments_exit_2():
    assert run_cli("audit", "--seeds", "many").returncode == 2
    assert run_cli("no-such-command").returncode == 2


@pytest.mark.parametrize(
    ("argv", "usage", "hint"),
    [
        (["generate", "math", "--nn", "5", "--out", "x"], "usage: assay generate", "did you mean --n?"),
        (["generate", "math", "--seeed", "3", "--out", "x"], "usage: assay generate", "did you mean --seed"),
        (["serve", "--prot", "8000"], "usage: assay serve", "did you mean --port"),
    ],
)
def test_a_mistyped_flag_gets_the_sub_command_usage_and_a_suggestion(argv, usage, hint):
    result = run_cli(*argv)
    assert result.returncode == 2
    assert usage in result.stderr and hint in result.stderr, result.stderr


def test_every_command_help_shows_defaults():
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    assert "8000" in result.stdout and "127.0.0.1" in result.stdout
    result = run_cli("generate", "--help")
    assert "(default: process)" in result.stdout


def test_version_and_help():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("assay ")
    assert main([]) == 2


def test_audit_clean_task_exits_0():
    result = run_cli("audit", "math/arithmetic", "--seeds", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "math/arithmetic" in result.stdout and "total" in result.stdout


class LenientTask(HostileTask):
    """A broken verifier that pays everything: the audit must catch it."""

    id = "selftest/lenient"

    def check(self, problem, completion):
        from assay.types import Verdict

        return Verdict.correct()


class StrictTask(HostileTask):
    """A broken verifier that refuses everything, even the reference."""

    id = "selftest/strict"

    def check(self, problem, completion):
        from assay.types import Verdict

        return Verdict.fail("wrong_answer")


@pytest.mark.parametrize("task, kind", [(LenientTask, "false+"), (StrictTask, "false-")])
def test_audit_catches_broken_verifiers(task, kind, capsys):
    register_task(task)
    try:
        # inline executor: these test-only tasks live in this process only
        from assay.audit import audit, format_table

        (result,) = audit([task.id], seeds=[0], executor="inline")
        if kind == "false+":
            assert result.false_positives and not result.false_negatives
            assert {f.why for f in result.false_positives} >= {"empty completion", "binary junk", "the prompt copied into the answer"}
        else:
            assert [f.why for f in result.false_negatives] == ["reference answer"]
        assert "<--" in format_table([result])
    finally:
        unregister_task(task.id)


def test_demo_on_one_domain(tmp_path):
    result = run_cli("demo", "math/arithmetic", "--per-task", "5", "--out", str(tmp_path / "corpus"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reference pass" in result.stdout and "OK:" in result.stdout
    assert (tmp_path / "corpus" / "train.parquet").is_file()
    assert "\r" not in result.stderr  # no progress bar when piped


def test_demo_without_out_leaves_no_temporary_folder(tmp_path):
    env_tmp = tmp_path / "tmp"
    env_tmp.mkdir()
    result = run_cli("demo", "math/arithmetic", "--per-task", "3", env={"TMPDIR": str(env_tmp)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(env_tmp.iterdir()) == []


def test_bench_prints_ratios():
    result = run_cli("bench", "math/arithmetic", "--size", "64")
    assert result.returncode == 0, result.stderr
    assert "vs serial" in result.stdout and "verify_batch workers=1" in result.stdout
    # fair figures: median with its spread over interleaved rounds, the machine's load beside them
    assert "median s" in result.stdout and "min-max" in result.stdout and "interleaved rounds" in result.stdout
    assert result.stdout.count("load average") == 2
