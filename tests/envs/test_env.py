"""The single env: gymnasium's checker on every task and domain, the try-again mode, shaping, sources."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

import assay
from assay.envs import AssayEnv, TurnShaping, make
from assay.envs.env import TRY_AGAIN
from assay.envs.spaces import AnyText
from assay.errors import ConfigError, TaskNotFound
from assay.registry import domains


def right(env: AssayEnv) -> str:
    return f"Let me think.\n<answer>{env.unwrapped.problem.answer}</answer>"


# Terminal tasks are episodes (a command per step, the tests' reward at <done/>): their env is
# checked by tests/envs/test_terminal.py, episode by episode on every backend; these are single-turn.
SINGLE_TURN_DOMAINS = [domain for domain in domains() if domain != "terminal"]
SINGLE_TURN_TASKS = [task for task in assay.list_tasks() if not task.startswith("terminal/")]


def test_every_multi_turn_domain_has_its_own_env_tests() -> None:
    assert set(domains()) - set(SINGLE_TURN_DOMAINS) == {"terminal"}
    assert (Path(__file__).parent / "test_terminal.py").is_file()


@pytest.mark.parametrize("domain", SINGLE_TURN_DOMAINS)
def test_check_env_passes_on_every_domain_mixture(domain: str) -> None:
    env = make(domain)
    check_env(env, skip_render_check=True)
    prompt, info = env.reset(seed=5)
    assert info["task"] in assay.list_tasks(domain)
    assert prompt == env.problem.prompt


@pytest.mark.parametrize("task_id", SINGLE_TURN_TASKS)
def test_check_env_passes_on_every_task_and_reference_answer_is_rewarded(task_id: str) -> None:
    env = make(task_id)
    check_env(env, skip_render_check=True)
    for seed in (0, 1):
        _, info = env.reset(seed=seed)
        observation, reward, terminated, truncated, info = env.step(env.problem.answer if "<answer>" in env.problem.answer else right(env))
        assert (reward, terminated, truncated, info["passed"]) == (1.0, True, False, True), info["verdict"]
        assert observation == ""


def test_check_env_passes_in_try_again_mode_and_as_a_wrapped_env() -> None:
    check_env(make("math/arithmetic", max_attempts=4), skip_render_check=True)
    check_env(TurnShaping(make("math/arithmetic", max_attempts=4), discount=0.5).unwrapped, skip_render_check=True)


def test_the_text_space_admits_any_string() -> None:
    space = AnyText()
    for text in ("", " ", "<answer>∑ x²</answer>\n\t", "\x00", "😀" * 1000):
        assert space.contains(text) and text in space
    assert not space.contains(b"bytes") and not space.contains(None) and not space.contains(3)
    assert not AnyText(max_length=5).contains("123456")
    assert all(space.contains(space.sample()) for _ in range(50))


def test_reset_info_and_seeded_determinism() -> None:
    env = make("math/arithmetic", difficulty=3)
    first = env.reset(seed=11)
    second = env.reset(seed=11)
    other = env.reset(seed=12)
    assert first == second and first[0] != other[0]
    prompt, info = first
    assert set(info) == {"problem_id", "task", "difficulty", "attempt", "max_attempts"}
    assert (info["task"], info["difficulty"], info["attempt"]) == ("math/arithmetic", 3, 0)
    # the same seed gives the same problem in a fresh interpreter
    code = "from assay.envs import make; print(make('math/arithmetic', difficulty=3).reset(seed=11)[1]['problem_id'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "7", "PATH": ""})
    assert out.stdout.strip() == info["problem_id"]


def test_single_turn_episode_ends_after_one_step_whatever_the_answer() -> None:
    env = make("math/arithmetic")
    env.reset(seed=0)
    observation, reward, terminated, truncated, info = env.step("I have no idea")
    assert (observation, reward, terminated, truncated) == ("", 0.0, True, False)
    assert info["reason"] == "no_answer" and info["verdict"] == assay.Verdict.fail("no_answer", message=info["verdict"].detail["message"])
    with pytest.raises(gym.error.ResetNeeded):
        env.step("again?")


def test_step_before_reset_is_refused() -> None:
    with pytest.raises(gym.error.ResetNeeded):
        make("math/arithmetic").step("<answer>1</answer>")


def test_try_again_episode_gives_unary_feedback_then_ends_on_the_right_answer() -> None:
    env = make("math/arithmetic", max_attempts=3, render_mode="ansi")
    prompt, _ = env.reset(seed=3)
    wrong = f"<answer>{assay.verifiers.numbers.format_number(assay.verifiers.numbers.parse_number(env.problem.answer) + 1)}</answer>"
    steps = [env.step(wrong), env.step("no answer here"), env.step(right(env))]
    assert [s[0] for s in steps] == [TRY_AGAIN, TRY_AGAIN, ""]
    assert [s[1] for s in steps] == [0.0, 0.0, 1.0]
    assert [s[2] for s in steps] == [False, False, True]
    assert [s[4]["reason"] for s in steps] == ["wrong_answer", "no_answer", "correct"]
    assert [s[4]["attempt"] for s in steps] == [1, 2, 3]
    transcript = env.render()
    assert transcript.startswith("[prompt]\n" + prompt) and transcript.count(TRY_AGAIN) == 2


def test_try_again_episode_ends_when_attempts_run_out_and_on_an_early_pass() -> None:
    env = make("math/arithmetic", max_attempts=2, feedback=lambda verdict: f"Wrong ({verdict.reason}). Again.")
    env.reset(seed=4)
    observation, _, terminated, _, _ = env.step("?")
    assert (observation, terminated) == ("Wrong (no_answer). Again.", False)
    observation, reward, terminated, _, info = env.step("still ?")
    assert (observation, reward, terminated, info["attempt"]) == ("", 0.0, True, 2)
    env.reset(seed=4)
    _, reward, terminated, _, info = env.step(right(env))
    assert (reward, terminated, info["attempt"]) == (1.0, True, 1)


def test_turn_shaping_discounts_late_successes_and_penalises_failures() -> None:
    env = TurnShaping(make("math/arithmetic", max_attempts=3), discount=0.5, failure_penalty=0.25)
    env.reset(seed=1)
    rewards = [env.step("?")[1], env.step("??")[1]]
    _, reward, terminated, _, info = env.step(right(env))
    assert rewards == [-0.25, -0.25] and (reward, terminated) == (0.25, True)
    assert info["score"] == 1.0 and info["shaped_reward"] == 0.25
    with pytest.raises(ConfigError):
        TurnShaping(make("math/arithmetic"), discount=0.0)


def test_chat_messages_are_accepted_as_actions() -> None:
    env = make("math/arithmetic")
    env.reset(seed=2)
    _, reward, *_ = env.step([{"role": "assistant", "content": right(env)}])
    assert reward == 1.0


def test_options_pose_a_given_problem_or_difficulty() -> None:
    problem = assay.generate("math/arithmetic", 1, seed=9, difficulty=5)[0]
    env = make("math/arithmetic")
    prompt, info = env.reset(options={"problem": json.dumps(problem.to_row())})
    assert (prompt, info["problem_id"]) == (problem.prompt, problem.id)
    _, info = env.reset(seed=0, options={"difficulty": 2})
    assert info["difficulty"] == 2


def test_dataset_envs_from_rows_problems_and_a_written_corpus(tmp_path) -> None:
    from assay.datasets import build_corpus, write_corpus

    problems = assay.generate("math/arithmetic", 5, seed=1)
    for spec in (problems, [p.to_row() for p in problems], [json.dumps(p.to_row()) for p in problems]):
        env = make(spec)
        seen = {env.reset(seed=s)[1]["problem_id"] for s in range(40)}
        assert seen == {p.id for p in problems}
        check_env(env, skip_render_check=True)
    prompt, info = make(problems).reset(options={"index": 3})
    assert info["problem_id"] == problems[3].id
    for fmt in ("parquet", "jsonl", "verl"):
        folder = write_corpus(build_corpus(["math/arithmetic"], n=6, seed=2, test_size=0), tmp_path / fmt, fmt, cards=False)
        env = make(str(folder))
        env.reset(seed=0)
        assert env.step(right(env))[1] == 1.0
        assert {p.id for p in env.source.problems} == {p.id for p in assay.datasets.read_problems(folder)}


def test_mixture_weights_and_unknown_names() -> None:
    env = make({"math/arithmetic": 1.0, "math": 0.0})
    assert {env.reset(seed=s)[1]["task"] for s in range(10)} == {"math/arithmetic"}
    with pytest.raises(TaskNotFound):
        make("math/arithmetc")
    with pytest.raises(TaskNotFound):
        make("no_such_domain")
    with pytest.raises(ConfigError):
        make({"math/arithmetic": -1.0})
    with pytest.raises(ConfigError):
        make("math/arithmetic", max_attempts=0)
    with pytest.raises(ConfigError):
        make("math/arithmetic", operands=1)  # task settings are checked at construction


def test_task_settings_reach_the_generator() -> None:
    env = make("math/arithmetic", difficulty=1, operands=2)
    env.reset(seed=0)
    assert env.problem.meta["config"]["operands"] == 2


def test_dataset_envs_from_a_hugging_face_dataset_and_verl_rows() -> None:
    import datasets

    from assay.envs.verl import verl_row

    problems = assay.generate("math/arithmetic", 3, seed=4)
    for spec in (datasets.Dataset.from_list([p.to_row() for p in problems]), [verl_row(p, index=i) for i, p in enumerate(problems)]):
        env = make(spec)
        assert {env.reset(seed=s)[1]["problem_id"] for s in range(30)} == {p.id for p in problems}
        assert env.step(right(env))[1] == 1.0


def test_a_dataset_env_keeps_the_requested_difficulty_and_settings_need_a_task_id() -> None:
    problems = assay.generate("math/arithmetic", 30, seed=6)
    env = make(problems, difficulty=2)
    assert {env.reset(seed=s)[1]["difficulty"] for s in range(20)} == {2}
    with pytest.raises(assay.DatasetError):
        make([p for p in problems if p.meta["difficulty"] != 4], difficulty=4)
    with pytest.raises(ConfigError):
        make("math", operands=2)
    with pytest.raises(ConfigError):
        make("math/arithmetic", curriculum=True, operands=2)
