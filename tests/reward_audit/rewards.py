"""Rewards to audit in the tests: naive, strict, hostile, and one per calling convention.

Loaded by path in the reward worker; never imported by the test process itself.
"""

from __future__ import annotations

import os
import re
import time

import numpy as np

BLOCK = re.compile(r"<answer>(.*?)</answer>", re.S)


def substring(completion, answer):
    """Naive: pays any completion that contains the gold."""
    return float(answer in completion)


def exact(completion, answer):
    """Strict: pays only the exact text of the gold in the last answer block."""
    blocks = BLOCK.findall(completion)
    return bool(blocks) and blocks[-1] == answer


def hostile(completion, answer):
    """Raises, hangs, crashes, returns None or blows memory up on chosen probes; else naive."""
    if completion == "":
        return None
    if completion.startswith("I am not able"):
        raise ValueError("cannot score this")
    if completion.startswith("<think>"):
        time.sleep(60)
    if "I don't know" in completion:
        os._exit(3)
    if completion.startswith("Let me think about this again"):
        return len(bytearray(8 * 1024**3))  # far over the worker's memory bound
    if "\\cancel{" in completion:
        return "yes"
    return substring(completion, answer)


def trl_substring(prompts, completions, solution, **kwargs):
    """TRL convention; the whole batch fails when one completion is empty."""
    if any(c == "" for c in completions):
        raise RuntimeError("an empty completion in the batch")
    return [float(s in c) for s, c in zip(solution, completions)]


def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    """verl convention, a dict with "score"."""
    return {"score": float(ground_truth in solution_str), "length": len(solution_str)}


def reward_func(queries, prompts, labels, **kwargs):
    """OpenRLHF convention, arrays under "rewards"."""
    rewards = np.array([float(label in query[len(prompt):]) for query, prompt, label in zip(queries, prompts, labels)])
    return {"rewards": rewards, "scores": rewards}



async def async_trl(prompts, completions, answer, **kwargs):
    """TRL's async form."""
    return [float(a in c) for a, c in zip(answer, completions)]
