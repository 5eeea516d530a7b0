"""Terminal tasks as multi-turn episodes: a sandbox session at the task's initial tree, one command
per step, and the completion tests' verdict when the agent says <done/> or the turns run out.

``TerminalEpisode`` holds one episode (the gymnasium env, the TRL tool and the verl interaction
share it); docker sessions come from a pool of started containers, bubblewrap is the fallback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import gymnasium as gym

from assay.envs.problems import message_text, to_problem
from assay.envs.sources import ProblemSource
from assay.envs.spaces import AnyText
from assay.errors import ConfigError, SandboxError
from assay.extract import fenced_block
from assay.types import Problem, Verdict
from assay.verifiers.terminal import judge, unix_line_breaks
from assay.verifiers.terminal.sandboxed import SESSION_LIMITS, choose_backend, open_at

if TYPE_CHECKING:
    from assay.sandbox import Session

logger = logging.getLogger(__name__)

_COMMAND_OPEN = re.compile(r"<command>", re.IGNORECASE)
_COMMAND_CLOSE = re.compile(r"</command>", re.IGNORECASE)
_DONE = re.compile(r"<done\s?/>", re.IGNORECASE)
USAGE = (
    "Run one bash command (or a short script) per turn inside <command>...</command> (a fenced ```bash block also "
    "works); you will see its output and exit code. Files, the working directory and background processes persist "
    "between turns. When the task is done, reply <done/>. You have {turns} turns."
)


def extract_command(text: str) -> str | None:
    """The last ``<command>...</command>`` block or fenced bash block, whichever ends last, with LF
    line breaks where all of them were CRLF (as ``assay.verifiers.terminal.extract_script`` reads a
    script).

    >>> extract_command("look first <command>ls -la</command>")
    'ls -la'
    >>> extract_command("```bash\\nwc -l a.txt\\n```") is not None
    True
    >>> extract_command("<done/>") is None
    True
    """
    found = []
    closes = list(_COMMAND_CLOSE.finditer(text))
    if closes:
        close = closes[-1]
        openings = list(_COMMAND_OPEN.finditer(text, 0, close.start()))
        if openings:
            found.append((text[openings[-1].end():close.start()].strip(), close.end()))
    fenced = fenced_block(text, "bash")
    if fenced is not None:
        found.append(fenced)
    if not found:
        return None
    # every line break CRLF: bash would read each CR as part of its line's last word
    return unix_line_breaks(max(found, key=lambda item: item[1])[0]) or None


def says_done(text: str) -> bool:
    return _DONE.search(text) is not None


def format_output(result: Any, limit: int) -> str:
    """What the agent sees of one command: its output, cut in the middle past ``limit`` characters,
    and how it ended."""
    text = (result.stdout or "") + (result.stderr or "")
    if len(text) > limit:
        half = limit // 2
        text = text[:half] + f"\n... [{len(text) - limit} characters cut] ...\n" + text[-half:]
    if result.status == "timeout":
        ending = "[the command timed out and was killed]"
    elif result.status == "sandbox_error":
        ending = f"[sandbox error: {result.message}]"
    elif result.status == "output_limit":
        ending = "[the command printed too much and was stopped]"
    else:
        ending = f"[exit code: {result.exit_code}]"
    return (text if text.endswith("\n") or not text else text + "\n") + ending


class TerminalEpisode:
    """One terminal episode: ``start`` opens the sandbox, ``run`` executes a command, ``finish`` judges
    the final tree and closes everything. Safe to ``close`` at any time.

    >>> import assay
    >>> episode = TerminalEpisode(backend="bwrap")  # doctest: +SKIP
    >>> problem = assay.get_task("terminal/log_filter").generate(0, difficulty=1)  # doctest: +SKIP
    >>> _ = episode.start(problem)  # doctest: +SKIP
    >>> episode.run(problem.answer).endswith("[exit code: 0]")  # doctest: +SKIP
    True
    >>> episode.finish().score  # doctest: +SKIP
    1.0
    """

    def __init__(self, *, backend: str | None = None, command_timeout_s: float = 10.0, output_chars: int = 4000,
                 max_turns: int = 16) -> None:
        if not 1 <= max_turns <= 1000:
            raise ConfigError("max_turns", "must be between 1 and 1000", max_turns)
        if not 0 < command_timeout_s <= SESSION_LIMITS.timeout_s * 20:
            raise ConfigError("command_timeout_s", "must be positive and at most 600", command_timeout_s)
        self.backend = choose_backend(backend, purpose="episode")
        self.command_timeout_s = command_timeout_s
        self.output_chars = output_chars
        self.max_turns = max_turns
        self.problem: Problem | None = None
        self.shell: Session | None = None
        self.turns = 0
        self.verdict: Verdict | None = None

    def start(self, problem: Problem | Mapping[str, Any] | str) -> str:
        """Opens a fresh sandbox at the problem's initial tree; returns the instruction with the usage."""
        self.close()
        self.problem = to_problem(problem)
        if "tree" not in self.problem.data or "tests" not in self.problem.data:
            raise ConfigError("problem", "is not a terminal problem (no tree and tests in its data)", self.problem.task)
        self.turns, self.verdict = 0, None
        self.shell = open_at(self.problem.data["tree"], self.backend, purpose="episode")
        instruction = self.problem.data.get("instruction") or self.problem.prompt
        return ("You are in a Linux shell (bash, Debian) in the directory /work, which holds the files of this task.\n\n"
                f"{instruction}\n\n{USAGE.format(turns=self.max_turns)}")

    def run(self, command: str) -> str:
        """Runs one command in the session; the output the agent sees (bounded, with the exit code)."""
        if self.shell is None:
            raise SandboxError("the episode has no open sandbox (call start, or it is finished)")
        self.turns += 1
        result = self.shell.exec(command, timeout_s=self.command_timeout_s)
        return format_output(result, self.output_chars)

    def finish(self) -> Verdict:
        """Judges the final tree (copied out, tests outside the sandbox) and closes the sandbox."""
        if self.verdict is not None:
            return self.verdict
        if self.shell is None or self.problem is None:
            raise SandboxError("the episode was not started")
        try:
            archive = self.shell.archive()
            self.verdict = judge(self.problem.data, archive, backend=self.backend)
        except SandboxError as error:
            self.verdict = Verdict.fail("sandbox_error", message=str(error))
        finally:
            self.close()
        return self.verdict

    def close(self) -> None:
        if self.shell is not None:
            shell, self.shell = self.shell, None
            shell.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            logger.debug("could not close a terminal episode at exit")


