"""Every math task declares the answer rule its check applies (``answer_rule``) and what decides
(``decided_by``), and its card states both. The rule is checked by behaviour: a completion that
gives the answer only in its final statement (no box, no block) passes iff the rule is the
fallback; a box passes under either rule; a hedged box fails whatever the grammar behind it. The
deciding path is checked by watching whether ``assay.verifiers.math.verify`` is called."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assay.cards import builtin_tasks
from assay.generators.math.answers import (
    BY_OWN_GRAMMAR,
    BY_OWN_THEN_VERIFIER,
    BY_VERIFIER,
    BY_VERIFIER_THEN_FORM,
    answer_options,
)
from assay.registry import get_task, wrap
from assay.scoring import item_seed
from assay.types import Problem
from assay.verifiers import math as math_verifier

CARDS = Path(__file__).resolve().parents[3] / "data_cards"
MATH = [task_id for task_id in builtin_tasks() if task_id.startswith("math/")]
RULES = {rule.name: rule for rule in (math_verifier.FALLBACK_RULE, math_verifier.BLOCK_RULE)}


def _problems(task_id: str) -> list[Problem]:
    """One problem at the lowest and one at the highest level."""
    task = get_task(task_id)
    levels = sorted(task.levels)
    return [task.generate(item_seed(0, i), difficulty=level) for i, level in enumerate({levels[0], levels[-1]})]


def test_there_are_math_tasks_and_both_rules_exist() -> None:
    assert len(MATH) >= 40
    assert set(RULES) == {"fallback", "require_answer_block"}


@pytest.mark.parametrize("task_id", MATH)
def test_the_declared_rule_is_the_one_the_check_applies(task_id: str) -> None:
    task = get_task(task_id)
    assert task.answer_rule in RULES.values(), f"{task_id} declares no math answer rule"
    fallback = task.answer_rule == math_verifier.FALLBACK_RULE
    for problem in _problems(task_id):
        # the rows carry the same rule (their verify_options) as the task declares
        assert math_verifier.answer_rule(answer_options(problem)) == task.answer_rule
        stated = task.check(problem, f"Working through the steps, we get ${problem.answer}$.")
        assert stated.passed == fallback, (task_id, task.answer_rule.name, stated)
        boxed = task.check(problem, f"Some work.\n\n$\\boxed{{{problem.answer}}}$")
        assert boxed.passed, (task_id, boxed)
        hedged = task.check(problem, f"So $\\boxed{{{problem.answer}}}$, but if we count the ends it is 7.")
        assert hedged.reason == "several_answers", (task_id, hedged)


@pytest.mark.parametrize("task_id", MATH)
def test_a_row_that_requires_the_block_is_read_so_by_every_check(task_id: str) -> None:
    """Flipping a task to require_answer_block is a matter of its rows' verify_options: every check,
    own grammar or verifier, then refuses the bare final statement and still reads a box."""
    task = get_task(task_id)
    problem = _problems(task_id)[0]
    options = {**(problem.data.get("verify_options") or {}), "require_answer_block": True}
    strict = dataclasses.replace(problem, data={**problem.data, "verify_options": options})
    assert math_verifier.answer_rule(answer_options(strict)) == math_verifier.BLOCK_RULE
    stated = task.check(strict, f"Working through the steps, we get ${problem.answer}$.")
    assert stated.reason == "no_answer", (task_id, stated)
    marked = task.check(strict, f"Working through the steps.\n\nThe final answer is ${problem.answer}$.")
    assert marked.reason == "no_answer", (task_id, marked)
    assert task.check(strict, f"Some work.\n\n$\\boxed{{{problem.answer}}}$").passed
    assert task.check(strict, wrap(problem.answer)).passed


@pytest.mark.parametrize("task_id", MATH)
def test_decided_by_names_the_path_the_check_takes(task_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    task = get_task(task_id)
    assert task.decided_by in (BY_VERIFIER, BY_VERIFIER_THEN_FORM, BY_OWN_GRAMMAR, BY_OWN_THEN_VERIFIER)
    calls: list[str] = []
    real = math_verifier.verify

    def watched(completion, gold, **options):  # the real verifier, counted
        calls.append(gold)
        return real(completion, gold, **options)

    monkeypatch.setattr(math_verifier, "verify", watched)
    problem = _problems(task_id)[0]
    assert task.check(problem, wrap(problem.answer)).passed
    # the reference is read by the own grammar where there is one; the verifier decides otherwise
    assert bool(calls) == (task.decided_by in (BY_VERIFIER, BY_VERIFIER_THEN_FORM)), (task_id, task.decided_by)
    if task.decided_by == BY_OWN_GRAMMAR:
        for junk in ("x^{2} + \\sqrt{q}", "7 or 8", "\\frac{1}{0}"):
            task.check(problem, wrap(junk))
        assert not calls, f"{task_id} declares its own grammar but called the math verifier"


@pytest.mark.parametrize("task_id", MATH)
def test_the_card_states_the_rule_and_what_decides(task_id: str) -> None:
    task = get_task(task_id)
    domain, name = task_id.split("/", 1)
    card = (CARDS / domain / f"{name}.md").read_text(encoding="utf-8")
    rules = [line for line in card.splitlines() if line.startswith("Answer rule `")]
    assert len(rules) == 1, f"{task_id}: the card states no answer rule (or several)"
    assert task.answer_rule is not None
    assert rules[0].startswith(f"Answer rule `{task.answer_rule.name}`: the last \\boxed{{}}"), rules[0]
    assert f"Decided by: {task.decided_by}." in card.splitlines()
