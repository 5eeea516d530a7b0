"""The solvability check run at generation: it tells a good task from a broken or a trivial one."""

from __future__ import annotations

import pytest

from assay.verifiers.terminal.solvable import (
    SolvabilityError,
    check_solvable,
    check_solvable_many,
    shallow_script,
)

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
]


@pytest.mark.parametrize("environment, reference, expected, why", ROWS, ids=[row[3] for row in ROWS])
def test_check_solvable(backend, environment, reference, expected, why):
    assert check_solvable(environment, reference, backend=backend) == expected, why


def test_many_problems_in_one_round_trip_judge_each_alone(backend):
    """One program checks them all, each in its own folder: a broken reference spoils only its own row."""
    assert check_solvable_many([(row[0], row[1]) for row in ROWS], backend=backend) == [row[2] for row in ROWS]


def test_a_reference_that_spoils_the_check_is_an_error():
    with pytest.raises(SolvabilityError, match="missing from the report"):
        check_solvable_many([(ENV, GOOD), (ENV, "rm -rf ../.check; " + GOOD)])


def test_shallow_script_makes_every_output_wrong():
    script = shallow_script(ENV["tests"] + [{"kind": "archive", "path": "b.tgz", "members": {}}, {"kind": "absent", "path": "z"}])
    assert "printf 'wrong\\n' > out/n.txt" in script and "count.sh" in script and "b.tgz" in script
    assert "rm" not in script, "a shallow try never deletes: deleting may be the task"
