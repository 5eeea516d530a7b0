"""The vector env (one verify_batch per step, the three autoreset modes) and rewards_tensor."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import assay
from assay.envs import make_vec, rewards_tensor
from assay.errors import ConfigError


def answers(envs, wrong: set[int] = frozenset()) -> list[str]:
    return ["nothing" if i in wrong else f"<answer>{e.problem.answer}</answer>" for i, e in enumerate(envs.envs)]


def test_a_batch_step_scores_every_completion_like_verify() -> None:
    envs = make_vec(["math", "graph"], 8, autoreset_mode="disabled", workers=2)
    prompts, infos = envs.reset(seed=3)
    assert len(prompts) == 8 and prompts == tuple(e.problem.prompt for e in envs.envs)
    assert infos["_task"].all() and set(infos["task"]) <= set(assay.list_tasks())
    actions = answers(envs, wrong={1, 4, 6})
    expected = [assay.verify(e.problem, a) for e, a in zip(envs.envs, actions)]
    observations, rewards, terminated, truncated, infos = envs.step(actions)
    assert rewards.tolist() == [v.score for v in expected]
    assert rewards.tolist() == [0.0 if i in {1, 4, 6} else 1.0 for i in range(8)]
    assert terminated.all() and not truncated.any()
    assert [v.reason for v in envs.verdicts(infos)] == [v.reason for v in expected]
    assert observations == ("",) * 8


def test_seeded_reset_is_reproducible_and_differs_per_env() -> None:
    envs = make_vec("math/arithmetic", 4)
    first, _ = envs.reset(seed=1)
    second, _ = envs.reset(seed=1)
    assert first == second and len(set(first)) == 4
    assert envs.reset(seed=2)[0] != first
    assert envs.reset(seed=[5, 6, 7, 8])[0] != first


def test_same_step_autoreset_returns_the_next_prompts_and_the_final_observation() -> None:
    envs = make_vec("math/arithmetic", 3, max_attempts=2, autoreset_mode="same_step")
    prompts, _ = envs.reset(seed=0)
    old = [e.problem.id for e in envs.envs]
    observations, rewards, terminated, _, infos = envs.step(answers(envs, wrong={2}))
    assert terminated.tolist() == [True, True, False] and rewards.tolist() == [1.0, 1.0, 0.0]
    assert observations[2] == assay.envs.TRY_AGAIN  # still trying
    for i in (0, 1):
        assert observations[i] == envs.envs[i].problem.prompt and envs.envs[i].problem.id != old[i]
        assert infos["final_obs"][i] == "" and infos["final_info"]["reason"][i] == "correct"
    assert infos["_final_obs"].tolist() == [True, True, False]


def test_next_step_autoreset_resets_finished_envs_on_the_following_call() -> None:
    envs = make_vec("math/arithmetic", 2, autoreset_mode="next_step")
    envs.reset(seed=0)
    first = envs.envs[0].problem.id
    _, _, terminated, _, _ = envs.step(["?", "?"])
    assert terminated.all()
    observations, rewards, terminated, _, infos = envs.step(["ignored", "ignored"])
    assert rewards.tolist() == [0.0, 0.0] and not terminated.any()
    assert envs.envs[0].problem.id != first and observations[0] == envs.envs[0].problem.prompt
    assert "verdict" not in infos  # nothing was verified on a reset step
    _, rewards, *_ = envs.step(answers(envs))
    assert rewards.tolist() == [1.0, 1.0]


def test_disabled_autoreset_needs_a_masked_reset() -> None:
    envs = make_vec("math/arithmetic", 2, autoreset_mode="disabled")
    envs.reset(seed=0)
    envs.step(["?", "?"])
    with pytest.raises(Exception, match="reset"):
        envs.step(["?", "?"])
    keep = envs.envs[1].problem.id
    _, infos = envs.reset(options={"reset_mask": np.array([True, False])})
    assert infos["_task"].tolist() == [True, False] and envs.envs[1].problem.id == keep


def test_bad_batches_are_refused() -> None:
    envs = make_vec("math/arithmetic", 2)
    envs.reset(seed=0)
    with pytest.raises(ValueError):
        envs.step(["only one"])
    with pytest.raises(ValueError):
        envs.step("a string is not a batch")
    with pytest.raises(ConfigError):
        make_vec("math/arithmetic", 0)
    with pytest.raises(ConfigError):
        make_vec("math/arithmetic", 2, autoreset_mode="sometimes")


def test_rewards_tensor_is_float32_on_the_requested_device() -> None:
    problems = assay.generate("math/arithmetic", 3)
    verdicts = assay.verify_batch(problems, [f"<answer>{problems[0].answer}</answer>", "x", "<answer>1/0</answer>"])
    tensor = rewards_tensor(verdicts, device="cpu")
    assert tensor.dtype == torch.float32 and tensor.device.type == "cpu"
    assert tensor.tolist() == [v.score for v in verdicts] and tensor.tolist()[0] == 1.0
    assert rewards_tensor([{"score": 0.5}, 1, 0.0]).tolist() == [0.5, 1.0, 0.0]
    assert rewards_tensor([]).shape == (0,)
    with pytest.raises(TypeError):
        rewards_tensor(["1.0"])
