"""A test-only task whose verifier hangs on the completion "hang" (the server must still answer).

Imported by the ``hang_task`` fixture (tests/conftest.py) inside a test, and unregistered after it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from assay.registry import Draft, Task, TaskConfig, register_task
from assay.types import Verdict


@dataclass(frozen=True)
class HangConfig(TaskConfig):
    pass


@register_task
class Hang(Task[HangConfig]):
    id = "testing/hang"
    description = "Echo 1; the verifier hangs on the completion 'hang'."
    levels = {1: HangConfig()}
    answer_format = "1"
    verification = "exact"
    Config = HangConfig
    timeout_s = 6.0  # long enough that the test sees other requests answered meanwhile


    def build(self, rng, config) -> Draft:
        return Draft(prompt="Say 1.", answer="<answer>1</answer>", data={"n": rng.randrange(10**9)})

    def check(self, problem, completion: str) -> Verdict:
        if completion == "hang":
            time.sleep(120)
        return Verdict.correct() if completion == "<answer>1</answer>" else Verdict.fail("wrong_answer")
