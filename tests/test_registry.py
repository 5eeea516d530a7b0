"""Registry-wide checks, run on every registered task (as gymnasium's check_env runs on every env).

Determinism across processes and hash seeds, declarations, reference/empty/probe verdicts through
the real batch path, and row round trips.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import assay
from assay.audit import audit
from assay.fingerprints import FILE, fingerprint, key, read, record
from assay.registry import (
    Task,
    TaskConfig,
    describe_levels,
    get_task,
    list_tasks,
    register_task,
    unregister_task,
)
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


def fingerprints_in_subprocesses(*hash_seeds: str) -> list[dict[str, str]]:
    """The fingerprints of every task from one fresh process per hash seed, the processes run side by side."""
    children = [
        subprocess.Popen([sys.executable, "-c", FINGERPRINT], env={**os.environ, "PYTHONHASHSEED": seed},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed in hash_seeds
    ]
    try:
        outputs = [child.communicate(timeout=600) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    for seed, child, (_, stderr) in zip(hash_seeds, children, outputs, strict=True):
        assert child.returncode == 0, f"fingerprints with PYTHONHASHSEED={seed} failed: {stderr[-3000:]}"
    return [json.loads(stdout) for stdout, _ in outputs]


def _fingerprints() -> list[dict[str, str]]:
    return fingerprints_in_subprocesses("0", "4242")


@pytest.fixture(scope="module")
def fingerprints(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    """The fingerprints of every task from two fresh processes (hash seeds 0 and 4242). Under
    pytest-xdist the first worker to need them computes them and leaves them in the run's shared
    temporary folder for the other workers (the same two child processes, run once per run instead
    of once per worker: the children see the same code and seeds, so they print the same)."""
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if worker is None:
        return _fingerprints()
    shared = tmp_path_factory.getbasetemp().parent / "assay-registry-fingerprints.json"
    with open(f"{shared}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if shared.is_file():
            return json.loads(shared.read_text())
        result = _fingerprints()
        shared.write_text(json.dumps(result))
        return result


@dataclass(frozen=True)
class _Size(TaskConfig):
    items: int = 3
    sorted: bool = False


@dataclass(frozen=True)
class _Other(TaskConfig):
    items: int = 3


def _task_class(levels: object) -> type[Task[_Size]]:
    return type("Declared", (Task,), {
        "id": "testing/declared", "description": "a test task", "answer_format": "anything",
        "verification": "none", "Config": _Size, "levels": levels,
    })


@pytest.mark.parametrize(
    ("levels", "why"),
    [
        ({1: "three items"}, "text levels (the old way): the level text is derived from the configs"),
        ({1: _Size(), 2: _Other()}, "a level holds a config of another class"),
        ({1: {"items": 3}}, "a dict of settings, not a config"),
        ({}, "no levels at all"),
        ({True: _Size()}, "a bool is not a difficulty"),
    ],
)
def test_register_task_refuses_levels_that_are_not_configs_of_its_config_class(levels, why):
    with pytest.raises(TypeError):
        register_task(_task_class(levels))
    with pytest.raises(assay.TaskNotFound):  # the refused task was not registered
        get_task("testing/declared")


def test_register_task_takes_config_levels_and_derives_their_text():
    cls = register_task(_task_class({1: _Size(items=3), 2: _Size(items=8, sorted=True)}))
    try:
        task = get_task("testing/declared")
        assert task.config_for(2) == _Size(items=8, sorted=True)
        assert [task.level_text(level) for level in (1, 2)] == ["items 3, sorted off", "items 8, sorted on"]
        assert task.make_config(1, sorted=True) == _Size(items=3, sorted=True)
    finally:
        unregister_task(cls.id)


def test_describe_levels_shows_what_changes_or_the_first_settings_or_defaults():
    assert describe_levels({1: _Size(items=3), 2: _Size(items=8)}) == {1: "items 3", 2: "items 8"}
    assert describe_levels({1: _Size()}) == {1: "items 3, sorted off"}
    assert describe_levels({1: TaskConfig()}) == {1: "default settings"}


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
    assert task.levels and all(isinstance(k, int) and isinstance(v, task.Config) for k, v in task.levels.items())
    assert all(task.level_text(level).strip() for level in task.levels)
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
from assay.registry import Task, TaskConfig, register_task

@dataclass(frozen=True)
class Config(TaskConfig):
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
