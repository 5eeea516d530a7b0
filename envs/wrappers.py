"""Per-turn reward shaping for the multi-turn "try again" mode, as a wrapper over any Assay env.

Shaping lives here, not as a flag in every env.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym

from assay.errors import ConfigError


class TurnShaping(gym.Wrapper[str, str, str, str]):
    """Rewards that favour solving early: turn ``t`` (1-based) earns ``discount ** (t - 1)``
    times the verifier's score, minus ``failure_penalty`` for each turn that did not pass.

    The unshaped score stays in ``info["score"]``; the shaped one is also ``info["shaped_reward"]``.

    >>> from assay.envs import make
    >>> env = TurnShaping(make("math/arithmetic", max_attempts=3), discount=0.5, failure_penalty=0.1)
    >>> _ = env.reset(seed=0)
    >>> _, reward, *_ = env.step("no answer")
    >>> reward
    -0.1
    >>> _, reward, terminated, *_ = env.step(f"<answer>{env.unwrapped.problem.answer}</answer>")
    >>> reward, terminated
    (0.5, True)
    """

    def __init__(self, env: gym.Env[str, str], *, discount: float = 1.0, failure_penalty: float = 0.0) -> None:
        if not 0.0 < discount <= 1.0:
            raise ConfigError("discount", "must lie in (0, 1]", discount)
        if not failure_penalty >= 0.0:
            raise ConfigError("failure_penalty", "must be non-negative", failure_penalty)
        super().__init__(env)
        self.discount = float(discount)
        self.failure_penalty = float(failure_penalty)

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        observation, reward, terminated, truncated, info = self.env.step(action)
        turn = int(info.get("attempt", 1))
        shaped = self.discount ** (turn - 1) * float(reward)
        if not info.get("passed", False):
            shaped -= self.failure_penalty
        info["shaped_reward"] = shaped
        return observation, shaped, terminated, truncated, info
