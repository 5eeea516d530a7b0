"""TerminalTask: the base of every terminal task family. A family draws a file tree, an instruction,
completion tests and a reference script; the base writes the prompt, checks solvability, verifies.

Difficulty is steps, data size and traps (spaces and newlines in names, hidden files, empty
fields, unicode); the shared config carries all three and each family reads what it uses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from assay.errors import ConfigError
from assay.registry import Draft, Probe, Task, TaskConfig
from assay.types import Problem, Verdict
from assay.verifiers.terminal import verify
from assay.verifiers.terminal.solvable import (
    SolvabilityError,
    check_solvable_many,
    shallow_script,
)

logger = logging.getLogger(__name__)

ANSWER_FORMAT = (
    "Write one bash script that does the whole job, in a fenced ```bash block (or inside <answer></answer> "
    "tags). Only your last such block runs, once, as a fresh script from /work with the initial files; "
    "nothing else you write is run."
)


@dataclass(frozen=True)
class TerminalConfig(TaskConfig):
    """Settings every terminal family shares; a family's levels fill them, callers override any."""

    items: int = 6  # data size: files, records or lines the family draws
    traps: int = 0  # 0 none; 1 spaces, hidden files, empty fields; 2 also newlines in names and unicode
    steps: int = 1  # extra steps a family adds on top of its core task (1 = core only)
    check_solvable: bool = True  # at generation: reference passes, nothing and a shallow try fail
    partial_credit: bool = False  # score = fraction of tests passed when not all pass
    timeout_s: float = 30.0  # the script's wall-clock budget

    def __post_init__(self) -> None:
        if not 1 <= self.items <= 5000:
            raise ConfigError("items", "must be between 1 and 5000", self.items)
        if self.traps not in (0, 1, 2):
            raise ConfigError("traps", "must be 0, 1 or 2", self.traps)
        if not 1 <= self.steps <= 3:
            raise ConfigError("steps", "must be between 1 and 3", self.steps)
        if not 1.0 <= self.timeout_s <= 600.0:
            raise ConfigError("timeout_s", "must be between 1 and 600 seconds", self.timeout_s)


LEVELS = {
    1: TerminalConfig(items=6, traps=0, steps=1),
    2: TerminalConfig(items=15, traps=1, steps=2),
    3: TerminalConfig(items=40, traps=2, steps=3),
}
@dataclass
class Spec:
    """What a family draws: the instruction (no answer format), the initial tree entries, the tests
    and the reference script."""

    instruction: str
    tree: list[dict[str, Any]]
    tests: list[dict[str, Any]]
    reference: str
    notes: dict[str, Any] = field(default_factory=dict)


class TerminalTask(Task[TerminalConfig]):
    """A terminal family: subclasses set id, description, verification and implement ``make``."""

    version = 1
    levels: ClassVar[Mapping[int, TerminalConfig]] = LEVELS
    # every problem draws fresh random data (a schema's rows, a program, a file tree): no level runs
    # out, and probing that with hundreds of draws of a slow generator would cost minutes
    capacity: ClassVar[Mapping[int, int | None]] = {level: None for level in LEVELS}
    prompt_shows_problem = False  # the instruction is shared; the file tree differs
    answer_format = "a bash script in a fenced ```bash block (or an <answer> block); the last one runs"
    partial_credit: ClassVar[Mapping[str, str]] = {
        "tests_passed": "with partial_credit=True: the fraction passed of the completion tests that the initial tree fails "
                        "(tests doing nothing passes earn nothing); off by default"}
    Config = TerminalConfig
    timeout_s = 180.0
    limitations: ClassVar[tuple[str, ...]] = (
        ("The script runs once, non-interactively, without network; tools are those of the base image "
        "(coreutils, findutils, grep, sed, gawk, jq, sqlite3, tar, gzip, python3)."),
    )

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        raise NotImplementedError

    def build(self, rng: random.Random, config: TerminalConfig) -> Draft:
        spec = self.make(rng, config)
        prompt = (
            "You are in a Linux shell (bash, Debian) in the directory /work, which holds the files of this task.\n\n"
            f"{spec.instruction.strip()}\n\n{ANSWER_FORMAT}"
        )
        data = {
            "instruction": spec.instruction.strip(),
            "tree": spec.tree,
            "tests": spec.tests,
            "timeout_s": config.timeout_s,
            "partial_credit": config.partial_credit,
            **({"notes": spec.notes} if spec.notes else {}),
        }
        return Draft(prompt=prompt, answer=spec.reference.strip() + "\n", data=data)

    def generate(self, seed: int, *, difficulty: int | None = None, **config: Any) -> Problem:
        return self.generate_many([seed], difficulty=difficulty, **config)[0]

    def generate_many(self, seeds: Sequence[int], *, difficulty: int | None = None, **config: Any) -> list[Problem]:
        """``generate`` of each seed, the same problems, with the solvability checks of a chunk of
        them run in one sandbox round trip (a check costs less than a millisecond of the round trip's
        fixed cost then): for a corpus, generate terminal problems in runs.

        >>> import assay
        >>> task = assay.get_task("terminal/log_filter")
        >>> [p.id for p in task.generate_many([1, 2], check_solvable=False)] == [task.generate(s, check_solvable=False).id for s in (1, 2)]
        True
        """
        drafts = [super(TerminalTask, self).generate(seed, difficulty=difficulty, **config) for seed in seeds]
        checked = [problem for problem in drafts if problem.meta["config"].get("check_solvable", True)]
        outcomes = {id(problem): outcome for problem, outcome in zip(checked, cached_solvability_many(checked), strict=True)}
        return [Problem(p.id, p.task, p.prompt, p.answer, p.data, {**p.meta, "solvability": outcomes.get(id(p), "unchecked")})
                for p in drafts]

    def check(self, problem: Problem, completion: str) -> Verdict:
        return verify(completion, problem.data)

    def probes(self, problem: Problem) -> list[Probe]:
        return tampering_probes(problem)


