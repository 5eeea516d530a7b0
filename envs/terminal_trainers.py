"""Terminal episodes for trainers: a TRL ``environment_factory`` class (``run_command`` is the tool,
``get_reward`` runs the completion tests) and a verl ``BaseInteraction``-style class.

Both carry a problem as its row (``json.dumps(problem.to_row())``) or as the row's columns.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

from assay.envs.terminal import TerminalEpisode, extract_command, says_done
from assay.types import Problem

logger = logging.getLogger(__name__)


def _problem_from(row: Mapping[str, Any]) -> Problem:
    """A problem from a dataset row's columns, or from a ``problem``/``ground_truth`` JSON column.

    >>> row = Problem.create("terminal/log_filter", "p", "true", {"tree": [], "tests": []}, {}).to_row()
    >>> _problem_from({"ground_truth": json.dumps(row)}).task, _problem_from(row).answer
    ('terminal/log_filter', 'true')
    """
    for key in ("problem", "ground_truth", "row"):
        if isinstance(row.get(key), (str, Mapping)):
            value = row[key]
            return Problem.from_row(json.loads(value) if isinstance(value, str) else value)
    return Problem.from_row(row)


class TerminalTool:
    """TRL ``GRPOTrainer(environment_factory=TerminalTool)``: one instance per rollout. ``reset(**row)``
    opens a sandbox at the task's initial tree and returns the instruction; the model calls
    ``run_command``; ``get_reward`` judges the final tree (1.0 when every test passes).

    >>> tool = TerminalTool(backend="bwrap")  # doctest: +SKIP
    >>> instruction = tool.reset(problem=json.dumps(problem.to_row()))  # doctest: +SKIP
    >>> tool.run_command("ls")  # doctest: +SKIP
    'logs\\n[exit code: 0]'
    """

    def __init__(self, *, backend: str | None = None, max_turns: int = 16, command_timeout_s: float = 10.0,
                 output_chars: int = 4000) -> None:
        self.episode = TerminalEpisode(backend=backend, max_turns=max_turns, command_timeout_s=command_timeout_s,
                                       output_chars=output_chars)
        self.reward: float | None = None

    def reset(self, **row: Any) -> str:
        self.reward = None
        return self.episode.start(_problem_from(row))

    def run_command(self, command: str) -> str:
        """Run a bash command in the task's sandbox (working directory /work) and see its output.

        Args:
            command: the shell command line (or a short script) to run.

        Returns:
            The command's output followed by its exit code, or a note when no turns are left.
        """
        if self.episode.shell is None:
            return "The episode is over."
        if self.episode.turns >= self.episode.max_turns:
            return "No turns left: the task will be judged as it is."
        return self.episode.run(command)

    def get_reward(self) -> float:
        if self.reward is None:
            self.reward = self.episode.finish().score if self.episode.problem is not None else 0.0
        return self.reward

    def close(self) -> None:
        self.episode.close()


class TerminalInteraction:
    """verl multi-turn ``BaseInteraction``: each assistant turn's last ``<command>`` (or fenced bash
    block) runs in the instance's sandbox and its output is the reply; ``<done/>`` or the turn limit
    terminates with the completion tests' score. All methods are async, as verl calls them.

    ``start_interaction(instance_id, ground_truth=json_row)`` takes the problem row (verl's
    ``interaction_kwargs``); ``finalize_interaction`` closes the sandbox.
    """

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = dict(config or {})
        self.name = self.config.get("name", "assay_terminal")
        self._instances: dict[str, TerminalEpisode] = {}

    async def start_interaction(self, instance_id: str | None = None, ground_truth: Any = None, **kwargs: Any) -> str:
        instance_id = instance_id or f"terminal-{len(self._instances)}"
        episode = TerminalEpisode(backend=self.config.get("backend"), max_turns=int(self.config.get("max_turns", 16)),
                                  command_timeout_s=float(self.config.get("command_timeout_s", 10.0)))
        row = {"ground_truth": ground_truth} if ground_truth is not None else kwargs
        await asyncio.to_thread(episode.start, _problem_from(row))
        self._instances[instance_id] = episode
        return instance_id

    async def generate_response(self, instance_id: str, messages: list[dict[str, Any]], **kwargs: Any) -> tuple[bool, str, float, dict[str, Any]]:
        episode = self._instances[instance_id]
        text = next((str(m.get("content", "")) for m in reversed(messages) if m.get("role") == "assistant"), "")
        command = extract_command(text)
        reply = ""
        if command is not None and episode.shell is not None:
            reply = await asyncio.to_thread(episode.run, command)
        else:
            episode.turns += 1
        if says_done(text) or episode.turns >= episode.max_turns or episode.shell is None:
            verdict = await asyncio.to_thread(episode.finish)
            return True, reply, verdict.score, {"reason": verdict.reason, "passed": verdict.passed}
        if command is None:
            reply = "No command found: put one inside <command>...</command>, or reply <done/> when finished."
        return False, reply, 0.0, {}

    async def calculate_score(self, instance_id: str, **kwargs: Any) -> float:
        verdict = await asyncio.to_thread(self._instances[instance_id].finish)
        return verdict.score

    async def finalize_interaction(self, instance_id: str, **kwargs: Any) -> None:
        episode = self._instances.pop(instance_id, None)
        if episode is not None:
            episode.close()
