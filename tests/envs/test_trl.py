"""The TRL reward function: columns in every supported shape, chat format, metrics, pickling, async."""

from __future__ import annotations

import asyncio
import json
import pickle

import pytest

import assay
from assay.envs.trl import AsyncAssayReward, async_reward_function, reward_function, to_dataset

# four arithmetic problems, then two of another task (the mixed-dataset case)
OTHER = next(t for t in assay.list_tasks() if t != "math/arithmetic")
PROBLEMS = assay.generate("math/arithmetic", 4, seed=3) + assay.generate(OTHER, 2, seed=3)


def completions_for(problems, wrong=(1,)):
    return [(f"<answer>{p.answer}1</answer>" if i in wrong else f"Reasoning.\n<answer>{p.answer}</answer>") for i, p in enumerate(problems)]


def row_columns(problems):
    rows = [p.to_row() for p in problems]
    return {key: [r[key] for r in rows] for key in rows[0] if key != "prompt"}


def expected(problems, completions):
    return [assay.verify(p, c).score for p, c in zip(problems, completions)]


def test_scores_match_verify_from_the_row_columns() -> None:
    reward = reward_function(workers=2)
    completions = completions_for(PROBLEMS)
    scores = reward([p.prompt for p in PROBLEMS], completions, **row_columns(PROBLEMS), trainer_state=None)
    assert scores == expected(PROBLEMS, completions)
    assert scores[1] == 0.0 and scores[0] == 1.0


@pytest.mark.parametrize("column", ["problem", "ground_truth", "label"])
def test_a_column_holding_the_row_as_json_works_too(column: str) -> None:
    completions = completions_for(PROBLEMS)
    scores = reward_function(executor="inline")(None, completions, **{column: [json.dumps(p.to_row()) for p in PROBLEMS]})
    assert scores == expected(PROBLEMS, completions)


def test_conversational_prompts_and_completions() -> None:
    dataset = to_dataset(PROBLEMS, conversational=True, system_prompt="Be brief.")
    assert dataset[0]["prompt"][0] == {"role": "system", "content": "Be brief."}
    columns = {name: dataset[name] for name in dataset.column_names if name != "prompt"}
    completions = [[{"role": "assistant", "content": c}] for c in completions_for(PROBLEMS)]
    scores = reward_function(executor="inline")(dataset["prompt"], completions, **columns)
    assert scores == expected(PROBLEMS, completions_for(PROBLEMS))


def test_rows_without_a_problem_score_zero_and_other_tasks_get_none() -> None:
    reward = reward_function(executor="inline", tasks=["math/arithmetic"])
    completions = completions_for(PROBLEMS, wrong=())
    scores = reward(None, completions + ["<answer>1</answer>"], problem=[p.to_row() for p in PROBLEMS] + ["{not json"])
    assert scores[:4] == [1.0] * 4
    assert scores[4:len(PROBLEMS)] == [None] * (len(PROBLEMS) - 4)
    assert scores[-1] == 0.0


def test_reason_shares_are_logged_through_log_metric_and_log_extra() -> None:
    metrics: dict[str, list[float]] = {}
    extra: dict[str, list] = {}
    reward = reward_function(executor="inline")
    problems = PROBLEMS[:4]
    for completions in (completions_for(problems, wrong=(1,)), ["?"] * 4):
        reward([p.prompt for p in problems], completions, **row_columns(problems),
               log_metric=lambda name, value: metrics.setdefault(name, []).append(value),
               log_extra=lambda column, values: extra.setdefault(column, []).extend(values))
    assert metrics["assay/correct"] == [0.75, 0.0]  # logged as 0 once seen, so step means are right
    assert metrics["assay/wrong_answer"] == [0.25, 0.0]
    assert metrics["assay/no_answer"] == [1.0]
    assert extra["assay_reason"] == ["correct", "wrong_answer", "correct", "correct"] + ["no_answer"] * 4


def test_the_reward_function_pickles_with_its_settings() -> None:
    reward = reward_function(workers=3, timeout_s=2.0, tasks=["math/arithmetic"], name="arith")
    copy = pickle.loads(pickle.dumps(reward))
    assert (copy.workers, copy.timeout_s, copy.tasks, copy.__name__) == (3, 2.0, frozenset({"math/arithmetic"}), "arith")
    completions = completions_for(PROBLEMS[:4])
    assert copy(None, completions, **row_columns(PROBLEMS[:4])) == expected(PROBLEMS[:4], completions)
    assert pickle.loads(pickle.dumps(async_reward_function())).__class__ is AsyncAssayReward


def test_the_async_variant_is_a_coroutine_function_trl_can_gather() -> None:
    from trl.trainer.utils import is_async_callable

    reward = async_reward_function(workers=2)
    assert is_async_callable(reward) and not is_async_callable(reward_function())
    completions = completions_for(PROBLEMS)

    async def both():
        return await asyncio.gather(reward(None, completions, **row_columns(PROBLEMS)),
                                    reward(None, completions[::-1], problem=[p.to_row() for p in PROBLEMS[::-1]]))

    first, second = asyncio.run(both())
    assert first == expected(PROBLEMS, completions) == second[::-1]


def test_the_curriculum_is_fed_by_the_reward_function() -> None:
    from assay.envs import CurriculumSampler

    sampler = CurriculumSampler(["math/arithmetic"], window=4, min_samples=4)
    problems = assay.generate("math/arithmetic", 4, seed=1, difficulty=1)
    reward_function(executor="inline", curriculum=sampler)(None, completions_for(problems, wrong=()), **row_columns(problems))
    assert sampler.difficulty("math/arithmetic") == 2


def test_the_try_again_tool_environment_for_trl() -> None:
    from transformers.utils import get_json_schema

    from assay.envs.trl import environment_factory

    factory = pickle.loads(pickle.dumps(environment_factory(max_attempts=3, discount=0.5)))
    env = factory()
    schema = get_json_schema(env.submit_answer)  # what TRL shows the model as the tool
    assert schema["function"]["name"] == "submit_answer" and "answer" in schema["function"]["parameters"]["properties"]
    row = to_dataset(PROBLEMS[:1], conversational=True)[0]  # TRL calls reset(**row)
    assert env.reset(**row) is None and env.problem.id == PROBLEMS[0].id
    assert env.get_reward() == 0.0
    assert env.submit_answer("12345678901") .startswith(assay.envs.TRY_AGAIN)
    assert env.submit_answer("?").endswith("1 attempt left.")
    assert env.submit_answer(PROBLEMS[0].answer) == "Correct."
    assert env.get_reward() == 0.25 and env.submit_answer("again") == "Already solved."
    env.reset(**PROBLEMS[1].to_row())
    replies = [env.submit_answer("?") for _ in range(4)]
    assert replies[2:] == ["Your answer is incorrect. No attempts left.", "No attempts left."] and env.get_reward() == 0.0
    with pytest.raises(assay.ConfigError):
        environment_factory(max_attempts=0)
