"""Test-only tasks whose generators raise or kill their process, to prove corpus generation
reports them instead of hanging. Worker processes import this module by name."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import ClassVar

from assay.registry import Draft, Task, TaskConfig, register_task
from assay.types import Problem, Verdict


@dataclass(frozen=True)
class BrokenConfig(TaskConfig):
    pass


class _Broken(Task):
    description = "A generator that fails (tests only)."
    levels: ClassVar[dict[int, str]] = {1: "the only level"}
    answer_format = "anything"
    verification = "never called"
    Config = BrokenConfig

    def config_for(self, difficulty: int) -> BrokenConfig:
        return BrokenConfig()

    def check(self, problem: Problem, completion: str) -> Verdict:
        return Verdict.fail("wrong_answer")


@register_task
class RaisingGenerator(_Broken):
    id = "selftest/raising_generator"

    def build(self, rng: random.Random, config: BrokenConfig) -> Draft:
        raise ValueError("generator bug on purpose")


@register_task
class DyingGenerator(_Broken):
    id = "selftest/dying_generator"

    def build(self, rng: random.Random, config: BrokenConfig) -> Draft:
        os._exit(3)


IDS = (RaisingGenerator.id, DyingGenerator.id)
