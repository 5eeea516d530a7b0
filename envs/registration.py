"""Gymnasium ids for every task: ``gymnasium.make("assay/graph-shortest_path-v1")``.

``import assay.envs`` registers them; ``gymnasium.make("assay.envs:assay/<name>-v<version>")``
imports the package itself, so that form needs no import first. The id's name is the task id with
``-`` for ``/`` and its version the task's version; keyword arguments of ``gymnasium.make`` go to
``assay.envs.make`` (``difficulty``, ``max_attempts``, task settings, ...).
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

NAMESPACE = "assay"
ENTRY_POINT = "assay.envs.registration:make_task_env"


def gym_id(task_id: str, version: int | str) -> str:
    """The gymnasium id of a task.

    >>> gym_id("graph/shortest_path", 1)
    'assay/graph-shortest_path-v1'
    """
    return f"{NAMESPACE}/{task_id.replace('/', '-')}-v{version}"


def make_task_env(task: str, **kwargs: Any) -> Any:
    """The entry point gymnasium calls: ``assay.envs.make(task, **kwargs)``."""
    from assay.envs.env import make

    return make(task, **kwargs)


def register_tasks() -> list[str]:
    """Register every task with gymnasium (again is harmless: ids already there are left alone);
    returns the gymnasium ids.

    >>> import gymnasium
    >>> "assay/math-arithmetic-v1" in register_tasks()
    True
    >>> env = gymnasium.make("assay/math-arithmetic-v1", difficulty=1)
    >>> prompt, info = env.reset(seed=0)
    >>> info["task"]
    'math/arithmetic'
    """
    from gymnasium.envs.registration import register, registry

    from assay.registry import get_task, list_tasks

    ids = []
    for task_id in list_tasks():
        env_id = gym_id(task_id, get_task(task_id).version)
        ids.append(env_id)
        if env_id not in registry:
            register(id=env_id, entry_point=ENTRY_POINT, kwargs={"task": task_id}, disable_env_checker=False)
    logger.debug("registered %d gymnasium ids", len(ids))
    return ids
