"""PrimeIntellect verifiers 0.4 (the optional extra ``assay[prime]``): the environment's tasks are
Assay's problems and its reward is Assay's verdict, scored through verifiers' own ``Task.score``
on real ``Trace`` objects, as a rollout would be."""

from __future__ import annotations

import asyncio
import json

import assay
from assay.corpus import build_corpus

# Not importorskip: CI installs assay[dev] (which includes [prime]); a missing package must fail the run.
from assay.envs.prime import (
    AssayTaskset,
    load_environment,
    vf,  # verifiers.v1 (a checkout's verifiers/ folder would hide a plain import)
)


def trace_of(task: vf.Task, reply: str) -> vf.Trace:
    """The trace a one-turn rollout leaves: the prompt, then the model's sampled reply."""
    return vf.Trace(
        task=vf.TraceTask(type=type(task).__name__, data=task.data),
        agent=vf.AgentInfo(config=vf.AgentConfig()),
        nodes=[vf.MessageNode(message=vf.UserMessage(content=task.data.prompt_text)),
               vf.MessageNode(parent=0, message=vf.AssistantMessage(content=reply), sampled=True)],
    )


def score(task: vf.Task, reply: str) -> tuple[float, str]:
    trace = trace_of(task, reply)
    asyncio.run(task.score(trace))
    return trace.rewards["assay"].score, trace.info["assay_reason"]


def test_load_environment_gives_a_verifiers_env_over_the_generated_problems() -> None:
    env = load_environment(tasks=["math/arithmetic", "graph/shortest_path"], n=6, seed=3)
    assert isinstance(env, vf.Env) and isinstance(env.taskset, AssayTaskset)
    tasks = list(env.taskset)
    corpus = build_corpus(["math/arithmetic", "graph/shortest_path"], n=6, seed=3, test_size=0)
    assert len(tasks) == 6 and {t.data.task for t in tasks} == {"math/arithmetic", "graph/shortest_path"}
    assert [t.data.id for t in tasks] == [p.id for p in corpus.train]
    for task in tasks:
        assert json.loads(task.data.row)["prompt"] == task.data.prompt == task.data.prompt_text
    # deterministic: the same arguments, the same tasks
    again = list(load_environment(tasks=["math/arithmetic", "graph/shortest_path"], n=6, seed=3).taskset)
    assert [t.data.row for t in again] == [t.data.row for t in tasks]


def test_the_reward_is_assays_verdict_on_the_last_reply() -> None:
    env = load_environment(tasks=["math/arithmetic", "graph/shortest_path"], n=4, seed=0, workers=1)
    for task in env.taskset:
        problem = assay.Problem.from_row(json.loads(task.data.row))
        for reply in (f"<answer>{task.data.answer}</answer>", "I do not know.", "<answer>-1</answer>"):
            verdict = assay.verify(problem, reply)
            assert score(task, reply) == (verdict.score, verdict.reason), (task.data.task, reply)
        assert score(task, f"<answer>{task.data.answer}</answer>") == (1.0, "correct")
        assert score(task, "I do not know.") == (0.0, "no_answer")


def test_a_hostile_reply_scores_zero_without_breaking_the_episode() -> None:
    (task,) = list(load_environment(tasks="math/arithmetic", n=1, seed=1).taskset)
    value, reason = score(task, "<answer>" + "9" * 5000 + "</answer>" + "x" * 200_000)
    assert value == 0.0 and reason != "correct"


def test_the_taskset_resolves_through_verifiers_own_loader() -> None:
    from verifiers.v1.utils.loaders import taskset_class

    assert taskset_class("assay_prime") is AssayTaskset
