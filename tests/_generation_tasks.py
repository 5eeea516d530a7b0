"""Test-only tasks whose generators raise or kill their process, to prove corpus generation
reports them instead of hanging. Worker processes import this module by name."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

from assay.registry import Draft, Task, TaskConfig, register_task
from assay.types import Problem, Verdict


@dataclass(frozen=True)
class BrokenConfig(TaskConfig):
    pass


class _Broken(Task[BrokenConfig]):
    description = "A generator that fails (tests only)."
    levels = {1: BrokenConfig()}
    answer_format = "anything"
    verification = "never called"
    Config = BrokenConfig


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
