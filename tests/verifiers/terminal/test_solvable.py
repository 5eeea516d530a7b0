"""The solvability check run at generation: it tells a good task from a broken or a trivial one."""

from __future__ import annotations

import gzip
import os
import shlex
import time

import pytest

import assay
from assay.errors import SandboxError
from assay.sandbox.archive import tree_members as archive_members
from assay.sandbox.archive import unpack_tree, write_members
from assay.verifiers.terminal import solvable
from assay.verifiers.terminal.checks import Snapshot
from assay.verifiers.terminal.sandboxed import open_session
from assay.verifiers.terminal.solvable import (
    SolvabilityError,
    check_solvable,
    check_solvable_many,
    shallow_fails,
    shallow_script,
)
from assay.verifiers.terminal.tree import build_archive, snapshot, tree_members

ENV = {
    "tree": [{"path": "a.txt", "type": "file", "text": "x\ny\n"}],
    "tests": [{"kind": "file", "path": "out/n.txt", "equals": "2"},
              {"kind": "command", "run": "./count.sh a.txt", "stdout": "2"}],
}
GOOD = "mkdir -p out && wc -l < a.txt > out/n.txt\nprintf '#!/bin/sh\\nwc -l < \"$1\"\\n' > count.sh && chmod +x count.sh"

ROWS = [
    (ENV, GOOD, {"reference": "pass", "nothing": "fail", "shallow": "fail"}, "a sound task"),
    (ENV, "mkdir -p out && echo 3 > out/n.txt", {"reference": "fail", "nothing": "fail", "shallow": "fail"}, "a broken reference"),
    ({**ENV, "tests": [{"kind": "absent", "path": "b.txt"}]}, ":", {"reference": "pass", "nothing": "pass", "shallow": "pass"},
     "tests the initial tree already passes"),
    ({**ENV, "tests": [{"kind": "dir", "path": "out"}]}, "mkdir out", {"reference": "pass", "nothing": "fail", "shallow": "pass"},
     "tests a shallow try passes"),
    ({**ENV, "timeout_s": 0.3}, "sleep 0.6\n" + GOOD, {"reference": "fail", "nothing": "fail", "shallow": "fail"},
     "a reference slower than the task's time budget"),
    (ENV, "python3 -c 'bytearray(900 << 20)' && " + GOOD.replace("\n", " && "), {"reference": "fail", "nothing": "fail", "shallow": "fail"},
     "a reference that needs more memory than the sandbox gives"),
    (ENV, GOOD + "\nhead -c 1100000 /dev/zero", {"reference": "fail", "nothing": "fail", "shallow": "fail"},
     "a reference that prints more than the sandbox's output cap"),
    ({**ENV, "tests": [{"kind": "command", "run": "sleep 0.6; ./count.sh a.txt", "stdout": "2", "timeout_s": 0.3}]}, GOOD,
     {"reference": "fail", "nothing": "fail", "shallow": "fail"}, "a test command slower than its time budget"),
    ({**ENV, "tests": [ENV["tests"][0]] + [{"kind": "command", "run": "echo x >> log.txt && wc -l < log.txt", "stdout": "1"}] * 2},
     "mkdir -p out && wc -l < a.txt > out/n.txt", {"reference": "pass", "nothing": "fail", "shallow": "fail"},
     "command tests that change their tree each see a fresh one"),
    ({**ENV, "tests": [{"kind": "command", "run": "true"}, ENV["tests"][1]]}, GOOD, {"reference": "pass", "nothing": "fail", "shallow": "fail"},
     "tries that pass their first command test are judged on all of them"),
    ({**ENV, "tests": [{"kind": "command", "run": "true"}, {"kind": "command", "run": "echo hi", "stdout": "hi"}]}, ":",
     {"reference": "pass", "nothing": "pass", "shallow": "pass"}, "command tests any tree passes"),
]


@pytest.mark.parametrize("environment, reference, expected, why", ROWS, ids=[row[3] for row in ROWS])
def test_check_solvable(backend, environment, reference, expected, why):
    assert check_solvable(environment, reference, backend=backend) == expected, why


def test_many_problems_in_one_round_trip_judge_each_alone(backend):
    """One program checks them all, each in its own folder: a broken reference spoils only its own row."""
    assert check_solvable_many([(row[0], row[1]) for row in ROWS], backend=backend) == [row[2] for row in ROWS]


