"""The Harbor export: one exported task is built with Docker and run as Harbor would (solve.sh, then
the tests uploaded and test.sh): reward 1; without the solution, reward 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import uuid

import pytest
from _required import unavailable
from assay.generators.terminal.harbor import export_harbor
from assay.sandbox import backends

import assay
from assay.cli import main


def docker(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=check)


def test_export_writes_the_harbor_layout(tmp_path):
    problem = assay.get_task("terminal/sqlite_import_query").generate(1, difficulty=2)
    (folder,) = export_harbor([problem], tmp_path)
    for name in ("instruction.md", "task.toml", "environment/Dockerfile", "environment/initial.tar", "solution/solve.sh",
                 "tests/test.sh", "tests/run_tests.py", "tests/checks.py", "tests/tests.json"):
        assert (folder / name).is_file(), name
    meta = tomllib.loads((folder / "task.toml").read_text())
    assert meta["metadata"]["assay_task"] == problem.task and meta["metadata"]["assay_seed"] == 1
    assert os.access(folder / "solution" / "solve.sh", os.X_OK) and os.access(folder / "tests" / "test.sh", os.X_OK)
    assert "assay/base:bookworm" in (folder / "environment" / "Dockerfile").read_text()


def test_cli_export(tmp_path, capsys):
    assert main(["export", str(tmp_path / "out"), "--task", "terminal/log_filter", "--n", "2", "--difficulty", "1"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["log-filter-s0-d1", "log-filter-s1-d1"]
    assert main(["export", str(tmp_path / "x")]) == 2


@pytest.mark.parametrize("task_id", ["terminal/script_args", "terminal/create_archive"])
def test_exported_task_runs_as_harbor_would(tmp_path, task_id):
    if "docker" not in backends():
        unavailable("no docker daemon or base image here")
    problem = assay.get_task(task_id).generate(4, difficulty=2)
    (folder,) = export_harbor([problem], tmp_path)
    tag = f"assay-harbor-test:{uuid.uuid4().hex[:12]}"
    docker("build", "-q", "-t", tag, str(folder / "environment"), timeout=600)
    try:
        rewards = []
        for solve in (True, False):
            name = f"assay-harbor-{uuid.uuid4().hex[:12]}"
            docker("run", "-d", "--name", name, "--network", "none", tag, "sleep", "600")
            try:
                if solve:
                    docker("cp", str(folder / "solution"), f"{name}:/solution")
                    docker("exec", "-w", "/work", name, "bash", "/solution/solve.sh")
                docker("cp", str(folder / "tests"), f"{name}:/tests")
                docker("exec", "-w", "/work", name, "bash", "/tests/test.sh", check=False)
                rewards.append(docker("exec", name, "cat", "/logs/verifier/reward.txt").stdout.strip())
            finally:
                docker("rm", "-f", name, check=False)
        assert rewards == ["1", "0"]
    finally:
        docker("image", "rm", "-f", tag, check=False)
    assert shutil.which("docker")
