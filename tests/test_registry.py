"""Registry-wide checks, run on every registered task (as gymnasium's check_env runs on every env).

Determinism across processes and hash seeds, declarations, reference/empty/probe verdicts through
the real batch path, and row round trips.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import assay
from assay.audit import audit
from assay.fingerprints import FILE, fingerprint, key, read, record
from assay.registry import get_task, list_tasks
from assay.scoring import item_seed
from assay.types import Problem, content_id

TASKS = list_tasks()
SEEDS = (0, 1)

FINGERPRINT = """
import json, sys
from assay.fingerprints import fingerprint
from assay.registry import list_tasks
json.dump({task_id: fingerprint(task_id) for task_id in list_tasks()}, sys.stdout)
"""
RECORDED = Path(__file__).resolve().parent.parent / "data_cards" / FILE
RECORD = "assay card --fingerprints   (then commit data_cards/fingerprints.json)"


def fingerprint_in_subprocess(hash_seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-c", FINGERPRINT], env=env, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def fingerprints() -> list[dict[str, str]]:
    return [fingerprint_in_subprocess("0"), fingerprint_in_subprocess("4242")]


def test_there_are_tasks_in_every_domain_that_exists():
    assert "math/arithmetic" in TASKS
    for domain in {t.split("/")[0] for t in TASKS}:
        assert list_tasks(domain), domain


@pytest.mark.parametrize("task_id", TASKS)
def test_declaration_is_complete(task_id):
    task = get_task(task_id)
    assert task.id == task_id and task.domain == task_id.split("/")[0]
    for text in (task.description, task.answer_format, task.verification):
        assert isinstance(text, str) and len(text.strip()) >= 10, text
    assert task.levels and all(isinstance(k, int) and isinstance(v, str) and v.strip() for k, v in task.levels.items())
    assert isinstance(task.version, int) and task.version >= 1
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in task.partial_credit.items())
    assert task.timeout_s > 0
    # levels differ: every level has its own config
    configs = [json.dumps(task.config_for(level).to_dict(), sort_keys=True) for level in sorted(task.levels)]
    assert len(set(configs)) == len(configs), "two difficulty levels share a config"


@pytest.mark.parametrize("task_id", TASKS)
def test_generation_is_deterministic_across_processes_and_hash_seeds(task_id, fingerprints):
    assert fingerprints[0][task_id] == fingerprints[1][task_id] == fingerprint(task_id)


@pytest.mark.parametrize("task_id", TASKS)
def test_generation_is_versioned(task_id, fingerprints):
    # the same (task, version, seed) must give the same problem forever: rows published under a
    # version are reproducible only if every change of output comes with a version bump
    recorded = read(RECORDED)
    name = key(task_id)
    assert name in recorded, f"no recorded fingerprint for {name}: run `{RECORD}`"
    assert recorded[name] == fingerprints[0][task_id], (
        f"{task_id} generates other rows than version {get_task(task_id).version} did: bump `version` in its "
        f"task class (rows must stay a pure function of task, version and seed), then run `{RECORD}`")


def test_recording_never_rewrites_a_version(tmp_path):
    path = tmp_path / FILE
    path.write_text(json.dumps({"math/arithmetic@1": "0" * 64}))
    assert record(path, ["math/arithmetic", "math/gcd_lcm"]) == ([], ["math/arithmetic@1"])
    assert json.loads(path.read_text()) == {"math/arithmetic@1": "0" * 64}  # nothing written
    path.unlink()
    assert record(path, ["math/arithmetic"]) == (["math/arithmetic@1"], [])
    assert read(path) == {"math/arithmetic@1": fingerprint("math/arithmetic")}


@pytest.mark.parametrize("task_id", TASKS)
def test_rows_round_trip_and_still_verify(task_id):
    task = get_task(task_id)
    for level in sorted(task.levels):
        problem = task.generate(item_seed(5, level), difficulty=level)
        assert problem.meta["difficulty"] == level and problem.meta["version"] == task.version
        assert problem.id == content_id(problem.task, problem.prompt, problem.data)
        assert "<answer>" in problem.prompt, "the prompt must state the answer format"
        row = json.loads(json.dumps(problem.to_row()))
        again = Problem.from_row(row)
        assert again == problem
        assert assay.verify(row, f"<answer>{problem.answer}</answer>").passed


@pytest.mark.parametrize("task_id", TASKS)
def test_audit_is_clean(task_id):
    """Reference passes with 1.0; empty, missing and junk answers score 0; every registered probe
    gets its expected verdict, over several seeds and every difficulty level."""
    (result,) = audit([task_id], seeds=SEEDS)
    findings = [f.describe() for f in (*result.false_positives, *result.false_negatives, *result.errors)]
    assert not findings, "\n".join(findings[:10])
    assert result.checks >= len(SEEDS) * len(get_task(task_id).levels) * 8


HIDDEN_TASK = '''
from dataclasses import dataclass
from assay.registry import Task, register_task

@dataclass(frozen=True)
class Config:
    size: int = 1

@register_task
class Hidden(Task[Config]):
    id = "math/hidden_in_a_private_module"
    description = "A task in a module whose name starts with an underscore."
    answer_format = "an integer in answer tags"
    verification = "exact match of the integer"
    levels = {1: Config(1)}
    Config = Config
'''


def test_a_task_in_a_private_module_fails_loudly(tmp_path):
    # the loader skipped modules named _*.py, so a task put in one vanished from the registry
    (tmp_path / "_hidden.py").write_text(HIDDEN_TASK)
    script = ("import sys, assay.generators as g; g.__path__.append(sys.argv[1]); "
              "from assay.registry import list_tasks; print(len(list_tasks()))")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode != 0, result.stdout
    assert "math/hidden_in_a_private_module" in result.stderr and "private modules" in result.stderr, result.stderr
