"""The solvability check run at generation: it tells a good task from a broken or a trivial one."""

from __future__ import annotations

import pytest

from assay.verifiers.terminal.solvable import check_solvable, shallow_script

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
]


@pytest.mark.parametrize("environment, reference, expected, why", ROWS, ids=[row[3] for row in ROWS])
def test_check_solvable(backend, environment, reference, expected, why):
    assert check_solvable(environment, reference, backend=backend) == expected, why


def test_shallow_script_makes_every_output_wrong():
    script = shallow_script(ENV["tests"] + [{"kind": "archive", "path": "b.tgz", "members": {}}, {"kind": "absent", "path": "z"}])
    assert "printf 'wrong\\n' > out/n.txt" in script and "count.sh" in script and "b.tgz" in script
    assert "rm" not in script, "a shallow try never deletes: deleting may be the task"
