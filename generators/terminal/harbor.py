"""Terminal problems as Harbor / Terminal-Bench task folders: instruction.md, task.toml,
environment/Dockerfile on the local base image, solution/solve.sh and tests/test.sh.

The tests reuse ``assay.verifiers.terminal.checks`` verbatim (standard library only), so the same
completion tests judge a task here and under Harbor; test.sh writes /logs/verifier/reward.txt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from assay.errors import ConfigError
from assay.sandbox.images import DEFAULT_IMAGE
from assay.types import Problem
from assay.verifiers.terminal import checks
from assay.verifiers.terminal.tree import build_archive

DOCKERFILE = """\
FROM {image}
USER root
COPY initial.tar /tmp/initial.tar
RUN mkdir -p /work && tar -xpf /tmp/initial.tar -C /work --no-same-owner && rm /tmp/initial.tar
WORKDIR /work
"""

TEST_SH = """\
#!/bin/bash
# Harbor uploads tests/ after the agent finished; the reward is 1 when every completion test passes.
mkdir -p /logs/verifier
cd /work || exit 1
if /usr/bin/python3 -I /tests/run_tests.py /tests/tests.json /work > /logs/verifier/tests.log 2>&1; then
  echo 1 > /logs/verifier/reward.txt
else
  echo 0 > /logs/verifier/reward.txt
fi
cat /logs/verifier/tests.log
"""

RUN_TESTS = '''\
"""Runs the completion tests of one Assay terminal task on a work tree (argv: tests.json, work dir)."""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402 - the copy of assay.verifiers.terminal.checks shipped beside this file


def snapshot(work):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT, dereference=False) as tar:
        for name in sorted(os.listdir(work)):
            tar.add(os.path.join(work, name), arcname=name, recursive=True)
    return buffer.getvalue()


def run_command(work, spec):
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "work")
        shutil.copytree(work, copy, symlinks=True)
        inputs = "/tmp/assay-in"
        shutil.rmtree(inputs, ignore_errors=True)
        os.makedirs(inputs)
        for name, text in spec.get("inputs", {}).items():
            with open(os.path.join(inputs, name), "w") as handle:
                handle.write(text)
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
        try:
            done = subprocess.run(["bash", "-c", spec["run"]], cwd=copy, env=env, input=spec.get("stdin", ""),
                                  capture_output=True, text=True, timeout=spec.get("timeout_s", 10))
        except subprocess.TimeoutExpired:
            return {"status": "timeout", "exit_code": None, "stdout": "", "stderr": ""}
        return {"status": "ok" if done.returncode == 0 else "error", "exit_code": done.returncode, "stdout": done.stdout,
                "stderr": done.stderr}


def main():
    tests = json.load(open(sys.argv[1]))
    work = sys.argv[2]
    snap = checks.Snapshot.from_tar(snapshot(work))
    outputs = {i: run_command(work, spec) for i, spec in enumerate(tests) if spec["kind"] == "command"}
    results = checks.evaluate(tests, snap, outputs)
    for result in results:
        print(("PASS " if result["passed"] else "FAIL ") + result["name"] + (": " + result["message"] if result["message"] else ""))
    return 0 if all(r["passed"] for r in results) else 1


sys.exit(main())
'''


def folder_name(problem: Problem) -> str:
    """A folder name from the task and seed: letters, digits, dashes.

    >>> folder_name(Problem.create("terminal/log_filter", "p", "a", {}, {"seed": 3, "difficulty": 2}))
    'log-filter-s3-d2'
    """
    name = problem.task.split("/", 1)[-1]
    seed, level = problem.meta.get("seed", problem.id[:8]), problem.meta.get("difficulty", 0)
    return re.sub(r"[^a-z0-9-]+", "-", f"{name}-s{seed}-d{level}".lower().replace("_", "-"))


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def write_task(problem: Problem, root: str | os.PathLike, *, image: str = DEFAULT_IMAGE) -> Path:
    """Writes one Harbor task folder for a terminal problem under ``root``; returns its path."""
    data = problem.data
    if "tree" not in data or "tests" not in data:
        raise ConfigError("problem", "only terminal problems export to Harbor", problem.task)
    folder = Path(root) / folder_name(problem)
    if folder.exists():
        shutil.rmtree(folder)
    for sub in ("environment", "solution", "tests"):
        (folder / sub).mkdir(parents=True)
    instruction = data.get("instruction") or problem.prompt
    (folder / "instruction.md").write_text(
        "Your working directory is /work, which holds the files of this task.\n\n" + instruction.strip() + "\n")
    level = int(problem.meta.get("difficulty", 1))
    toml = "\n".join([
        'version = "1.0"', "",
        "[metadata]",
        'author_name = "assay"',
        f"difficulty = {_toml_string(('easy', 'medium', 'hard')[min(max(level, 1), 3) - 1])}",
        'category = "terminal"',
        f"tags = [{_toml_string(problem.task.split('/', 1)[-1])}, \"assay\"]",
        f"assay_task = {_toml_string(problem.task)}",
        f"assay_problem_id = {_toml_string(problem.id)}",
        f"assay_seed = {int(problem.meta.get('seed', 0))}",
        f"assay_difficulty = {level}", "",
        "[verifier]", "timeout_sec = 180.0", "",
        "[agent]", f"timeout_sec = {max(600.0, float(data.get('timeout_s', 30)) * 10):.1f}", "",
        "[environment]", "build_timeout_sec = 600.0", "cpus = 1", "memory_mb = 2048", "storage_mb = 4096", "",
    ])
    (folder / "task.toml").write_text(toml)
    (folder / "environment" / "Dockerfile").write_text(DOCKERFILE.format(image=image))
    (folder / "environment" / "initial.tar").write_bytes(build_archive(data["tree"]))
    (folder / "solution" / "solve.sh").write_text("#!/bin/bash\ncd /work\n" + problem.answer.rstrip("\n") + "\n")
    (folder / "tests" / "test.sh").write_text(TEST_SH)
    (folder / "tests" / "run_tests.py").write_text(RUN_TESTS)
    shutil.copyfile(checks.__file__, folder / "tests" / "checks.py")
    (folder / "tests" / "tests.json").write_text(json.dumps(data["tests"], indent=1, ensure_ascii=False) + "\n")
    for script in (folder / "solution" / "solve.sh", folder / "tests" / "test.sh"):
        script.chmod(0o755)
    return folder


def export_harbor(problems: Iterable[Problem], root: str | os.PathLike, *, image: str = DEFAULT_IMAGE) -> list[Path]:
    """Writes every terminal problem as a Harbor task folder under ``root``.

    >>> import assay, tempfile
    >>> problem = assay.get_task("terminal/log_filter").generate(0, difficulty=1, check_solvable=False)
    >>> [p.name for p in export_harbor([problem], tempfile.mkdtemp())]
    ['log-filter-s0-d1']
    """
    Path(root).mkdir(parents=True, exist_ok=True)
    return [write_task(problem, root, image=image) for problem in problems]
