"""Gymnasium ids: every task is registered by ``import assay.envs``, and the ``module:id`` form
works in a fresh interpreter that never imported it."""

from __future__ import annotations

import json
import subprocess
import sys

import gymnasium
import pytest
from gymnasium.envs.registration import registry

import assay
import assay.envs  # noqa: F401  (registers the ids)
from assay.envs.registration import gym_id, register_tasks
from assay.registry import get_task


def test_every_task_has_a_gymnasium_id_that_makes_its_env() -> None:
    ids = register_tasks()
    assert len(ids) == len(assay.list_tasks()) == len(set(ids))
    for task_id in assay.list_tasks():
        spec = registry[gym_id(task_id, get_task(task_id).version)]
        assert spec.kwargs == {"task": task_id} and spec.namespace == "assay"


def test_gymnasium_make_by_id_poses_and_scores_the_task() -> None:
    env = gymnasium.make("assay/graph-shortest_path-v1", difficulty=1, max_attempts=2)
    prompt, info = env.reset(seed=3)
    assert info["task"] == "graph/shortest_path" and info["difficulty"] == 1 and prompt
    problem = env.unwrapped.problem
    obs, reward, terminated, truncated, info = env.step("no idea")
    assert (reward, terminated, truncated, info["reason"]) == (0.0, False, False, "no_answer")
    assert obs == assay.envs.TRY_AGAIN
    obs, reward, terminated, truncated, info = env.step(f"<answer>{problem.answer}</answer>")
    assert (reward, terminated, info["passed"]) == (1.0, True, True)
    # the same seed poses the same problem through gymnasium.make as through assay.envs.make
    direct = assay.envs.make("graph/shortest_path", difficulty=1)
    assert direct.reset(seed=3)[0] == prompt


def test_a_wrong_version_or_name_is_refused_by_gymnasium() -> None:
    with pytest.raises(gymnasium.error.Error):
        gymnasium.make("assay/graph-shortest_path-v7")
    with pytest.raises(gymnasium.error.Error):
        gymnasium.make("assay/graph-shortest_paht-v1")


def test_module_prefixed_id_works_without_importing_assay_envs() -> None:
    code = (
        "import sys, json, gymnasium\n"
        "assert 'assay.envs' not in sys.modules\n"
        "env = gymnasium.make('assay.envs:assay/math-arithmetic-v1', difficulty=1)\n"
        "prompt, info = env.reset(seed=0)\n"
        "answer = env.unwrapped.problem.answer\n"
        "obs, reward, terminated, truncated, info = env.step('<answer>' + answer + '</answer>')\n"
        "print(json.dumps([info['task'], reward, terminated]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd="/")
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["math/arithmetic", 1.0, True]
