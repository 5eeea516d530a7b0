"""The curriculum sampler: difficulty moves up above the band, down below it, stays inside it."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import assay
from assay.envs import CurriculumSampler, make
from assay.errors import ConfigError

TASK = "math/arithmetic"


def feed(sampler: CurriculumSampler, outcomes: list[bool], task: str = TASK) -> None:
    for passed in outcomes:
        sampler.observe(task, sampler.difficulty(task), passed)


def test_difficulty_rises_above_the_band_and_falls_below_it() -> None:
    sampler = CurriculumSampler([TASK], band=(0.3, 0.7), window=10, min_samples=10)
    assert sampler.difficulty(TASK) == 1
    feed(sampler, [True] * 10)
    assert sampler.difficulty(TASK) == 2
    feed(sampler, [True] * 9)  # not enough samples at the new level yet
    assert sampler.difficulty(TASK) == 2
    feed(sampler, [True])
    assert sampler.difficulty(TASK) == 3
    feed(sampler, [False] * 10)
    assert sampler.difficulty(TASK) == 2
    assert sampler.state()[TASK]["moves"] == 3


def test_a_pass_rate_inside_the_band_keeps_the_level() -> None:
    sampler = CurriculumSampler([TASK], band=(0.3, 0.7), window=10, min_samples=10, start=3)
    feed(sampler, [True, False] * 20)
    assert sampler.difficulty(TASK) == 3
    assert sampler.state()[TASK]["pass_rate"] == 0.5


def test_levels_are_clamped_and_stale_outcomes_ignored() -> None:
    sampler = CurriculumSampler([TASK], band=(0.3, 0.7), window=4, min_samples=4, start=5)
    feed(sampler, [True] * 8)
    assert sampler.difficulty(TASK) == 5
    sampler = CurriculumSampler([TASK], window=4, min_samples=4)
    feed(sampler, [False] * 8)
    assert sampler.difficulty(TASK) == 1
    for _ in range(10):
        sampler.observe(TASK, 4, True)  # sampled at another level: ignored
    sampler.observe("math/unknown", 1, True)
    assert sampler.difficulty(TASK) == 1 and sampler.state()[TASK]["samples"] == 4  # the window held at 1


def test_sampling_follows_weights_and_each_task_moves_on_its_own() -> None:
    tasks = assay.list_tasks("math")[:2]
    sampler = CurriculumSampler({tasks[0]: 3.0, tasks[1]: 1.0}, window=4, min_samples=4)
    rng = np.random.default_rng(0)
    draws = [sampler.sample(rng)[0] for _ in range(400)]
    assert 0.65 < draws.count(tasks[0]) / 400 < 0.85
    feed(sampler, [True] * 4, tasks[0])
    assert sampler.difficulty(tasks[0]) == 2 and sampler.difficulty(tasks[1]) == 1


def test_an_env_feeds_its_curriculum_from_its_verdicts() -> None:
    sampler = CurriculumSampler([TASK], band=(0.2, 0.8), window=5, min_samples=5)
    env = make(sampler)
    levels = []
    for seed in range(12):
        _, info = env.reset(seed=seed)
        levels.append(info["difficulty"])
        env.step(f"<answer>{env.problem.answer}</answer>")
    assert levels[:5] == [1] * 5 and levels[5:10] == [2] * 5 and levels[10] == 3
    env = make(TASK, curriculum={"window": 2, "min_samples": 2})
    for seed in range(4):
        env.reset(seed=seed)
        env.step("?")
    assert env.source.curriculum.difficulty(TASK) == 1


def test_the_sampler_pickles_and_validates_its_settings() -> None:
    sampler = CurriculumSampler([TASK], window=4, min_samples=4)
    feed(sampler, [True] * 4)
    copy = pickle.loads(pickle.dumps(sampler))
    assert copy.difficulty(TASK) == 2
    feed(copy, [True] * 4)
    assert copy.difficulty(TASK) == 3
    for bad in ({"band": (0.8, 0.2)}, {"window": 0}, {"min_samples": 9, "window": 4}, {"start": 9}):
        with pytest.raises(ConfigError):
            CurriculumSampler([TASK], **bad)