def test_the_shortcuts_fall_back_to_a_thorough_check(caplog):
    """The reference's command tests share one copy of its tree, and a try that must fail runs one command test
    in its own tree; the rows above that defeat those shortcuts are checked again thoroughly (which
    is what makes their outcomes right), the others are not."""
    caplog.set_level("DEBUG", logger=solvable.__name__)
    assert check_solvable_many([(row[0], row[1]) for row in ROWS[-3:]] + [(ENV, GOOD)]) == [row[2] for row in ROWS[-3:] + ROWS[:1]]
    again = [record.getMessage() for record in caplog.records if "thoroughly" in record.getMessage()]
    assert len(again) == 3, again
    assert "problem 0 again, thoroughly: a command test changed the copy of the reference try's tree" in again[0]
    assert "problem 1 again, thoroughly: the nothing try passed the command test that ran" in again[1]
    assert "problem 2 again, thoroughly: the nothing try passed the command test that ran" in again[2]
    plan = solvable.Plan(ROWS[-2][0], GOOD)
    assert [step.key for step in plan.steps] == ["try-reference", "try-shallow", "cmd-reference-0", "cmd-reference-1",
                                                 "cmd-nothing-0", "cmd-shallow-0"]
    program = plan.program("/x")
    assert [line for line in program if "cp -a" in line] == ["cp -a reference .check/run-reference"], "one copy, the reference's"
    assert "( cd shallow && { true" in program[-1], "a try that must fail: its test in its own tree"
    thorough = solvable.Plan(ROWS[-2][0], GOOD, thorough=True)
    assert len(thorough.steps) == 8 and sum("cp -a" in line for line in thorough.program("/x")) == 6, "a fresh copy per test"


def test_a_checked_folder_is_removed_from_the_host_else_by_the_next_program(monkeypatch):
    solvable.CHECKERS.close()  # one checker, reused by each call below
    assert check_solvable_many([(ENV, GOOD)]) == [ROWS[0][2]]
    checker = solvable.CHECKERS.idle[-1]
    assert checker.previous == "" and os.listdir(checker.shell.root) == [], "removed from the host side, no process run"

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "refused", path)

    monkeypatch.setattr(solvable.shutil, "rmtree", refuse)
    assert check_solvable_many([(ENV, GOOD)]) == [ROWS[0][2]]
    assert checker.previous and os.listdir(checker.shell.root) == [os.path.basename(checker.previous)]
    monkeypatch.undo()
    assert check_solvable_many([(ENV, GOOD)]) == [ROWS[0][2]]
    assert checker.previous == "" and os.listdir(checker.shell.root) == [], "the next program removed it"


def test_a_reference_that_spoils_the_check_is_an_error():
    with pytest.raises(SolvabilityError, match="missing from the report"):
        check_solvable_many([(ENV, GOOD), (ENV, "rm -rf ../.check; " + GOOD)])


def test_shallow_script_makes_every_output_wrong():
    script = shallow_script(ENV["tests"] + [{"kind": "archive", "path": "b.tgz", "members": {}}, {"kind": "absent", "path": "z"}])
    assert "printf 'wrong\\n' > out/n.txt" in script and "count.sh" in script and "b.tgz" in script
    assert "rm" not in script, "a shallow try never deletes: deleting may be the task"


def test_a_check_program_longer_than_a_command_line_runs(backend):
    """The program is sourced from a file: a command line is capped at 128 KiB by the kernel."""
    long_reference = "# " + "x" * 140_000 + "\n" + GOOD
    assert check_solvable_many([(ENV, long_reference), (ENV, GOOD)], backend=backend) == [row[2] for row in ROWS[:1]] * 2


def test_a_hung_reference_costs_one_problem_budget_and_is_named(monkeypatch):
    """The batch's program is killed past one problem's budget (not the sum of all); the problem
    that was running then, past its own budget, raises without being run again alone."""
    monkeypatch.setattr(solvable, "PLAN_SLACK_S", 3.0)
    monkeypatch.setattr(solvable, "BATCH_SLACK_S", 0.5)
    env = {**ENV, "tests": ENV["tests"][:1], "timeout_s": 1.0}  # a problem's budget: 1 s + 3 s
    good = "mkdir -p out && wc -l < a.txt > out/n.txt"
    assert check_solvable_many([(env, good)]) == [row[2] for row in ROWS[:1]]
    started = time.monotonic()
    with pytest.raises(SolvabilityError, match="ended with timeout: a problem ran .* past its budget of 4.0 s"):
        check_solvable_many([(env, good), (env, good), (env, "sleep 30"), (env, good)])
    assert time.monotonic() - started < 8  # the batch's 5.5 s; not again the hung one's 4 s alone


