"""Every graph task reads its answer by one declared rule (``GraphTask.answer_rule``: the last
``<answer>`` block only), its check applies it, and its card states it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.cards import builtin_tasks
from assay.generators.graph.base import ANSWER_BLOCK_RULE
from assay.registry import get_task, wrap

CARDS = Path(__file__).resolve().parents[3] / "data_cards"
GRAPH = [task_id for task_id in builtin_tasks() if task_id.startswith("graph/")]


@pytest.mark.parametrize("task_id", GRAPH)
def test_the_block_rule_is_declared_applied_and_on_the_card(task_id: str) -> None:
    task = get_task(task_id)
    assert task.answer_rule == ANSWER_BLOCK_RULE
    problem = task.generate(1, difficulty=min(task.levels))
    assert task.check(problem, wrap(problem.answer)).passed
    assert task.check(problem, f"Later: <answer>none</answer> no, <answer>{problem.answer}</answer>").passed
    for outside in (f"Working through it, the answer is {problem.answer}.", f"So $\\boxed{{{problem.answer}}}$",
                    f"**Final Answer**\n\n{problem.answer}"):
        assert task.check(problem, outside).reason == "no_answer", (task_id, outside)
    domain, name = task_id.split("/", 1)
    card = (CARDS / domain / f"{name}.md").read_text(encoding="utf-8")
    rules = [line for line in card.splitlines() if line.startswith("Answer rule `")]
    assert rules and rules[0].startswith("Answer rule `answer_block`: the last `<answer>` block only"), rules
