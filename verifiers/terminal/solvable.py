"""The solvability check run when a terminal task is generated: the reference passes, doing nothing
fails, and a shallow try (the right files with the wrong content) fails.

The three are trusted scripts, so they share one sandbox session (one copy of the tree each) and
the tests judge each copy with the same code as the grader; the real grader isolates every run.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from assay.errors import AssayError
from assay.verifiers.terminal.checks import Snapshot, evaluate, normalize
from assay.verifiers.terminal.sandboxed import (
    COMMAND_TIMEOUT_S,
    INPUTS_DIR,
    inputs_archive,
    open_session,
)
from assay.verifiers.terminal.tree import build_archive

CHECK_VERSION = 1  # bump when checks.py or the tries change meaning: cached outcomes are keyed on it
TRIES = ("reference", "nothing", "shallow")


class SolvabilityError(AssayError):
    """A generated terminal task failed its solvability check: a bug in its family."""


def shallow_script(tests: Sequence[Mapping[str, Any]]) -> str:
    """A script that makes every output the tests look at, with the wrong content.

    >>> print(shallow_script([{"kind": "file", "path": "out/n.txt", "equals": "3"}]))
    mkdir -p out && printf 'wrong\\n' > out/n.txt
    """
    lines = []
    for spec in tests:
        path = spec.get("path", "")
        quoted = shlex.quote(path)
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        make_parent = f"mkdir -p {shlex.quote(parent)} && " if parent else ""
        if spec["kind"] == "file" and spec.get("gunzip"):
            lines.append(f"{make_parent}printf 'wrong\\n' | gzip > {quoted}")
        elif spec["kind"] == "file":
            lines.append(f"{make_parent}printf 'wrong\\n' > {quoted}")
        elif spec["kind"] == "archive":
            lines.append(f"{make_parent}tar -czf {quoted} --files-from /dev/null")
        elif spec["kind"] == "dir":
            lines.append(f"mkdir -p {quoted}")
        elif spec["kind"] == "mode":
            lines.append(f"{make_parent}touch {quoted} && chmod u+x {quoted}")
        elif spec["kind"] == "command":
            program = spec["run"].split()[0] if spec["run"].split() else ""
            if program.startswith("./") and normalize(program) is not None:
                target = shlex.quote(normalize(program) or "")
                folder = program[2:].rsplit("/", 1)[0] if "/" in program[2:] else ""
                prefix = f"mkdir -p {shlex.quote(folder)} && " if folder else ""
                lines.append(f"{prefix}printf '#!/bin/sh\\necho wrong\\n' > {target} && chmod +x {target}")
    return "\n".join(dict.fromkeys(lines)) or ":"


def check_solvable(environment: Mapping[str, Any], reference: str, *, backend: str | None = None) -> dict[str, str]:
    """"pass" or "fail" for the reference, for doing nothing and for the shallow try.

    >>> env = {"tree": [], "tests": [{"kind": "file", "path": "n.txt", "equals": "2"}]}
    >>> check_solvable(env, "echo 2 > n.txt")  # doctest: +SKIP
    {'reference': 'pass', 'nothing': 'fail', 'shallow': 'fail'}
    """
    tests = list(environment["tests"])
    scripts = {"reference": reference, "nothing": "", "shallow": shallow_script(tests)}
    initial = build_archive(environment["tree"])
    with open_session(backend) as shell:
        for name in TRIES:
            _must(shell.exec(f"mkdir {name} && (cd {name} && tar -xpf - --no-same-owner)", stdin=initial, timeout_s=30), f"restore {name}")
            if scripts[name].strip():
                _must(shell.exec("cat > /tmp/assay-try.sh", stdin=scripts[name], timeout_s=10), "write the script")
                shell.exec(f"(cd {name} && bash /tmp/assay-try.sh)", timeout_s=float(environment.get("timeout_s", 30)))
        outputs: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in TRIES}
        for name in TRIES:
            for index, spec in enumerate(tests):
                if spec["kind"] != "command":
                    continue
                prepare = f"rm -rf /tmp/assay-run {INPUTS_DIR} && cp -a {name} /tmp/assay-run && mkdir -p {INPUTS_DIR}"
                _must(shell.exec(prepare, timeout_s=30), "copy a tree for a command test")
                if spec.get("inputs"):
                    _must(shell.exec(f"tar -xf - -C {INPUTS_DIR}", stdin=inputs_archive(spec["inputs"]), timeout_s=30), "place inputs")
                result = shell.exec(f"(cd /tmp/assay-run && {{ {spec['run']}\n}})", stdin=str(spec.get("stdin", "")),
                                    timeout_s=float(spec.get("timeout_s", COMMAND_TIMEOUT_S)))
                outputs[name][index] = {"status": result.status, "exit_code": result.exit_code, "stdout": result.stdout}
        archive = shell.archive()
    outcome = {}
    for name in TRIES:
        results = evaluate(tests, _subtree(archive, name), outputs[name])
        outcome[name] = "pass" if all(r["passed"] for r in results) else "fail"
    return outcome


def _must(result: Any, what: str) -> None:
    if not result.ok:
        raise SolvabilityError(f"solvability check: could not {what}: {result.status} {result.stderr[-300:]}")


def _subtree(archive: bytes, prefix: str) -> Snapshot:
    """The snapshot of one try's folder, as if it were the work dir."""
    whole = Snapshot.from_tar(archive)
    base = prefix + "/"
    return Snapshot({name[len(base):]: entry for name, entry in whole.entries.items() if name.startswith(base)})