SHALLOW_ROWS = [
    ([], [{"kind": "file", "path": "out/n.txt", "equals": "2"}], True, "a new file with the wrong content"),
    ([], [{"kind": "file", "path": "n.gz", "equals": "2", "gunzip": True}], True, "gzip output, read unpacked"),
    ([], [{"kind": "file", "path": "n.gz", "sha256": "0" * 64}], True, "a file test on a file the script wrote as text"),
    ([], [{"kind": "archive", "path": "b.tgz", "members": {"a.txt": "0" * 64}}], True, "an empty archive"),
    ([], [{"kind": "file", "path": "b.tgz", "equals": "x"}, {"kind": "archive", "path": "b.tgz", "members": {}}], False,
     "only the bytes of tar's gzip output fail: not certain"),
    ([], [{"kind": "dir", "path": "out"}], False, "every test passes"),
    ([], [{"kind": "mode", "path": "run.sh", "mode": 0o700}], False, "a mode the umask sets"),
    ([{"path": "run.sh", "type": "file", "text": "", "mode": 0o600}], [{"kind": "mode", "path": "run.sh", "mode": 0o755}], True,
     "an existing file's mode: u+x is certain"),
    ([{"path": "out", "type": "link", "target": "elsewhere"}], [{"kind": "file", "path": "out/n.txt", "equals": "2"}], False,
     "a path through a link"),
    ([{"path": "out", "type": "file", "text": ""}], [{"kind": "file", "path": "out/n.txt", "equals": "2"}], False, "a path through a file"),
    ([{"path": "n.txt", "type": "file", "text": "", "mode": 0o444}], [{"kind": "file", "path": "n.txt", "equals": "2"}], False,
     "a read-only target"),
    ([{"path": "n.txt", "type": "dir"}], [{"kind": "file", "path": "n.txt", "equals": "2"}], False, "a folder where a file goes"),
    ([], [{"kind": "file", "path": "./n.txt", "equals": "2"}], False, "a path that is not clean"),
    ([], [{"kind": "command", "run": "./count.sh", "stdout": "2"}], False, "only a command test could fail"),
]


@pytest.mark.parametrize("tree, tests, expected, why", SHALLOW_ROWS, ids=[row[3] for row in SHALLOW_ROWS])
def test_shallow_fails_decides_only_what_is_certain(tree, tests, expected, why):
    assert shallow_fails(snapshot(tree), tests) is expected, why


def test_the_shallow_model_is_the_tree_the_script_leaves(backend):
    """For every family at every level, the tree shallow_fails works out equals the one
    shallow_script leaves in a sandbox, in what it counts as certain."""
    problems = [assay.get_task(task_id).generate(5, difficulty=level, check_solvable=False)
                for task_id in assay.list_tasks("terminal") for level in (1, 2, 3)]
    with open_session(backend) as shell:
        shell.unpack(build_archive([{"path": str(index), "type": "dir"} for index in range(len(problems))]
                                   + [{**entry, "path": f"{index}/{entry['path']}"} for index, problem in enumerate(problems)
                                      for entry in problem.data["tree"]]))
        program = "\n".join(f"( cd {index} && eval {shlex.quote(shallow_script(problem.data['tests']))} ) >/dev/null 2>&1"
                            for index, problem in enumerate(problems))
        assert shell.exec(program, timeout_s=120).ok
        whole = Snapshot.from_members(shell.members())
    modelled = 0
    for index, problem in enumerate(problems):
        state = solvable._ShallowState(snapshot(problem.data["tree"]))
        if not state.run(problem.data["tests"]):
            continue
        modelled += 1
        real = {name[len(f"{index}/"):]: entry for name, entry in whole.entries.items() if name.startswith(f"{index}/")}
        assert sorted(real) == sorted(state.tree), problem.task
        for name, entry in state.tree.items():
            assert real[name].type == entry.type, (problem.task, name)
            if name not in state.unknown_mode:
                assert real[name].mode & 0o7777 == entry.mode, (problem.task, name)
            if entry.type == "file" and name not in state.gzipped:
                assert real[name].data == entry.data, (problem.task, name)
            elif entry.type == "file":
                assert gzip.decompress(real[name].data) == gzip.decompress(entry.data), (problem.task, name)
    assert modelled >= 60


def test_written_members_are_the_unpacked_archive(tmp_path):
    """The check writes its trees from tar members (no archive made and parsed): the same folders,
    files, links, modes and times as unpacking their archive, for every family's traps."""
    trees = [assay.get_task(task_id).generate(3, difficulty=3, check_solvable=False).data["tree"] for task_id in assay.list_tasks("terminal")]
    trees.append([{"path": "ro", "type": "dir", "mode": 0o555}, {"path": "ro/x", "type": "file", "text": "x", "mode": 0o400},
                  {"path": "l", "type": "link", "target": "ro/x"}])
    for index, tree in enumerate(trees):
        (tmp_path / f"u{index}").mkdir()
        (tmp_path / f"w{index}").mkdir()
        unpack_tree(tmp_path / f"u{index}", build_archive(tree))
        write_members(tmp_path / f"w{index}", tree_members(tree))
        unpacked, written = archive_members(tmp_path / f"u{index}"), archive_members(tmp_path / f"w{index}")
        assert [(i.name, i.type, i.mode, i.mtime if not i.issym() else 0, i.linkname, d) for i, d in written] == \
               [(i.name, i.type, i.mode, i.mtime if not i.issym() else 0, i.linkname, d) for i, d in unpacked]
    for bad in ([{"path": "l", "type": "link", "target": "../../etc"}], [{"path": "l", "type": "link", "target": "/etc"}]):
        with pytest.raises(SandboxError, match="leads outside"):
            write_members(tmp_path / "w0", tree_members(bad))
    (tmp_path / "w0" / "hop").symlink_to(tmp_path / "u0")
    with pytest.raises(SandboxError):
        write_members(tmp_path / "w0", tree_members([{"path": "hop/x", "type": "file", "text": "x"}]))
    assert not (tmp_path / "u0" / "x").exists(), "nothing is written through a link"
