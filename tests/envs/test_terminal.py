"""Terminal episodes through the gymnasium env, the TRL tool class and the verl interaction, on real
sandboxes: the reference commands score 1, doing nothing scores 0, and nothing is left behind."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from _required import unavailable

import assay
from assay.envs.terminal import TerminalEnv, extract_command, format_output, says_done
from assay.envs.terminal_trainers import TerminalInteraction, TerminalTool
from assay.sandbox import ExecResult, backends, close_all

FAMILIES = assay.list_tasks("terminal")


@pytest.fixture(params=("docker", "bwrap"))
def backend(request):
    if request.param not in backends():
        if os.environ.get("ASSAY_REQUIRE_SANDBOXES") == "1":
            pytest.fail(f"backend {request.param} is required but unusable here")
        pytest.skip(f"backend {request.param} unusable here")
    yield request.param
    close_all()


def labelled_containers() -> list[str]:
    import docker

    client = docker.from_env()
    return [c.id for c in client.containers.list(all=True, filters={"label": f"assay.sandbox.owner={os.getpid()}"}, sparse=True)]


@pytest.mark.parametrize("task_id", FAMILIES)
def test_reference_episode_scores_one(task_id, backend):
    env = assay.envs.make(task_id, difficulty=2, backend=backend, max_turns=4)
    try:
        prompt, info = env.reset(seed=3)
        assert "/work" in prompt and "<done/>" in prompt and info["backend"] == backend
        obs, reward, terminated, truncated, _ = env.step("<command>ls -la</command>")
        assert obs.endswith("[exit code: 0]") and reward == 0.0 and not (terminated or truncated)
        obs, reward, terminated, truncated, _ = env.step(f"Now the work:\n```bash\n{env.problem.answer}\n```")
        assert not terminated
        obs, reward, terminated, truncated, info = env.step("All done. <done/>")
        assert (reward, terminated, truncated, info["reason"]) == (1.0, True, False, "correct"), info
    finally:
        env.close()


def test_done_at_once_scores_zero_and_the_turn_limit_truncates(backend):
    env = assay.envs.make("terminal/log_filter", difficulty=1, backend=backend, max_turns=2)
    try:
        env.reset(seed=0)
        assert env.step("<done/>")[1:4] == (0.0, True, False)
        env.reset(seed=1)
        env.step("no command here")
        _obs, reward, terminated, truncated, _info = env.step("<command>true</command>")
        assert (reward, terminated, truncated) == (0.0, False, True)
        with pytest.raises(Exception, match="reset"):
            env.step("<command>ls</command>")
    finally:
        env.close()


def test_state_persists_between_steps_and_output_is_bounded(backend):
    env = TerminalEnv(assay.envs.sources.make_source("terminal/log_filter", difficulty=1, check_solvable=False),
                      backend=backend, output_chars=200)
    try:
        env.reset(seed=0)
        env.step("<command>mkdir -p d && cd d && export X=1 && echo kept > f</command>")
        obs = env.step("<command>pwd; cat f; head -c 5000 /dev/zero | tr '\\0' x</command>")[0]
        assert "/work/d" in obs and "kept" in obs and "characters cut" in obs and len(obs) < 400
    finally:
        env.close()


def test_close_leaves_no_container():
    if "docker" not in backends():
        unavailable("no docker here")
    env = assay.envs.make("terminal/log_filter", difficulty=1, backend="docker", pool=False)
    env.reset(seed=0)
    assert labelled_containers()
    env.close()
    close_all()
    assert not labelled_containers()


def test_trl_tool_and_verl_interaction_with_a_scripted_policy(backend):
    problem = assay.get_task("terminal/csv_group_sum").generate(2, difficulty=2)
    row = json.dumps(problem.to_row())
    tool = TerminalTool(backend=backend)
    try:
        assert "/work" in tool.reset(problem=row)
        assert tool.run_command("ls").endswith("[exit code: 0]")
        tool.run_command(problem.answer)
        assert tool.get_reward() == 1.0
        tool.reset(**problem.to_row())
        assert tool.get_reward() == 0.0
    finally:
        tool.close()

    async def converse() -> tuple[float, float]:
        interaction = TerminalInteraction({"backend": backend, "max_turns": 5})
        first = await interaction.start_interaction("a", ground_truth=row)
        done, reply, _, _ = await interaction.generate_response(first, [{"role": "assistant", "content": f"<command>{problem.answer}</command>"}])
        assert not done and reply.endswith("[exit code: 0]")
        done, _, score, extra = await interaction.generate_response(first, [{"role": "assistant", "content": "<done/>"}])
        assert done and extra["reason"] == "correct"
        await interaction.finalize_interaction(first)
        second = await interaction.start_interaction("b", ground_truth=row)
        empty = await interaction.calculate_score(second)
        await interaction.finalize_interaction(second)
        return score, empty

    assert asyncio.run(converse()) == (1.0, 0.0)


@pytest.mark.parametrize("text, command, done", [
    ("<command>ls</command>", "ls", False),
    ("<command>ls</command> then <command>pwd</command>", "pwd", False),
    ("```bash\nls\n```\n<done/>", "ls", True),
    ("<command></command>", None, False),
    ("<DONE />", None, True),
    ("<command>unclosed", None, False),
    # a completion whose every line break is CRLF: "> n.txt\r" would write a file named "n.txt\r"
    ("<command>cd data\r\nwc -l a.txt > n.txt</command>", "cd data\nwc -l a.txt > n.txt", False),
    ("```bash\r\nls\r\n```\r\n", "ls", False),
    ("<command>printf 'a\\r'\nls\r\npwd</command>", "printf 'a\\r'\nls\r\npwd", False),  # mixed: kept
])
def test_command_extraction(text, command, done):
    assert extract_command(text) == command and says_done(text) is done


def test_output_format():
    result = ExecResult("ok", 0, "a" * 50, "", 0.0)
    cut = format_output(result, 20)
    assert cut.startswith("a" * 10 + "\n") and "a" * 11 not in cut and "30 characters cut" in cut
    assert format_output(result, 100) == "a" * 50 + "\n[exit code: 0]"
    assert format_output(ExecResult("timeout", None, "", "", 1.0), 100) == "[the command timed out and was killed]"


def test_the_example_script_runs_every_trainer_hook(backend):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "terminal_agents.py"
    done = subprocess.run([sys.executable, str(script), "--backend", backend], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("reward 1.0") == 3
