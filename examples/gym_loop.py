"""A gymnasium loop over Assay tasks, in the multi-turn "try again" mode.

Run: python examples/gym_loop.py [--env assay/math-arithmetic-v1] [--episodes 4] [--max-attempts 3]

``import assay.envs`` registers every task with gymnasium as ``assay/<domain>-<name>-v<version>``
(``gymnasium.make("assay.envs:assay/...")`` works without the import). Observations and actions
are strings: ``reset`` gives the prompt, ``step(text)`` scores the text; a wrong answer with attempts
left gives the try-again feedback. The policy here is a stand-in for a model: it answers wrong on
its first attempt and then gives the reference answer, so the loop shows both kinds of step; put
your model's generate call in ``policy``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import gymnasium

import assay.envs  # noqa: F401  (registers the gymnasium ids)


def policy(observation: str, attempt: int, env: Any) -> str:
    """A stand-in for a model: a wrong first try, then the reference answer."""
    if attempt == 0:
        return "I think the answer is <answer>not sure</answer>"
    return f"<answer>{env.unwrapped.problem.answer}</answer>"


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="assay/math-arithmetic-v1", help="a gymnasium id")
    parser.add_argument("--episodes", type=int, default=4)
    parser.add_argument("--max-attempts", type=int, default=3)
    parser.add_argument("--difficulty", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    kwargs: dict[str, Any] = {"max_attempts": args.max_attempts}
    if args.difficulty is not None:
        kwargs["difficulty"] = args.difficulty
    env = gymnasium.make(args.env, **kwargs)
    episodes = []
    for episode in range(args.episodes):
        observation, info = env.reset(seed=args.seed + episode)
        rewards, reasons, done = [], [], False
        while not done:
            action = policy(observation, info["attempt"], env)
            observation, reward, terminated, truncated, info = env.step(action)
            rewards.append(reward)
            reasons.append(info["reason"])
            done = terminated or truncated
        episodes.append({"task": info["task"], "rewards": rewards, "reasons": reasons})
    env.close()
    for row in episodes:
        print(json.dumps(row))
    return episodes


if __name__ == "__main__":
    main()
