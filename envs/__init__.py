"""Gym-like envs, a vector env, torch reward tensors, trainer adapters and a reward server.

Importing it registers every task with gymnasium (``gymnasium.make("assay/math-arithmetic-v1")``,
see ``assay.envs.registration``); torch, ray and trl load only where used.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AssayEnv", "AssayVectorEnv", "CurriculumSampler", "TerminalEnv", "TurnShaping", "make", "make_vec",
    "read_problems", "rewards_tensor", "to_problem",
]

_EXPORTS = {
    "AssayEnv": "assay.envs.env",
    "make": "assay.envs.env",
    "TRY_AGAIN": "assay.envs.env",
    "AssayVectorEnv": "assay.envs.vector",
    "make_vec": "assay.envs.vector",
    "TerminalEnv": "assay.envs.terminal",
    "CurriculumSampler": "assay.envs.curriculum",
    "TurnShaping": "assay.envs.wrappers",
    "rewards_tensor": "assay.envs.rewards",
    "read_problems": "assay.envs.problems",
    "to_problem": "assay.envs.problems",
}
_SUBMODULES = {"trl", "verl", "openrlhf", "server", "cli", "spaces", "sources", "problems",
               "env", "vector", "registration", "prime", "wrappers", "rewards", "curriculum", "terminal", "terminal_trainers"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"assay.envs.{name}")
    raise AttributeError(f"module 'assay.envs' has no attribute {name!r}")


def _register() -> None:
    from assay.envs.registration import register_tasks

    register_tasks()


_register()
