"""Test-only tasks whose verifiers hang, crash, raise or flood, to prove verify_batch survives them.

Worker processes import this module by name (it registers itself there); tests register it explicitly.
"""

from __future__ import annotations

import mmap
import os
import signal
import time
from dataclasses import dataclass

from assay.registry import Draft, Task, TaskConfig, register_task
from assay.types import Problem, Verdict


@dataclass(frozen=True)
class HostileConfig(TaskConfig):
    pass


class HostileTask(Task[HostileConfig]):
    """check() misbehaves according to the completion text."""

    id = "selftest/hostile"
    description = "A verifier that hangs, crashes or raises on command (tests only)."
    levels = {1: HostileConfig()}
    answer_format = "a command word"
    verification = "the completion names the misbehaviour"
    Config = HostileConfig
    timeout_s = 2.0


    def build(self, rng, config) -> Draft:
        return Draft(prompt=f"say ok {rng.randrange(10**9)}", answer="ok", data={})

    def check(self, problem: Problem, completion: str) -> Verdict:
        if completion == "hang":
            while True:
                pass
        if completion == "sleep":
            time.sleep(3600)
        if completion == "nap":
            time.sleep(0.1)
            return Verdict.correct()
        if completion == "crash":
            os.kill(os.getpid(), signal.SIGKILL)
        if completion == "exit":
            os._exit(3)
        if completion == "allocate":
            # 640 GB of address space, never touched: hits the worker's RLIMIT_AS, not the host's RAM
            hoard = [mmap.mmap(-1, 64 * 1024 * 1024) for _ in range(10_000)]
            return Verdict.fail("wrong_answer", hoarded=len(hoard))
        if completion == "raise":
            raise ValueError("deliberate bug")
        if completion == "inspect":  # what the worker process holds when an item starts
            import gc
            import sys

            return Verdict.fail("wrong_answer", sympy="sympy" in sys.modules, frozen=gc.get_freeze_count())
        if completion == "orphan":
            # a grandchild in the worker's process group, sleeping: must die with the worker
            if os.fork() == 0:
                time.sleep(3600)
                os._exit(0)
            while True:
                time.sleep(1)
        return Verdict.correct() if completion == "ok" else Verdict.fail("wrong_answer")


if os.environ.get("ASSAY_POOL_WORKER"):
    register_task(HostileTask)
