"""The solvability check run when a terminal task is generated: the reference passes, doing nothing
fails, and a shallow try (the right files with the wrong content) fails.

The three are trusted scripts, so they share one sandbox and the tests judge each try's tree with
the same code as the grader (the real grader isolates every run). Doing nothing leaves the initial
tree, and the shallow try's tree is worked out here where that is certain (``shallow_fails``), so
those are judged without running where no command test needs them. The rest is one round trip:
the host writes the initial tree once per try that runs into a fresh folder of a session it
keeps per process (see Checkers), together with one bash program (a file the session sources)
that runs the tries and their command tests on a copy of the try's tree, writing the commands'
output and every step's exit code and start and end times into the folder; the host reads the
folder back (no archive is made) and judges it. The reference's command tests share one copy,
which the host compares with its tree, and a try that must fail runs one command test; where that
cannot decide, the problem is checked again with every command test of every try on its own fresh
copy (see Plan). Limits are the session's (memory, pids, file
size, disk, output); a step that ran past its own budget is judged as timed out, and the whole
program is killed past the largest problem's budget plus a little per problem.
"""

from __future__ import annotations

import atexit
import gzip
import logging
import os
import shlex
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.errors import AssayError, SandboxError
from assay.sandbox import Session, on_close_all
from assay.sandbox.base import classify
from assay.verifiers.terminal.checks import FILE_CHECKS, Entry, Snapshot, check_command, evaluate, normalize, parents
from assay.verifiers.terminal.sandboxed import (
    COMMAND_TIMEOUT_S,
    INPUTS_DIR,
    SESSION_LIMITS,
    choose_backend,
    open_session,
)
from assay.verifiers.terminal.tree import snapshot, tree_members

logger = logging.getLogger(__name__)

CHECK_VERSION = 1  # bump when checks.py or the tries change meaning: cached outcomes are keyed on it
TRIES = ("reference", "nothing", "shallow")
SHALLOW_TIMEOUT_S = 10.0
MAX_CHECKS_PER_SESSION = 1000  # then the session is replaced: nothing a run left lingers longer
PLAN_SLACK_S = 30.0  # a problem's program gets the sum of its steps' budgets plus this
BATCH_SLACK_S = 2.0  # a batch's program gets the largest problem's budget plus this per further problem


class SolvabilityError(AssayError):
    """A generated terminal task failed its solvability check: a bug in its family."""


class Undecided(Exception):
    """What a check's shortcut left open (see Plan): the problem is checked again thoroughly."""


_WRITES = {"wrong": "printf 'wrong\\n' > {}", "gzip": "printf 'wrong\\n' | gzip > {}",
           "tar": "tar -czf {} --files-from /dev/null", "script": "printf '#!/bin/sh\\necho wrong\\n' > {}"}


@dataclass(frozen=True)
class _ShallowPlan:
    """What the shallow try does, in its order (each list without repeats): the folders it makes,
    the files it writes and how (``_WRITES``), the files it touches and makes executable by their
    owner, and the scripts it makes executable; ``exact``: every script path is as the test wrote it."""

    folders: tuple[str, ...]
    writes: tuple[tuple[str, str], ...]
    touched: tuple[str, ...]
    executables: tuple[str, ...]
    exact: bool


def _shallow_plan(tests: Sequence[Mapping[str, Any]]) -> _ShallowPlan:
    """The one walk of the tests behind ``shallow_script`` and its host model (``shallow_fails``)."""
    folders: list[str] = []
    writes: dict[tuple[str, str], None] = {}
    touched: list[str] = []
    executables: list[str] = []
    exact = True
    for spec in tests:
        path, kind = spec.get("path", ""), spec["kind"]
        if "/" in path and kind in ("file", "archive", "mode"):
            folders.append(path.rsplit("/", 1)[0])
        if kind == "file":
            writes[(path, "gzip" if spec.get("gunzip") else "wrong")] = None
        elif kind == "archive":
            writes[(path, "tar")] = None
        elif kind == "dir":
            folders.append(path)
        elif kind == "mode":
            touched.append(path)
        elif kind == "command":
            words = spec["run"].split()
            program = words[0] if words else ""
            target = normalize(program) if program.startswith("./") else None
            if target is not None:
                exact = exact and target == program[2:]
                if "/" in program[2:]:
                    folders.append(program[2:].rsplit("/", 1)[0])
                writes[(target, "script")] = None
                executables.append(target)
    return _ShallowPlan(tuple(dict.fromkeys(folders)), tuple(writes), tuple(dict.fromkeys(touched)),
                        tuple(dict.fromkeys(executables)), exact)


