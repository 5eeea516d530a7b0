"""The calling conventions of reward functions in the field, and turning what they return into
numbers. Runs inside the reward worker (``assay.reward_audit.worker``), next to the user's code.

plain ``f(completion, answer)``; TRL ``f(prompts=, completions=, **columns) -> list``; verl
``compute_score(data_source, solution_str, ground_truth, extra_info)``; OpenRLHF
``reward_func(queries, prompts, labels)``; an OpenRLHF reward server over HTTP.
"""

from __future__ import annotations

import inspect
import json
import math
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Any

CONVENTIONS = ("plain", "trl", "verl", "openrlhf")
BATCHED = frozenset({"trl", "openrlhf", "http"})  # one call scores a list of items
MEMORY_ENV = "ASSAY_REWARD_MEMORY_MB"  # the worker's address-space bound, in MiB (0: none)


class InvalidReward(Exception):
    """A reward call returned something that is not a usable number (the message says what)."""


def detect(function: Callable[..., Any]) -> str:
    """The convention a function's parameter names announce.

    >>> detect(lambda completion, answer: 1.0)
    'plain'
    >>> def trl(prompts, completions, **kwargs): ...
    >>> def verl(data_source, solution_str, ground_truth, extra_info=None): ...
    >>> def orl(queries, prompts, labels, **kw): ...
    >>> detect(trl), detect(verl), detect(orl)
    ('trl', 'verl', 'openrlhf')
    """
    try:
        names = set(inspect.signature(function).parameters)
    except (TypeError, ValueError):  # a builtin or C callable: nothing to read
        return "plain"
    if "completions" in names:
        return "trl"
    if names & {"solution_str", "data_source", "ground_truth"}:
        return "verl"
    if names & {"queries", "labels"}:
        return "openrlhf"
    return "plain"


def number(value: Any) -> float:
    """One reward as a float: bools, ints, floats, numpy and torch scalars, verl's ``{"score": x}``.

    >>> number(True), number({"score": 0.5}), number(3)
    (1.0, 0.5, 3.0)
    >>> number(None)
    Traceback (most recent call last):
    ...
    assay.reward_audit.conventions.InvalidReward: returned None
    """
    if value is None:
        raise InvalidReward("returned None")
    if isinstance(value, Mapping):
        if "score" not in value:
            raise InvalidReward(f"returned a dict without 'score' (keys {sorted(map(str, value))[:6]})")
        value = value["score"]
        if value is None:
            raise InvalidReward("returned None as its score")
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 0) == 0:
        value = value.item()  # numpy and torch scalars
    if isinstance(value, bool):
        return float(value)
    if not isinstance(value, (int, float)):
        raise InvalidReward(f"returned {type(value).__name__}, not a number: {repr(value)[:80]}")
    result = float(value)
    if math.isnan(result) or math.isinf(result):
        raise InvalidReward(f"returned {result}")
    return result


def listed(value: Any, count: int) -> list[Any]:
    """A batch call's return value as a list of ``count`` raw rewards: a list, a tuple, an array or
    tensor, or OpenRLHF's ``{"rewards": ...}``.

    >>> listed({"rewards": [1.0, 0.0]}, 2)
    [1.0, 0.0]
    """
    if isinstance(value, Mapping):
        if "rewards" not in value:
            raise InvalidReward(f"returned a dict without 'rewards' (keys {sorted(map(str, value))[:6]})")
        value = value["rewards"]
    if hasattr(value, "tolist") and callable(value.tolist):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise InvalidReward(f"a batch call returned {type(value).__name__}, not a list")
    if len(value) != count:
        raise InvalidReward(f"a batch call of {count} items returned {len(value)} rewards")
    return list(value)


def _accepted(function: Callable[..., Any], keywords: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments the function takes (all of them when it has ``**kwargs``)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return keywords
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return keywords
    names = {p.name for p in parameters}
    return {k: v for k, v in keywords.items() if k in names}


def columns(items: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The dataset columns a TRL reward receives: the problem's row fields when the label is a row,
    else ``answer``, ``solution`` and ``ground_truth`` (the gold) and ``task``."""
    if items and items[0].get("label_kind") == "row":
        rows = [json.loads(item["label"]) for item in items]
        return {name: [row[name] for row in rows] for name in ("id", "task", "answer", "data", "meta")}
    return {
        "answer": [item["answer"] for item in items],
        "solution": [item["answer"] for item in items],
        "ground_truth": [item["label"] for item in items],
        "task": [item["task"] for item in items],
    }


def _awaited(value: Any) -> Any:
    """The value of an ``async def`` reward's coroutine (TRL runs those too), else the value."""
    if inspect.isawaitable(value):
        import asyncio

        async def wait() -> Any:
            return await value

        return asyncio.run(wait())
    return value


def call_one(function: Callable[..., Any], convention: str, item: Mapping[str, Any]) -> Any:
    """Call a per-item convention on one item, returning the raw reward."""
    if convention == "plain":
        return _awaited(function(item["completion"], item["answer"]))
    if convention == "verl":
        extra = {"index": item["index"], "task": item["task"]}
        return _awaited(function(data_source=item["task"], solution_str=item["completion"], ground_truth=item["label"],
                                 extra_info=extra))
    return call_batch(function, convention, [item])[0]


def call_batch(function: Callable[..., Any], convention: str, items: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Call a batched convention on a list of items, returning the raw rewards, one per item."""
    prompts = [item["prompt"] for item in items]
    completions = [item["completion"] for item in items]
    if convention == "trl":
        keywords = {"prompts": prompts, "completions": completions, **columns(items)}
        return listed(_awaited(function(**_accepted(function, keywords))), len(items))
    if convention == "openrlhf":
        keywords = {"queries": [p + c for p, c in zip(prompts, completions)], "prompts": prompts,
                    "labels": [item["label"] for item in items]}
        return listed(_awaited(function(**_accepted(function, keywords))), len(items))
    return [call_one(function, convention, item) for item in items]


def post_rewards(url: str, items: Sequence[Mapping[str, Any]], timeout_s: float) -> list[Any]:
    """Score items on an OpenRLHF reward server: ``POST {"query", "prompts", "labels"}`` and read
    ``{"rewards": [...]}`` back."""
    body = {"query": [item["prompt"] + item["completion"] for item in items], "prompts": [item["prompt"] for item in items],
            "labels": [item["label"] for item in items]}
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"},
                                     method="POST")
    with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - the user's own URL
        reply = json.loads(response.read().decode("utf-8"))
    return listed(reply, len(items))