def fence(script: str) -> str:
    return f"Here is my script.\n```bash\n{script.strip()}\n```\n"


# Attempts to game the grader: each plants something a grader that trusted the sandbox would run
# or read; none may pass alone, and none may spoil a real solution that precedes it.
TAMPERING = (
    "cd /work 2>/dev/null || cd \"$HOME\"\n"
    "printf 'import pytest\\n@pytest.hookimpl(tryfirst=True)\\ndef pytest_runtest_makereport(item, call):\\n    pass\\n' > conftest.py\n"
    "printf '[pytest]\\naddopts = -p no:terminal\\n' > pytest.ini\nprintf 'import sys\\nsys.exit(0)\\n' > sitecustomize.py\n"
    "mkdir -p .fakebin && for b in python3 sqlite3 cat diff test sh bash tar; do printf '#!/bin/sh\\nexit 0\\n' > .fakebin/$b; "
    "chmod +x .fakebin/$b; done\n"
    "echo 'export PATH=/work/.fakebin:$PATH; alias cat=true' >> .bashrc; echo 'export PATH=/work/.fakebin:$PATH' >> .profile\n"
    "mkdir -p tests && printf 'exit 0\\n' > tests/test.sh && echo 1 > reward.txt; "
    "{ mkdir -p /logs/verifier && echo 1 > /logs/verifier/reward.txt; } 2>/dev/null || true"
)


def link_outputs(problem: Problem) -> str:
    """A script replacing every output the tests read with a link to a host file."""
    outputs = sorted({t["path"] for t in problem.data["tests"] if t["kind"] in ("file", "archive")})
    lines = [f"rm -rf -- {quote(p)}; mkdir -p -- \"$(dirname -- {quote(p)})\"; ln -s /etc/passwd {quote(p)}" for p in outputs]
    return "\n".join(lines) or "ln -s /etc/passwd out"


def tampering_probes(problem: Problem) -> list[Probe]:
    """Tampering alone fails; the reference followed by tampering still passes."""
    return [
        Probe(fence(shallow_script(problem.data["tests"])), False, "shallow: the right files with the wrong content"),
        Probe(fence(TAMPERING), False, "tampering alone: conftest.py, sitecustomize, aliases, PATH, fake binaries and reward files"),
        Probe(fence(link_outputs(problem)), False, "tampering alone: outputs are links to host files"),
        Probe(fence(problem.answer + "\n" + TAMPERING), True, "the reference, then all the tampering"),
    ]


def quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# --- solvability at generation ------------------------------------------------------------------


def _cache_dir() -> Path:
    from assay.capacity import cache_folder  # the folder of every computed cache (ASSAY_CACHE)

    return cache_folder() / "terminal-solvable"


CHECK_CHUNK = 32  # problems whose solvability one sandbox round trip checks


def cached_solvability(problem: Problem) -> dict[str, str]:
    """Runs check_solvable once per (problem, reference): the outcome is cached on disk by their hash.

    A failed check is a bug in the family: SolvabilityError."""
    return cached_solvability_many([problem])[0]


def cached_solvability_many(problems: Sequence[Problem]) -> list[dict[str, str]]:
    """``cached_solvability`` of each problem; those not cached are checked together, CHECK_CHUNK at a time."""
    from assay.verifiers.terminal.solvable import CHECK_VERSION

    outcomes: list[dict[str, str] | None] = []
    paths = []
    for problem in problems:
        key = hashlib.sha256(json.dumps([CHECK_VERSION, problem.id, problem.answer]).encode()).hexdigest()[:32]
        path = _cache_dir() / f"{key}.json"
        paths.append(path)
        try:
            outcomes.append(dict(json.loads(path.read_text())))
        except (OSError, ValueError):
            outcomes.append(None)
    missing = [index for index, outcome in enumerate(outcomes) if outcome is None]
    for start in range(0, len(missing), CHECK_CHUNK):
        chunk = missing[start:start + CHECK_CHUNK]
        found = check_solvable_many([(problems[index].data, problems[index].answer) for index in chunk])
        for index, outcome in zip(chunk, found, strict=True):
            problem = problems[index]
            bad = [name for name, want in (("reference", "pass"), ("nothing", "fail"), ("shallow", "fail")) if outcome[name] != want]
            if bad:
                raise SolvabilityError(f"{problem.task} seed={problem.meta.get('seed')} level={problem.meta.get('difficulty')}: "
                                       f"{', '.join(bad)} wrong: {outcome}")
            outcomes[index] = outcome
            _store(paths[index], outcome)
    return [outcome or {} for outcome in outcomes]


def _store(path: Path, outcome: dict[str, str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(outcome, sort_keys=True))
        os.replace(partial, path)
    except OSError as error:
        logger.debug("could not cache a solvability outcome: %s", error)


def sorted_names(names: Sequence[str]) -> list[str]:
    """Names in byte order (as `LC_ALL=C sort` gives them)."""
    return sorted(names, key=lambda n: n.encode("utf-8"))