def shallow_script(tests: Sequence[Mapping[str, Any]]) -> str:
    """A script that makes every output the tests look at, with the wrong content (folders made
    first, then the files, then modes: a few processes whatever the number of outputs).

    >>> print(shallow_script([{"kind": "file", "path": "out/n.txt", "equals": "3"}, {"kind": "mode", "path": "run.sh"}]))
    mkdir -p -- out
    printf 'wrong\\n' > out/n.txt
    touch -- run.sh
    chmod u+x -- run.sh
    """
    plan = _shallow_plan(tests)
    quote = shlex.quote
    lines = [f"mkdir -p -- {' '.join(map(quote, plan.folders))}"] if plan.folders else []
    lines += [_WRITES[how].format(quote(path)) for path, how in plan.writes]
    if plan.touched:
        names = " ".join(map(quote, plan.touched))
        lines += [f"touch -- {names}", f"chmod u+x -- {names}"]
    if plan.executables:
        lines.append(f"chmod +x -- {' '.join(map(quote, plan.executables))}")
    return "\n".join(lines) or ":"


WRONG = b"wrong\n"
WRONG_SCRIPT = b"#!/bin/sh\necho wrong\n"
# what `tar -czf X --files-from /dev/null` writes, uncompressed: one record of zero blocks (its gzip
# header differs by tool, so only its unpacked bytes are known: see shallow_fails)
EMPTY_TAR = b"\0" * 10240
_SHALLOW_BYTES = {"wrong": WRONG, "script": WRONG_SCRIPT, "gzip": gzip.compress(WRONG, mtime=0),
                  "tar": gzip.compress(EMPTY_TAR, mtime=0)}  # what each of _WRITES leaves, as modelled


