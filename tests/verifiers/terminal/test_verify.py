"""assay.verifiers.terminal.verify against real sandboxes: right scripts pass, hostile ones fail cleanly."""

from __future__ import annotations

import pytest

from assay.verifiers.terminal import verify

ENV = {
    "tree": [{"path": "data/a.txt", "type": "file", "text": "x\ny\n"}],
    "tests": [
        {"kind": "file", "path": "n.txt", "equals": "2", "name": "count"},
        {"kind": "command", "run": "./count.sh /tmp/assay-in/b.txt", "inputs": {"b.txt": "1\n2\n3\n"}, "stdout": "3", "name": "script"},
    ],
    "timeout_s": 5,
}
GOOD = "wc -l < data/a.txt > n.txt\nprintf '#!/bin/bash\\nwc -l < \"$1\"\\n' > count.sh\nchmod +x count.sh"


def fenced(script: str) -> str:
    return f"```bash\n{script}\n```"


ROWS = [
    (GOOD, True, "the right script"),
    (GOOD + "\ncd /tmp", True, "ends in another folder"),
    (GOOD + "\nexit 3", True, "a failing exit status does not matter, the state does"),
    ("echo 2 > n.txt", False, "half the job"),
    ("echo 2 > n.txt\nprintf '#!/bin/bash\\necho 2\\n' > count.sh\nchmod +x count.sh", False, "a script that fakes the seen answer: hidden input differs"),
    (GOOD + "\nrm n.txt; ln -s /etc/passwd n.txt", False, "output replaced by a link to a host file"),
    (GOOD + "\n(sleep 3; echo 9 > n.txt) &", True, "a background writer does not change the copied state"),
    ("(sleep 1; " + GOOD.replace("\n", "; ") + ") & disown", False, "work left to a background process is not waited for"),
    ("while true; do :; done", False, "an endless loop is killed"),
    (":(){ :|:& };:", False, "a fork bomb"),
    ("kill -9 -1; " + GOOD.replace("\n", "; "), True, "killing every process it may does not break the grader"),
    ("echo 2 > /usr/bin/wc; echo 2 > /etc/x; " + GOOD.replace("\n", "; "), True, "the image is read-only"),
    ("# " + "é" * 90_000 + "\n" + GOOD, True, "a right script of 90k characters but 180 KB: past the 128 KiB argument cap"),
    ("# " + "é" * 90_000 + "\necho 2 > n.txt", False, "a long script that does half the job"),
    ("head -c 40000000 /dev/zero > big.bin", False, "a file past the size limit"),
    ("mkdir -p deep && for i in $(seq 25000); do : > deep/f$i; done", False, "too many files to copy out"),
    ("for i in 1 2 3; do head -c 30000000 /dev/zero > fill$i; done; " + GOOD.replace("\n", "; "), False,
     "the work dir is full (its size is the session's disk budget): the job's own writes fail"),
]


@pytest.mark.parametrize("script, expected, why", ROWS, ids=[row[2] for row in ROWS])
def test_verify_rows(backend, script, expected, why):
    verdict = verify(fenced(script), ENV, backend=backend)
    assert verdict.passed is expected, (why, verdict)
    assert verdict.score == (1.0 if expected else 0.0)


def test_no_script_is_no_answer():
    assert verify("I would count the lines.", ENV).reason == "no_answer"
    assert verify("```bash\n\n```", ENV).reason == "no_answer"


def test_partial_credit_is_the_fraction_of_tests(backend):
    verdict = verify(fenced("echo 2 > n.txt"), {**ENV, "partial_credit": True}, backend=backend)
    assert not verdict.passed and verdict.score == 0.5 and verdict.detail["tests_passed"] == 1


def test_command_tests_run_from_the_final_tree_not_the_agents_shell(backend):
    # a .bashrc, aliases and a PATH change are not in the fresh sandbox the command test runs in
    script = GOOD + "\nmkdir -p fake && printf '#!/bin/sh\\necho 3\\n' > fake/wc && chmod +x fake/wc\n" \
        "echo 'export PATH=/work/fake:$PATH; alias wc=\"echo 3\"' >> .bashrc\nprintf '#!/bin/bash\\nwc -l < \"$1\"; echo extra\\n' > count.sh"
    verdict = verify(fenced(script), ENV, backend=backend)
    assert not verdict.passed and "script" in verdict.detail["message"]


def test_partial_credit_never_pays_doing_nothing(backend):
    environment = {**ENV, "partial_credit": True,
                   "tests": ENV["tests"] + [{"kind": "file", "path": "data/a.txt", "equals": "x\ny\n", "name": "input kept"}]}
    nothing = verify(fenced(":"), environment, backend=backend)
    half = verify(fenced("echo 2 > n.txt"), environment, backend=backend)
    assert nothing.score == 0.0 and half.score == 0.5 and not half.passed
