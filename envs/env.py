"""The single-problem text env: ``reset`` shows a prompt, ``step(text)`` scores the model's answer.

One step by default; ``max_attempts > 1`` gives the multi-turn "try again" mode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import gymnasium as gym

from assay.config import require_int
from assay.envs.curriculum import CurriculumSampler
from assay.envs.problems import message_text, to_problem
from assay.envs.sources import ProblemSource, make_source
from assay.envs.spaces import AnyText
from assay.errors import ConfigError
from assay.scoring import verify_batch
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)

# Unary feedback, as in "A Simple 'Try Again' Can Elicit Multi-Turn LLM Reasoning": no hint.
TRY_AGAIN = "Your answer is incorrect. Let's try again."


class AssayEnv(gym.Env[str, str]):
    """A gymnasium env over Assay problems; observations and actions are strings.

    ``reset`` returns the prompt and an info dict (``problem_id``, ``task``, ``difficulty``,
    ``attempt``, ``max_attempts``). ``step(text)`` verifies ``text`` and returns
    ``(observation, reward, terminated, truncated, info)``: the reward is the Verdict's score,
    ``info["verdict"]`` the Verdict (also ``score``, ``passed``, ``reason``). The episode
    terminates on a pass or when the attempts run out; ``truncated`` is always False. After a
    wrong answer with attempts left the observation is ``feedback`` (a string, or a callable of
    the Verdict); at the end it is "". ``executor`` and ``timeout_s`` go to ``verify_batch``: the
    default "process" executor kills a verifier that runs past its time budget.

    >>> env = AssayEnv(make_source("math/arithmetic", difficulty=1))
    >>> prompt, info = env.reset(seed=0)
    >>> info["task"], info["difficulty"]
    ('math/arithmetic', 1)
    >>> obs, reward, terminated, truncated, info = env.step(f"<answer>{env.problem.answer}</answer>")
    >>> reward, terminated, info["reason"]
    (1.0, True, 'correct')
    """

    metadata = {"render_modes": ["ansi"]}

    def __init__(
        self,
        source: ProblemSource,
        *,
        max_attempts: int = 1,
        feedback: str | Callable[[Verdict], str] = TRY_AGAIN,
        executor: str = "process",
        workers: int | None = None,
        timeout_s: float | None = None,
        render_mode: str | None = None,
    ) -> None:
        require_int("max_attempts", max_attempts, 1)
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ConfigError("render_mode", f"must be one of {self.metadata['render_modes']} or None", render_mode)
        self.source = source
        self.max_attempts = max_attempts
        self.feedback = feedback
        self.executor = executor
        self.workers = workers
        self.timeout_s = timeout_s
        self.render_mode = render_mode
        self.observation_space = AnyText()
        self.action_space = AnyText()
        self.problem: Problem | None = None
        self.attempt = 0
        self.done = True
        self.transcript: list[tuple[str, str]] = []

    # -- gymnasium API ----------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """Draw a problem (``options``: ``problem`` to pose a given one; ``difficulty``, ``task`` or
        ``index`` as the source understands them) and return its prompt."""
        super().reset(seed=seed)
        options = dict(options or {})
        if options.get("problem") is not None:
            problem = to_problem(options["problem"])
        else:
            problem = self.source.sample(self.np_random, options)
        self.problem = problem
        self.attempt = 0
        self.done = False
        self.transcript = [("prompt", problem.prompt)]
        return problem.prompt, self._problem_info()

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        problem, text = self.begin_step(action)
        verdict = verify_batch([problem], [text], executor=self.executor, workers=self.workers, timeout_s=self.timeout_s)[0]
        return self.finish_step(verdict)

    def render(self) -> str | None:
        if self.render_mode != "ansi":
            return None
        return "\n\n".join(f"[{role}]\n{text}" for role, text in self.transcript)

    # -- the two halves of a step, so a vector env can verify a whole batch at once --------------
    def begin_step(self, action: Any) -> tuple[Problem, str]:
        """Check the env may step and normalise the action (a string or chat messages)."""
        if self.problem is None or self.done:
            raise gym.error.ResetNeeded("call reset() before step() (the episode is over)")
        text = message_text(action)
        self.transcript.append(("model", text))
        return self.problem, text

    def finish_step(self, verdict: Verdict) -> tuple[str, float, bool, bool, dict[str, Any]]:
        """Apply the verdict of the pending action."""
        assert self.problem is not None  # begin_step checked it
        self.attempt += 1
        terminated = verdict.passed or self.attempt >= self.max_attempts
        if terminated:
            self.done = True
            self.source.observe(self.problem, verdict)
            observation = ""
        else:
            observation = self.feedback(verdict) if callable(self.feedback) else str(self.feedback)
            self.transcript.append(("feedback", observation))
        info = self._problem_info()
        info.update(verdict=verdict, score=verdict.score, passed=verdict.passed, reason=verdict.reason)
        return observation, verdict.score, terminated, False, info

    def _problem_info(self) -> dict[str, Any]:
        assert self.problem is not None
        return {
            "problem_id": self.problem.id,
            "task": self.problem.task,
            "difficulty": self.problem.meta.get("difficulty"),
            "attempt": self.attempt,
            "max_attempts": self.max_attempts,
        }


def make(
    spec: Any,
    *,
    max_attempts: int = 1,
    feedback: str | Callable[[Verdict], str] = TRY_AGAIN,
    difficulty: int | None = None,
    curriculum: CurriculumSampler | bool | Mapping[str, Any] | None = None,
    executor: str = "process",
    workers: int | None = None,
    timeout_s: float | None = None,
    render_mode: str | None = None,
    **config: Any,
) -> AssayEnv:
    """An env over a task id, a domain, a mixture ``{task: weight}``, a curriculum or a dataset.

    ``spec``: ``"math/arithmetic"`` (fresh problems; ``difficulty`` and task settings as keyword
    arguments), ``"math"`` or ``["math", "graph/shortest_path"]`` or ``{"math": 2, "sql": 1}``
    (a mixture; ``curriculum=True`` moves each task's difficulty to keep its pass rate in a band),
    a dataset path (jsonl/json/parquet, as written by ``assay generate``) or an iterable of
    Problems or rows. See ``AssayEnv`` for the rest.

    >>> env = make("math/arithmetic", difficulty=2, max_attempts=3)
    >>> prompt, info = env.reset(seed=1)
    >>> obs, reward, terminated, truncated, info = env.step("no idea")
    >>> obs, reward, terminated, info["reason"]
    ("Your answer is incorrect. Let's try again.", 0.0, False, 'no_answer')
    """
    from assay.envs.terminal import is_terminal_spec, make_terminal

    if is_terminal_spec(spec) and not curriculum:  # multi-turn shell episodes (max_turns, backend, ... in config)
        return make_terminal(spec, difficulty=difficulty, render_mode=render_mode, **config)  # type: ignore[return-value]
    source = make_source(spec, difficulty=difficulty, curriculum=curriculum, **config)
    return AssayEnv(
        source,
        max_attempts=max_attempts,
        feedback=feedback,
        executor=executor,
        workers=workers,
        timeout_s=timeout_s,
        render_mode=render_mode,
    )
