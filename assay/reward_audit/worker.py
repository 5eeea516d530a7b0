"""The reward worker: a fresh interpreter that loads the user's reward and scores items for the
parent over pipes (``assay.executors.pipe_worker``). Its memory is bounded by RLIMIT_AS; its time
by the parent, which kills and replaces it.

Messages: ``("load", spec)`` -> ``("ready", convention)`` or ``("failed", message)``;
``("each", items)`` -> one ``(index, reward, error)`` per item as it is scored;
``("batch", items)`` -> ``(None, rewards, error)`` for the whole list.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import resource
import sys
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from assay.executors.pipe_worker import serve
from assay.reward_audit.conventions import MEMORY_ENV, InvalidReward, call_batch, call_one, detect, number, post_rewards

_state: dict[str, Any] = {}


def load_function(target: str, name: str) -> Callable[..., Any]:
    """The callable ``name`` of a module (``package.module``) or of a Python file (``dir/file.py``)."""
    if target.endswith(".py") or os.sep in target or "/" in target:
        path = Path(target).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {target}")
        sys.path.insert(0, str(path.parent))  # the file's own imports of its neighbours
        spec = importlib.util.spec_from_file_location(f"assay_user_reward_{path.stem}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {target} as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
    function = module
    for part in name.split("."):
        function = getattr(function, part)
    if not callable(function):
        raise TypeError(f"{target}:{name} is a {type(function).__name__}, not a function")
    return function


def _describe(error: BaseException) -> str:
    if isinstance(error, InvalidReward):
        return str(error)
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}"[:300] + where


def _load(spec: Mapping[str, Any], outbox: Connection) -> None:
    try:
        if spec["kind"] == "http":
            _state.update(kind="http", url=spec["url"], timeout_s=spec["timeout_s"])
            outbox.send(("ready", "http"))
            return
        function = load_function(spec["target"], spec["function"])
        convention = spec.get("convention") or detect(function)
        _state.update(kind="python", function=function, convention=convention)
        outbox.send(("ready", convention))
    except Exception as error:  # noqa: BLE001 - any failure to load the user's code is reported to the parent
        outbox.send(("failed", _describe(error)))


def _score(item: Mapping[str, Any]) -> Any:
    if _state["kind"] == "http":
        return post_rewards(_state["url"], [item], _state["timeout_s"])[0]
    return call_one(_state["function"], _state["convention"], item)


def _each(items: list[dict[str, Any]], outbox: Connection) -> None:
    for item in items:
        try:
            outbox.send((item["index"], number(_score(item)), None))
        except (Exception, MemoryError, RecursionError) as error:  # noqa: BLE001 - the user's code may raise anything
            outbox.send((item["index"], None, _describe(error)))


def _batch(items: list[dict[str, Any]], outbox: Connection) -> None:
    try:
        if _state["kind"] == "http":
            raw = post_rewards(_state["url"], items, _state["timeout_s"])
        else:
            raw = call_batch(_state["function"], _state["convention"], items)
    except (Exception, MemoryError, RecursionError) as error:  # noqa: BLE001
        outbox.send((None, None, _describe(error)))
        return
    rewards: list[tuple[float | None, str | None]] = []
    for value in raw:
        try:
            rewards.append((number(value), None))
        except InvalidReward as error:
            rewards.append((None, str(error)))
    outbox.send((None, rewards, None))


def _bound_resources() -> None:
    megabytes = int(os.environ.get(MEMORY_ENV, "0") or 0)
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a segfaulting reward leaves no core files behind
    # the user's prints and logs must not mix into the audit's table and progress bar (errors come
    # back as messages; a crash as its exit status)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the worker
    sys.stderr = sys.stdout


if __name__ == "__main__":
    _bound_resources()
    serve({"load": _load, "each": _each, "batch": _batch})