def shallow_fails(initial: Snapshot, tests: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the shallow try certainly fails, judged on the tree ``shallow_script`` leaves, worked
    out here from the initial tree: True when a test other than a command fails on it and reads only
    what is certain (a file's bytes, or for gzip output its unpacked bytes; modes the script does not
    leave to the umask; names and types). False when it cannot tell: anything the script would do
    differently from this model (a path through a link or a file, a write to a folder or a link,
    a read-only target, a path that is not clean), or only command tests could fail; the shallow
    try then runs in the sandbox.

    >>> from assay.verifiers.terminal.tree import snapshot
    >>> shallow_fails(snapshot([]), [{"kind": "file", "path": "out/n.txt", "equals": "3"}])
    True
    >>> shallow_fails(snapshot([]), [{"kind": "mode", "path": "run.sh", "executable": True}])
    False
    """
    state = _ShallowState(initial)
    if not state.run(tests):
        return False
    tree = Snapshot(state.tree)
    for spec in tests:
        if spec["kind"] == "command" or FILE_CHECKS[spec["kind"]](tree, spec)[0]:
            continue
        name = normalize(str(spec.get("path", "")))
        if spec["kind"] == "mode" and name in state.unknown_mode:
            continue  # left to the umask
        if spec["kind"] == "file" and name in state.gzipped and not spec.get("gunzip"):
            continue  # gzip's header bytes are the tool's
        return True
    return False


class _ShallowState:
    """The initial tree as ``shallow_script`` changes it, step by step, in the script's order."""

    def __init__(self, initial: Snapshot) -> None:
        self.tree = dict(initial.entries)
        self.unknown_mode: set[str] = set()  # made by the script: the umask sets the mode
        self.gzipped: set[str] = set()  # gzip output: only the unpacked bytes are certain

    def run(self, tests: Sequence[Mapping[str, Any]]) -> bool:
        """Applies the script's steps; False where the model may not hold."""
        plan = _shallow_plan(tests)
        return (plan.exact
                and all(self.mkdir(folder) for folder in plan.folders)
                and all(self.write(path, how) for path, how in plan.writes)
                and all(self.touch(path) for path in plan.touched)
                and all(self.chmod(path, owner_only=True) for path in plan.touched)
                and all(self.chmod(path, owner_only=False) for path in plan.executables))

    def clean(self, path: str) -> bool:
        return bool(path) and normalize(path) == path

    def writable_folder(self, path: str) -> bool:
        folder = self.tree.get(path.rsplit("/", 1)[0]) if "/" in path else Entry("dir", 0o755, 0)
        return folder is not None and folder.type == "dir" and folder.mode & 0o300 == 0o300

    def mkdir(self, path: str) -> bool:
        if not self.clean(path):
            return False
        for name in [*parents(path), path]:
            entry = self.tree.get(name)
            if entry is None:
                if not self.writable_folder(name):
                    return False
                self.tree[name] = Entry("dir", 0o755, 0)
                self.unknown_mode.add(name)
            elif entry.type != "dir":
                return False
        return True

    def write(self, path: str, how: str) -> bool:
        entry = self.tree.get(path)
        if not self.clean(path) or not self.writable_folder(path) or (entry is not None and (entry.type != "file" or not entry.mode & 0o200)):
            return False
        if entry is None:
            self.unknown_mode.add(path)
        data = _SHALLOW_BYTES[how]
        (self.gzipped.add if how in ("gzip", "tar") else self.gzipped.discard)(path)
        self.tree[path] = Entry("file", entry.mode if entry is not None else 0o644, 0, data)
        return True

    def touch(self, path: str) -> bool:
        entry = self.tree.get(path)
        if entry is None:
            return self.write(path, "wrong") and self._empty(path)
        return self.clean(path) and entry.type in ("file", "dir")

    def _empty(self, path: str) -> bool:
        self.tree[path] = Entry("file", 0o644, 0, b"")
        return True

    def chmod(self, path: str, *, owner_only: bool) -> bool:
        entry = self.tree.get(path)
        if entry is None or entry.type not in ("file", "dir"):
            return False
        if not owner_only:
            self.unknown_mode.add(path)  # +x: the bits the umask allows
        self.tree[path] = Entry(entry.type, entry.mode | 0o100, entry.mtime, entry.data, entry.target)
        return True


def check_solvable(environment: Mapping[str, Any], reference: str, *, backend: str | None = None) -> dict[str, str]:
    """"pass" or "fail" for the reference, for doing nothing and for the shallow try.

    >>> env = {"tree": [], "tests": [{"kind": "file", "path": "n.txt", "equals": "2"}]}
    >>> check_solvable(env, "echo 2 > n.txt")  # doctest: +SKIP
    {'reference': 'pass', 'nothing': 'fail', 'shallow': 'fail'}
    """
    return check_solvable_many([(environment, reference)], backend=backend)[0]


def check_solvable_many(items: Sequence[tuple[Mapping[str, Any], str]], *, backend: str | None = None,
                        simulate_shallow: bool = True, thorough: bool = False) -> list[dict[str, str]]:
    """``check_solvable`` of many (environment, reference) pairs in one sandbox round trip, each
    problem in its own folder. Where that program does not end normally (a reference that hangs),
    the problems it did not finish are checked alone, so the error names the one at fault; the
    program's budget is one problem's plus a little per problem, so a hang costs about one
    problem's budget before that. ``simulate_shallow=False`` runs every shallow try in the sandbox
    (``shallow_fails`` decides most of them here). ``thorough=True`` runs every command test of
    every try on its own fresh copy of the try's tree; by default a try's command tests share one
    copy and a try that must fail runs one command test first (see Plan), and a problem where that
    cannot decide (a command test changed its copy, or the one that ran passed) is checked again
    thoroughly.

    >>> env = {"tree": [], "tests": [{"kind": "file", "path": "n.txt", "equals": "2"}]}
    >>> check_solvable_many([(env, "echo 2 > n.txt"), (env, "echo 3 > n.txt")])  # doctest: +SKIP
    [{'reference': 'pass', 'nothing': 'fail', 'shallow': 'fail'}, {'reference': 'fail', 'nothing': 'fail', 'shallow': 'fail'}]
    """
    plans = [Plan(environment, reference, simulate_shallow=simulate_shallow, thorough=thorough) for environment, reference in items]
    if not plans:
        return []
    checker = CHECKERS.acquire(choose_backend(backend, purpose="verify"))
    healthy = finished = False
    parts: list[Snapshot] | None = None
    try:
        folder = checker.next_folder()
        here = f"{checker.shell.work}/{folder}"
        lines = [f"rm -rf -- {shlex.quote(checker.previous)}" if checker.previous else ":"]
        for index, plan in enumerate(plans):
            lines += plan.program(f"{here}/{index}")
        lines.append("cd -- \"$ASSAY_WORK\"")
        # the program is a file the session sources: a command line is capped at 128 KiB by the kernel
        program = {"path": f"{folder}/.program", "type": "file", "text": "\n".join(lines) + "\n"}
        checker.shell.write_members(tree_members([program, *(entry for index, plan in enumerate(plans) for entry in plan.layout(f"{folder}/{index}"))]))
        budget = max(plan.budget_s for plan in plans) + BATCH_SLACK_S * (len(plans) - 1)
        done = checker.shell.exec(f". {shlex.quote(here)}/.program", timeout_s=min(3600.0, budget))
        ended = time.time()  # the sandbox's clock is this one: a hung problem's time is measured from its start
        # "memory": a step was killed for memory but the program went on (the step's tree shows it)
        finished = done.status == "ok" or (done.status == "memory" and done.exit_code == 0)
        if finished or len(plans) > 1:  # after a hang, the problems it finished are judged all the same
            try:
                parts = _split(Snapshot.from_members(checker.shell.members()), folder, len(plans))
            except SandboxError:
                if finished:
                    raise
            healthy = finished and done.status == "ok"
            # removed here, from the host side, where it can be (no process in the sandbox); else by the next program
            checker.previous = "" if healthy and _remove(checker.shell, folder) else here
    except SandboxError as error:
        raise SolvabilityError(f"solvability check: the sandbox failed: {error}") from error
    finally:
        CHECKERS.release(checker, healthy)
    if not finished and len(plans) == 1:
        raise SolvabilityError(f"solvability check: the check program ended with {done.status} "
                               f"(the reference or a test command hangs or overruns the sandbox's limits?): {done.stderr[-300:]}")
    if not finished and parts is not None:
        for index, plan in enumerate(plans):
            if not plan.complete(parts[index]):
                ran = plan.running_for(parts[index], ended)
                if ran is not None and ran >= plan.budget_s:  # it would be killed alone too: no second wait
                    raise SolvabilityError(f"solvability check: the check program ended with {done.status}: a problem ran "
                                           f"{ran:.1f} s, past its budget of {plan.budget_s:.1f} s (the reference or a test "
                                           "command hangs or overruns the sandbox's limits?)")
                break  # the one that was running when the program ended; the later ones never started
    outcomes: list[dict[str, str] | None] = []
    undecided = []
    for index, plan in enumerate(plans):
        try:
            if parts is None or (not finished and not plan.complete(parts[index])):
                raise SolvabilityError("not run to the end")
            outcomes.append(plan.judge(parts[index]))
        except Undecided as why:
            logger.debug("solvability check: problem %d again, thoroughly: %s", index, why)
            undecided.append(index)
            outcomes.append(None)
        except SolvabilityError:
            if len(plans) == 1:
                raise
            outcomes.append(check_solvable(*items[index], backend=backend))  # its folder was spoilt or unfinished: alone, to be sure whose fault
    if undecided:
        again = check_solvable_many([items[index] for index in undecided], backend=backend, simulate_shallow=simulate_shallow, thorough=True)
        for index, outcome in zip(undecided, again, strict=True):
            outcomes[index] = outcome
    return [outcome for outcome in outcomes if outcome is not None]


def _remove(shell: Session, folder: str) -> bool:
    """Removes a checked folder of the session's work dir from the host side (links are removed, never
    followed); False where it cannot (a work dir that is not a host folder, a file it may not delete)."""
    root = getattr(shell, "root", None)  # sessions whose work dir is a host folder have one
    if root is None:
        return False
    try:
        shutil.rmtree(os.path.join(root, folder))
    except OSError as error:
        logger.debug("solvability check: %s left to the next program: %s", folder, error)
        return False
    return True


def _split(whole: Snapshot, folder: str, count: int) -> list[Snapshot]:
    """The snapshots of ``folder/0`` ... ``folder/{count - 1}``, each as if it were the work dir."""
    prefix = folder + "/"
    parts: list[dict[str, Entry]] = [{} for _ in range(count)]
    for name, entry in whole.entries.items():
        if name.startswith(prefix):
            head, slash, tail = name[len(prefix):].partition("/")
            if slash and head.isascii() and head.isdigit() and int(head) < count:
                parts[int(head)][tail] = entry
    return [Snapshot(part) for part in parts]


@dataclass(frozen=True)
class Step:
    """One step of the check program: a try's script, or a command test on a copy of a try's tree."""

    key: str  # "try-reference" or "cmd-shallow-3": the name of its status line and output files
    timeout_s: float


class Plan:
    """The check of one problem: the folder's layout, the bash program, and the judging of what it left.

    Two shortcuts, unless ``thorough``: the reference's command tests run one after the other on one
    copy of its tree, which the host compares with the tree afterwards (any change, and the problem
    is checked again thoroughly, each command test on its own fresh copy, as the grader runs each in
    a fresh sandbox); and a try that must fail (doing nothing, the shallow try) runs one command
    test (one without hidden inputs where there is one) in its own tree after the try: where that
    test fails, so does the try; where it passes, the problem is checked again thoroughly (the
    tree may be what the test left, and the other tests did not run).
    """

    def __init__(self, environment: Mapping[str, Any], reference: str, *, simulate_shallow: bool = True,
                 thorough: bool = False) -> None:
        self.tree = list(environment["tree"])
        self.tests = list(environment["tests"])
        self.timeout_s = float(environment.get("timeout_s", 30))
        self.thorough = thorough
        self.scripts = {"reference": reference, "nothing": "", "shallow": shallow_script(self.tests)}
        self.commands = [(index, spec) for index, spec in enumerate(self.tests) if spec["kind"] == "command"]
        # doing nothing leaves the initial tree, judged here; its command tests run only where every
        # other test passes on it (else it fails whatever they give)
        self.initial = snapshot(self.tree)
        files_pass = all(FILE_CHECKS[spec["kind"]](self.initial, spec)[0] for spec in self.tests if spec["kind"] != "command")
        # the shallow try's tree is worked out here where that is certain, and a test it fails decides it
        self.decided = {"shallow": "fail"} if simulate_shallow and shallow_fails(self.initial, self.tests) else {}
        self.run_commands = {name: bool(self.commands) and name not in self.decided and (name != "nothing" or files_pass)
                             for name in TRIES}
        first = sorted(self.commands, key=lambda command: bool(command[1].get("inputs")))[:1]  # stable: the first without inputs
        self.runs = {name: (self.commands if thorough or name == "reference" else first) if self.run_commands[name] else []
                     for name in TRIES}
        self.laid_out = [name for name in TRIES if name not in self.decided and (name != "nothing" or self.run_commands[name])]
        self.steps = [Step(f"try-{name}", self.timeout_s if name == "reference" else SHALLOW_TIMEOUT_S)
                      for name in TRIES if name not in self.decided and self.scripts[name].strip()]
        self.steps += [Step(f"cmd-{name}-{index}", float(spec.get("timeout_s", COMMAND_TIMEOUT_S)))
                       for name in TRIES for index, spec in self.runs[name]]
        self.budget_s = min(3600.0, sum(step.timeout_s for step in self.steps) + PLAN_SLACK_S)

    def layout(self, folder: str) -> list[dict[str, Any]]:
        """The folder's tree entries: the initial tree under each try's name, and the stdin and inputs of the command tests that run."""
        entries: list[dict[str, Any]] = [{"path": f"{folder}/.check", "type": "dir"}]
        for name in self.laid_out:
            entries.append({"path": f"{folder}/{name}", "type": "dir"})
            entries += [{**entry, "path": f"{folder}/{name}/{entry['path']}"} for entry in self.tree]
        run = {index for runs in self.runs.values() for index, _ in runs}
        for index, spec in self.commands:
            if index not in run:
                continue
            entries.append({"path": f"{folder}/.check/stdin-{index}", "type": "file", "text": str(spec.get("stdin", ""))})
            if spec.get("inputs"):
                entries.append({"path": f"{folder}/.check/in-{index}", "type": "dir"})
                entries += [{"path": f"{folder}/.check/in-{index}/{name}", "type": "file", "text": text}
                            for name, text in sorted(spec["inputs"].items())]
        return entries

    def program(self, folder: str) -> list[str]:
        """The bash lines for the absolute ``folder``: each try's script in its folder, then its
        command tests (on one copy of its tree, .check/run-NAME, or thoroughly each on a fresh copy
        in /tmp); exit codes and times go to .check/status, a command's output to .check/."""
        q = shlex.quote
        lines = [f"cd -- {q(folder)} || exit 97", "set --", "printf '%s\\n' \"$EPOCHREALTIME\" > .check/started"]

        def timed(key: str, command: str) -> None:
            lines.append(f"t0=$EPOCHREALTIME; {command}; rc=$?; printf '%s %s %s %s\\n' {key} \"$rc\" \"$t0\" "
                         f"\"$EPOCHREALTIME\" >> .check/status")

        for name in TRIES:
            script = self.scripts[name]
            if script.strip() and name not in self.decided:
                output = f">.check/out-try-{name} 2>&1"  # its size is judged: the grader stops a script past the output cap
                lines.append(f"s={q(script)}")
                timed(f"try-{name}", f"( cd {name} && eval \"$s\" ) </dev/null {output}")
        inputs = False  # whether the inputs folder holds an earlier test's inputs
        for name in TRIES:
            if self.runs[name] and name == "reference" and not self.thorough:
                lines.append(f"cp -a {name} .check/run-{name}")
            for index, spec in self.runs[name]:
                key = f"cmd-{name}-{index}"
                # thoroughly: a fresh copy each; the reference's: one copy; a try that must fail: its one test in its own tree
                run = f"/tmp/assay-run-{name}-{index}" if self.thorough else f".check/run-{name}" if name == "reference" else name
                # the inputs folder removed (thoroughly) before each test with inputs, else where an earlier test left one
                prepare = [f"rm -rf {INPUTS_DIR}"] if inputs or (self.thorough and spec.get("inputs")) else []
                prepare += [f"cp -a .check/in-{index} {INPUTS_DIR}"] if spec.get("inputs") else []
                prepare += [f"cp -a {name} {run}"] if self.thorough else []
                if prepare:
                    lines.append(" && ".join(prepare))
                inputs = bool(spec.get("inputs"))
                timed(key, f"( cd {run} && {{ {spec['run']}\n}} ) <.check/stdin-{index} >.check/out-{key} 2>.check/err-{key}")
        if self.thorough and any(self.runs.values()):
            lines.append(f"rm -rf {INPUTS_DIR} /tmp/assay-run-*")
        elif inputs:
            lines.append(f"rm -rf {INPUTS_DIR}")
        return lines

    def report(self, folder: Snapshot) -> dict[str, tuple[int, float]]:
        """Each step's exit code and seconds, from the status lines the program left."""
        status = folder.get(".check/status")
        report: dict[str, tuple[int, float]] = {}
        for line in (status.data or b"").decode("utf-8", "replace").splitlines() if status else []:
            key, exit_text, started, ended = line.split()
            report[key] = (int(exit_text), float(ended) - float(started))
        return report

    def running_for(self, folder: Snapshot, now: float) -> float | None:
        """Seconds since this problem's program started (None where it did not)."""
        started = folder.get(".check/started")
        try:
            return now - float((started.data or b"").decode()) if started is not None else None
        except ValueError:
            return None

    def complete(self, folder: Snapshot) -> bool:
        """Whether every step of this problem ran to its end (its folder holds its final state)."""
        return set(self.report(folder)) == {step.key for step in self.steps}

    def judge(self, folder: Snapshot) -> dict[str, str]:
        """Each try's outcome from the folder the program left; Undecided where a shortcut cannot tell."""
        report = self.report(folder)
        timeouts = {step.key: step.timeout_s for step in self.steps}
        if set(report) != set(timeouts):
            raise SolvabilityError(f"solvability check: steps missing from the report: {sorted(set(timeouts) - set(report))}")
        outcome = {}
        for name in TRIES:
            if name in self.decided:
                outcome[name] = self.decided[name]
                continue
            tree = _subtree(folder, name) if name in self.laid_out else self.initial
            if self.runs[name] and name == "reference" and not self.thorough and not _same_tree(folder, name, f".check/run-{name}"):
                raise Undecided(f"a command test changed the copy of the {name} try's tree")
            outputs = {}
            for index, _ in self.runs[name]:
                key = f"cmd-{name}-{index}"
                code, took = report[key]
                out, err = _data(folder.get(f".check/out-{key}")), _data(folder.get(f".check/err-{key}"))
                state = classify(code, err, timed_out=took > timeouts[key], over_output=len(out) + len(err) > SESSION_LIMITS.output_bytes,
                                 oom=False)
                outputs[index] = {"status": state, "exit_code": code, "stdout": out.decode("utf-8", "replace"),
                                  "stderr": err.decode("utf-8", "replace")}
            key = f"try-{name}"
            ran_out = key in report and (report[key][1] > timeouts[key] or len(_data(folder.get(f".check/out-{key}"))) > SESSION_LIMITS.output_bytes)
            if name != "reference" and outputs and not self.thorough:
                # its one command test ran in its tree after the try: only its failure (or the try's running out) is certain
                if not ran_out and all(check_command(spec, outputs.get(index))[0] for index, spec in self.runs[name]):
                    raise Undecided(f"the {name} try passed the command test that ran")
                outcome[name] = "fail"
                continue
            results = evaluate(self.tests, tree, outputs)
            outcome[name] = "pass" if not ran_out and all(r["passed"] for r in results) else "fail"
        return outcome


def _data(entry: Entry | None) -> bytes:
    return entry.data or b"" if entry is not None else b""


def _same_tree(whole: Snapshot, folder: str, copy: str) -> bool:
    """Whether ``copy`` holds what ``folder`` holds (names, types, modes, times to the second, bytes,
    link targets; the folders themselves included), every file of it read."""
    top, other = whole.get(folder), whole.get(copy)
    if top is None or other is None or (top.type, top.mode, top.mtime) != (other.type, other.mode, other.mtime):
        return False
    mine, theirs = _subtree(whole, folder).entries, _subtree(whole, copy).entries
    return mine == theirs and all(entry.data is not None for entry in theirs.values() if entry.type == "file")


def _subtree(whole: Snapshot, prefix: str) -> Snapshot:
    """The snapshot of one folder, as if it were the work dir."""
    base = prefix + "/"
    return Snapshot({name[len(base):]: entry for name, entry in whole.entries.items() if name.startswith(base)})


@dataclass
class Checker:
    """A session the checks of one process take turns on; each check uses a fresh folder."""

    shell: Session
    backend: str
    previous: str = ""  # the last check's folder: removed by the next check's program
    checks: int = 0

    def next_folder(self) -> str:
        self.checks += 1
        return f"check-{self.checks}"


class Checkers:
    """Idle checker sessions of this process, by backend: opening a sandbox per check would cost more
    than the check. Closed by ``assay.sandbox.close_all()`` and at exit; a forked child never uses
    (nor closes) its parent's."""

    def __init__(self, keep: int = 4) -> None:
        self.keep = keep
        self.lock = threading.Lock()
        self.idle: list[Checker] = []
        self.pid = os.getpid()

    def acquire(self, backend: str) -> Checker:
        with self.lock:
            self._forget_inherited()
            for index, checker in enumerate(self.idle):
                if checker.backend == backend:
                    return self.idle.pop(index)
        return Checker(open_session(backend), backend)

    def release(self, checker: Checker, healthy: bool) -> None:
        if healthy and checker.checks < MAX_CHECKS_PER_SESSION and not checker.shell.closed:
            with self.lock:
                if os.getpid() == self.pid and len(self.idle) < self.keep:
                    self.idle.append(checker)
                    return
        checker.shell.close()

    def close(self) -> None:
        with self.lock:
            self._forget_inherited()
            idle, self.idle = self.idle, []
        for checker in idle:
            checker.shell.close()

    def _forget_inherited(self) -> None:
        if os.getpid() != self.pid:  # a forked child: the sessions are the parent's, whose sandboxes it must not kill
            for checker in self.idle:
                checker.shell.closed = True
            self.idle, self.pid = [], os.getpid()


CHECKERS = Checkers()
on_close_all(CHECKERS.close)
atexit.register(CHECKERS.close)
