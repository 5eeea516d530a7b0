"""math/arithmetic (the template task): the checker on a table of answers, the levels, the config
rules and a clean audit. A new task's test has the same four parts."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

import assay
from assay.audit import audit
from assay.errors import ConfigError
from assay.generators.math.arithmetic import ArithmeticConfig

TASK = "math/arithmetic"


@pytest.fixture(scope="module")
def problem() -> assay.Problem:
    # a level-4 problem whose value is a fraction with no exact decimal (the table needs one)
    problems = assay.generate(TASK, 40, seed=3, difficulty=4)
    return next(p for p in problems if "/" in p.answer and (Fraction(p.answer) * 10**6).denominator != 1)


def _rows(gold: str) -> list[tuple[str, bool, str]]:
    numerator, denominator = (int(part) for part in gold.split("/"))
    return [
        (f"<answer>{gold}</answer>", True, "the reference"),
        (f"The value is \\boxed{{{gold}}}.", True, "a boxed answer"),
        (f"<answer>\\frac{{{numerator}}}{{{denominator}}}</answer>", True, "LaTeX fraction"),
        (f"<answer>{numerator * 2}/{denominator * 2}</answer>", True, "an equal fraction, not reduced"),
        (f"<answer>{numerator + denominator}/{denominator}</answer>", False, "off by one"),
        (f"<answer>{gold} or {numerator + 1}/{denominator}</answer>", False, "hedged between two values"),
        (f"<answer>{gold}, 0</answer>", False, "a list of candidates"),
        (f"<answer>{numerator / denominator:.4f}</answer>", False, "a rounded decimal of a repeating fraction"),
        ("<answer></answer>", False, "an empty answer block"),
        (gold, True, "no answer block: the final statement's value (the fallback answer rule)"),
        (f"We work it out and get {numerator + 1}/{denominator}.", False, "the final statement's value is off by one"),
        (f"The value is \\boxed{{{gold}}}, but if we count again it is 7.", False, "a hedged box"),
        ("The expression is hard.", False, "no answer at all"),
    ]


def test_checker_table(problem: assay.Problem) -> None:
    task = assay.get_task(TASK)
    for completion, passes, why in _rows(problem.answer):
        verdict = task.check(problem, completion)
        assert verdict.passed is passes, (why, completion, verdict)
        assert verdict.score == (1.0 if passes else 0.0), why


def test_levels_are_configs_and_grow_harder() -> None:
    task = assay.get_task(TASK)
    assert sorted(task.levels) == [1, 2, 3, 4, 5]
    operands = [task.config_for(level).operands for level in sorted(task.levels)]
    assert operands == sorted(operands) and operands[0] < operands[-1]
    assert task.level_text(1).startswith("operands 3")
    assert task.generate(0, difficulty=5).meta["config"] == task.levels[5].to_dict()


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"operands": 1}, "operands"),
        ({"operands": True}, "operands"),
        ({"depth": 2.0}, "depth"),
        ({"negatives": "yes"}, "negatives"),
    ],
)
def test_config_rules(settings: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ArithmeticConfig(**settings)
    assert caught.value.field == field


def test_audit_is_clean() -> None:
    (report,) = audit([TASK], seeds=[0, 1], executor="inline")
    assert report.clean, report