class TerminalEnv(gym.Env[str, str]):
    """A multi-turn gymnasium env over terminal problems. ``reset`` opens a sandbox at the initial
    tree and returns the instruction; ``step(text)`` runs the last ``<command>`` (or fenced bash
    block) and returns its output with the exit code (reward 0); ``<done/>`` or the turn limit ends
    the episode with the completion tests' score as the reward (``truncated`` when the limit ended it).
    ``close`` (and garbage collection) closes the sandbox.

    >>> import assay
    >>> env = assay.envs.make("terminal/log_filter", difficulty=1, backend="bwrap")  # doctest: +SKIP
    >>> prompt, info = env.reset(seed=0)  # doctest: +SKIP
    >>> obs, reward, terminated, truncated, info = env.step("<command>ls</command>")  # doctest: +SKIP
    >>> obs.splitlines()[-1]  # doctest: +SKIP
    '[exit code: 0]'
    """

    metadata = {"render_modes": ["ansi"]}  # noqa: RUF012 - gymnasium reads it as a plain class attribute

    def __init__(self, source: ProblemSource, *, max_turns: int = 16, backend: str | None = None,
                 command_timeout_s: float = 10.0, output_chars: int = 4000, pool: bool = True,
                 render_mode: str | None = None) -> None:
        self.source = source
        self.episode = TerminalEpisode(backend=backend, command_timeout_s=command_timeout_s, output_chars=output_chars,
                                       max_turns=max_turns)
        self.max_turns = max_turns
        self.render_mode = render_mode
        self.observation_space = AnyText()
        self.action_space = AnyText()
        self.problem: Problem | None = None
        self.done = True
        self.transcript: list[tuple[str, str]] = []
        if pool and self.episode.backend == "docker":
            from assay.sandbox import prestart

            prestart("docker", runners=0, sessions=1, limits=SESSION_LIMITS)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        options = dict(options or {})
        problem = to_problem(options["problem"]) if options.get("problem") is not None else self.source.sample(self.np_random, options)
        self.problem = problem
        observation = self.episode.start(problem)
        self.done = False
        self.transcript = [("prompt", observation)]
        return observation, self._info()

    def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self.problem is None or self.done:
            raise gym.error.ResetNeeded("call reset() before step() (the episode is over)")
        text = message_text(action)
        self.transcript.append(("model", text))
        command = extract_command(text)
        done = says_done(text)
        if command is not None:
            observation = self.episode.run(command)
        else:
            self.episode.turns += 1
            observation = "" if done else "No command found: put one inside <command>...</command>, or reply <done/> when finished."
        truncated = not done and self.episode.turns >= self.max_turns
        if done or truncated:
            verdict = self.episode.finish()
            self.done = True
            self.source.observe(self.problem, verdict)
            info = self._info()
            info.update(verdict=verdict, score=verdict.score, passed=verdict.passed, reason=verdict.reason)
            self.transcript.append(("output", observation))
            return observation, verdict.score, done, truncated, info
        self.transcript.append(("output", observation))
        return observation, 0.0, False, False, self._info()

    def render(self) -> str | None:
        if self.render_mode != "ansi":
            return None
        return "\n\n".join(f"[{role}]\n{text}" for role, text in self.transcript)

    def close(self) -> None:
        self.episode.close()
        self.done = True

    def _info(self) -> dict[str, Any]:
        assert self.problem is not None
        return {"problem_id": self.problem.id, "task": self.problem.task, "difficulty": self.problem.meta.get("difficulty"),
                "turn": self.episode.turns, "max_turns": self.max_turns, "backend": self.episode.backend}


def is_terminal_spec(spec: Any) -> bool:
    """Whether ``make(spec)`` names terminal tasks only ("terminal" or "terminal/<family>")."""
    return isinstance(spec, str) and (spec == "terminal" or spec.startswith("terminal/"))


def make_terminal(spec: str, *, difficulty: int | None = None, max_turns: int = 16, backend: str | None = None,
                  command_timeout_s: float = 10.0, output_chars: int = 4000, pool: bool = True,
                  render_mode: str | None = None, **config: Any) -> TerminalEnv:
    """The env ``assay.envs.make`` returns for terminal tasks (problems are not re-checked for
    solvability at each reset unless ``check_solvable=True``: the families are tested solvable)."""
    from assay.envs.sources import make_source

    if spec.startswith("terminal/"):
        config.setdefault("check_solvable", False)
    source = make_source(spec, difficulty=difficulty, **config)
    return TerminalEnv(source, max_turns=max_turns, backend=backend, command_timeout_s=command_timeout_s,
                       output_chars=output_chars, pool=pool, render_mode=render_mode)
