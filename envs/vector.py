"""A vector env of Assay envs whose ``step(list_of_texts)`` verifies the whole batch in parallel.

One ``verify_batch`` call per step, so a batch of completions is scored across worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from assay.config import require_int
from assay.envs.curriculum import CurriculumSampler
from assay.envs.env import TRY_AGAIN, AssayEnv
from assay.envs.sources import make_source
from assay.envs.spaces import AnyText
from assay.errors import ConfigError
from assay.randomness import derive_seed
from assay.scoring import verify_batch
from assay.types import Verdict


class AssayVectorEnv(VectorEnv):
    """``num_envs`` Assay envs sharing one problem source (and curriculum), stepped as a batch.

    Observations are tuples of strings; rewards, terminations and truncations are arrays;
    infos follow gymnasium's vector convention (``infos[key]`` an array, ``infos["_key"]`` its
    mask). ``autoreset_mode``: NEXT_STEP (gymnasium's default: a finished env resets on the next
    call, its action ignored), SAME_STEP (it resets at once: the returned observation is the next
    prompt, the last one is in ``infos["final_obs"]``, and ``infos["final_info"]``), or DISABLED
    (reset finished envs with ``reset(options={"reset_mask": mask})``).

    >>> from assay.envs import make_vec
    >>> envs = make_vec("math/arithmetic", 3, autoreset_mode="same_step")
    >>> prompts, infos = envs.reset(seed=0)
    >>> answers = [f"<answer>{e.problem.answer}</answer>" for e in envs.envs]
    >>> _, rewards, terminated, truncated, infos = envs.step(answers[:2] + ["?"])
    >>> rewards.tolist(), terminated.tolist()
    ([1.0, 1.0, 0.0], [True, True, True])
    """

    def __init__(
        self,
        envs: Sequence[AssayEnv],
        *,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        executor: str = "process",
        workers: int | None = None,
        timeout_s: float | None = None,
    ) -> None:
        if not envs:
            raise ConfigError("num_envs", "must be at least 1", len(envs))
        if isinstance(autoreset_mode, str):
            names = {m.name.lower(): m for m in AutoresetMode} | {m.value.lower(): m for m in AutoresetMode}
            if autoreset_mode.lower() not in names:
                raise ConfigError("autoreset_mode", f"must be one of {[m.name.lower() for m in AutoresetMode]}", autoreset_mode)
            autoreset_mode = names[autoreset_mode.lower()]
        self.envs = list(envs)
        self.num_envs = len(self.envs)
        self.executor = executor
        self.workers = workers
        self.timeout_s = timeout_s
        self.metadata = {"autoreset_mode": autoreset_mode, "render_modes": []}
        self.single_observation_space = AnyText()
        self.single_action_space = AnyText()
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self._needs_reset = np.zeros(self.num_envs, dtype=np.bool_)
        self._observations: list[str] = [""] * self.num_envs

    def reset(self, *, seed: int | Sequence[int | None] | None = None, options: dict[str, Any] | None = None) -> tuple[tuple[str, ...], dict[str, Any]]:
        """Reset every env (or those in ``options["reset_mask"]``); an int seed seeds each env
        with a seed derived from (seed, index)."""
        options = dict(options or {})
        mask = np.asarray(options.pop("reset_mask", np.ones(self.num_envs, dtype=np.bool_)), dtype=np.bool_)
        if mask.shape != (self.num_envs,):
            raise ConfigError("reset_mask", f"must be {self.num_envs} booleans", mask.tolist())
        if seed is None or isinstance(seed, (int, np.integer)):
            seeds = [None if seed is None else derive_seed("vector", int(seed), i) >> 1 for i in range(self.num_envs)]
        else:
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ConfigError("seed", f"must be an int or {self.num_envs} seeds", seed)
        if seed is not None:
            self._np_random_seed = seed if isinstance(seed, (int, np.integer)) else -1
        infos: dict[str, Any] = {}
        for index in np.flatnonzero(mask):
            observation, info = self.envs[index].reset(seed=seeds[index], options=options)
            self._observations[index] = observation
            self._needs_reset[index] = False
            infos = self._add_info(infos, info, int(index))
        return tuple(self._observations), infos

    def step(self, actions: Sequence[Any]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Verify ``actions[i]`` for env ``i``, all in one ``verify_batch`` call."""
        if isinstance(actions, str) or len(actions) != self.num_envs:
            raise ValueError(f"step takes a sequence of {self.num_envs} actions")
        mode = self.metadata["autoreset_mode"]
        rewards = np.zeros(self.num_envs, dtype=np.float64)
        terminated = np.zeros(self.num_envs, dtype=np.bool_)
        truncated = np.zeros(self.num_envs, dtype=np.bool_)
        infos: dict[str, Any] = {}
        stepping: list[int] = []
        pending = []
        for index, (env, action) in enumerate(zip(self.envs, actions)):
            if self._needs_reset[index] and mode == AutoresetMode.NEXT_STEP:
                observation, info = env.reset()
                self._observations[index] = observation
                self._needs_reset[index] = False
                infos = self._add_info(infos, info, index)
                continue
            pending.append(env.begin_step(action))
            stepping.append(index)
        if pending:
            verdicts = verify_batch(
                [problem for problem, _ in pending], [text for _, text in pending],
                executor=self.executor, workers=self.workers, timeout_s=self.timeout_s,
            )
            for index, verdict in zip(stepping, verdicts):
                env = self.envs[index]
                observation, reward, done, cut, info = env.finish_step(verdict)
                rewards[index], terminated[index], truncated[index] = reward, done, cut
                if (done or cut) and mode == AutoresetMode.SAME_STEP:
                    next_observation, next_info = env.reset()
                    next_info = dict(next_info, final_obs=observation, final_info=info)
                    observation, info = next_observation, next_info
                elif done or cut:
                    self._needs_reset[index] = True
                self._observations[index] = observation
                infos = self._add_info(infos, info, index)
        return tuple(self._observations), rewards, terminated, truncated, infos

    def verdicts(self, infos: Mapping[str, Any]) -> list[Verdict | None]:
        """The Verdict of each env from a step's infos (None where an env did not step)."""
        array = infos.get("verdict")
        if array is None:
            return [None] * self.num_envs
        mask = infos.get("_verdict", np.ones(self.num_envs, dtype=np.bool_))
        return [array[i] if mask[i] else None for i in range(self.num_envs)]

    def close_extras(self, **kwargs: Any) -> None:
        for env in self.envs:
            env.close()


def make_vec(
    spec: Any,
    num_envs: int,
    *,
    autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
    max_attempts: int = 1,
    feedback: str | Callable[[Verdict], str] = TRY_AGAIN,
    difficulty: int | None = None,
    curriculum: CurriculumSampler | bool | Mapping[str, Any] | None = None,
    executor: str = "process",
    workers: int | None = None,
    timeout_s: float | None = None,
    **config: Any,
) -> AssayVectorEnv:
    """A vector env of ``num_envs`` envs over one source (see ``assay.envs.make`` for ``spec``).

    >>> envs = make_vec("math/arithmetic", 4)
    >>> prompts, infos = envs.reset(seed=7)
    >>> len(prompts), set(infos["task"])
    (4, {'math/arithmetic'})
    """
    require_int("num_envs", num_envs, 1)
    source = make_source(spec, difficulty=difficulty, curriculum=curriculum, **config)
    envs = [
        AssayEnv(source, max_attempts=max_attempts, feedback=feedback, executor=executor, workers=workers, timeout_s=timeout_s)
        for _ in range(num_envs)
    ]
    return AssayVectorEnv(envs, autoreset_mode=autoreset_mode, executor=executor, workers=workers, timeout_s=timeout_s)
