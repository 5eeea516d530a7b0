"""verl's multi-turn interaction, driven with asyncio as verl's rollout drives it."""

from __future__ import annotations

import asyncio
import importlib
import json
from pathlib import Path

import pytest
import yaml

import assay
from assay.envs.verl import AssayInteraction, interaction_row

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TASKS = ["math/arithmetic", "graph/shortest_path", "sql/aggregate"]


def said(text: str) -> list[dict]:
    return [{"role": "user", "content": "question"}, {"role": "assistant", "content": text}]


@pytest.fixture(scope="module")
def problems() -> list[assay.Problem]:
    known = set(assay.list_tasks())
    tasks = [t for t in TASKS if t in known]
    assert len(tasks) >= 2, tasks
    return [assay.generate(task, 1, seed=4, difficulty=1)[0] for task in tasks]


def test_wrong_then_right_on_every_task_concurrently(problems) -> None:
    agent = AssayInteraction({"max_attempts": 3, "workers": 2})

    async def episode(problem: assay.Problem) -> list[tuple]:
        row = interaction_row(problem)
        kwargs = row["extra_info"]["interaction_kwargs"]
        instance = await agent.start_interaction(f"req-{problem.id}", **kwargs)
        turns = [await agent.generate_response(instance, said("I am not sure.")),
                 await agent.generate_response(instance, said(f"<answer>{problem.answer}</answer>"))]
        score = await agent.calculate_score(instance)
        await agent.finalize_interaction(instance)
        return turns + [score]

    async def all_episodes() -> list:
        return await asyncio.gather(*(episode(p) for p in problems))

    for first, second, score in asyncio.run(all_episodes()):
        assert first[:3] == (False, assay.envs.TRY_AGAIN, 0.0) and first[3]["reason"] == "no_answer"
        assert second[:3] == (True, "", 1.0) and second[3]["passed"] is True and second[3]["attempt"] == 2
        assert score == 1.0
    assert agent._instances == {}


def test_attempts_run_out_with_score_zero_and_a_finished_instance_stays_finished(problems) -> None:
    problem = problems[0]
    agent = AssayInteraction({"max_attempts": 2, "feedback": "Nope, again."})

    async def run() -> list:
        instance = await agent.start_interaction(ground_truth=json.dumps(problem.to_row()))
        out = [await agent.generate_response(instance, said("<answer>-123456789</answer>")) for _ in range(3)]
        return out + [await agent.calculate_score(instance)]

    first, second, third, score = asyncio.run(run())
    assert first[:3] == (False, "Nope, again.", 0.0) and first[3]["reason"] == "wrong_answer"
    assert second[0] is True and second[2] == 0.0 and second[3]["attempt"] == 2
    assert third[0] is True and third[3] == {"reason": "episode_over"}
    assert score == 0.0


def test_a_right_first_answer_ends_at_once_and_instances_are_independent(problems) -> None:
    a, b = problems[:2]
    agent = AssayInteraction()

    async def run() -> tuple:
        ia = await agent.start_interaction(ground_truth=a.to_row())  # a mapping works as well as JSON
        ib = await agent.start_interaction(**b.to_row())  # or the row's fields as keyword arguments
        assert ia != ib
        ra = await agent.generate_response(ia, said(f"<answer>{a.answer}</answer>"))
        rb = await agent.generate_response(ib, said(f"<answer>{a.answer}</answer>"))  # a's answer to b
        return ra, rb, await agent.calculate_score(ia), await agent.calculate_score(ib)

    ra, rb, sa, sb = asyncio.run(run())
    assert ra[:3] == (True, "", 1.0) and sa == 1.0
    assert rb[0] is False and rb[2] == 0.0 and sb == 0.0


def test_the_interaction_config_yaml_names_a_class_verl_can_import() -> None:
    config = yaml.safe_load((EXAMPLES / "verl" / "interaction_config.yaml").read_text())
    (entry,) = config["interaction"]
    module, _, name = entry["class_name"].rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    agent = cls(entry["config"])
    assert agent.name == entry["name"] == "assay" and agent.max_attempts == entry["config"]["max_attempts"]
    for method in ("start_interaction", "generate_response", "calculate_score", "finalize_interaction"):
        assert asyncio.iscoroutinefunction(getattr(agent, method)), method
