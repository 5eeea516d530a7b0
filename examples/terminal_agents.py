"""Terminal tasks with each trainer hook, driven by a scripted policy (no model download).

Run: .venv/bin/python examples/terminal_agents.py [--task terminal/csv_join] [--backend bwrap]

- gymnasium: ``assay.envs.make("terminal/<family>")``, one command per step, ``<done/>`` to finish;
- TRL: ``GRPOTrainer(..., environment_factory=TerminalTool)``; here the "model" calls ``run_command``;
- verl: ``TerminalInteraction`` as a multi-turn interaction; here its async calls are made by hand.
A real policy replaces ``scripted_policy``: it sees the observations and writes the commands.
"""

from __future__ import annotations

import argparse
import asyncio
import json

import assay
from assay.envs.terminal_trainers import TerminalInteraction, TerminalTool


def scripted_policy(problem: assay.Problem) -> list[str]:
    """Look around, run the reference solution, say done (what a trained model should learn to do)."""
    return ["<command>ls -la</command>", f"<command>{problem.answer}</command>", "<done/>"]


def gym_episode(task: str, backend: str | None) -> float:
    env = assay.envs.make(task, difficulty=2, backend=backend)
    try:
        env.reset(seed=0)
        reward = 0.0
        for action in scripted_policy(env.problem):
            _, reward, terminated, truncated, _ = env.step(action)
            if terminated or truncated:
                break
        return reward
    finally:
        env.close()


def trl_rollout(problem: assay.Problem, backend: str | None) -> float:
    tool = TerminalTool(backend=backend)  # GRPOTrainer(environment_factory=TerminalTool) makes one per rollout
    try:
        tool.reset(problem=json.dumps(problem.to_row()))
        tool.run_command("ls -la")
        tool.run_command(problem.answer)
        return tool.get_reward()
    finally:
        tool.close()


async def verl_rollout(problem: assay.Problem, backend: str | None) -> float:
    interaction = TerminalInteraction({"backend": backend, "max_turns": 8})
    instance = await interaction.start_interaction("rollout-0", ground_truth=json.dumps(problem.to_row()))
    score = 0.0
    for action in scripted_policy(problem):
        done, _, score, _ = await interaction.generate_response(instance, [{"role": "assistant", "content": action}])
        if done:
            break
    await interaction.finalize_interaction(instance)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="terminal/csv_join")
    parser.add_argument("--backend", default=None, help="docker, bwrap (default: docker when it works)")
    args = parser.parse_args(argv)
    problem = assay.get_task(args.task).generate(1, difficulty=2)
    rewards = {
        "gymnasium": gym_episode(args.task, args.backend),
        "trl": trl_rollout(problem, args.backend),
        "verl": asyncio.run(verl_rollout(problem, args.backend)),
    }
    for name, reward in rewards.items():
        print(f"{name:<10} reward {reward:.1f}")
    return 0 if all(r == 1.0 for r in rewards.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
