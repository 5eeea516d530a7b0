"""The README runs as written: its two set-up commands come first, its ``>>>`` examples give the
output shown, its first-corpus shell block runs in a temporary folder, and every command it lists
exists."""

from __future__ import annotations

import doctest
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
BASH_BLOCKS = re.findall(r"```bash\n(.*?)```", TEXT, flags=re.S)


def run_examples(text: str, name: str) -> doctest.TestResults:
    """Run the ``>>>`` examples of a markdown text; a code fence ends an example's output."""
    text = re.sub(r"^```.*$", "", text, flags=re.M)
    test = doctest.DocTestParser().get_doctest(text, {}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    return runner.summarize(verbose=False)


def test_the_two_commands_come_first() -> None:
    first = [line.split("#")[0].strip() for line in BASH_BLOCKS[0].splitlines() if line.strip()]
    assert first == ["make demo", "make test"]
    assert TEXT.index("make demo") < TEXT.index("## A tour")


def test_python_examples_give_the_output_shown() -> None:
    result = run_examples(TEXT, "README.md")
    assert result.attempted > 10 and result.failed == 0


def test_the_first_corpus_block_runs(tmp_path: Path) -> None:
    block = next(b for b in BASH_BLOCKS if b.startswith("assay generate") and "completions.jsonl" in b)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "wrote 40 verdicts" in done.stdout
    overall = [line for line in done.stdout.splitlines() if line.startswith("all ")]
    assert overall and overall[-1].split()[-1] == "1.000", done.stdout  # pass@1 of reference answers


def test_every_listed_command_exists() -> None:
    listing = next(b for b in BASH_BLOCKS if "assay list" in b)
    commands = sorted({tuple(line.split()[1:3]) if line.split()[1] == "sandbox" else (line.split()[1],)
                       for line in listing.splitlines() if line.startswith("assay ")})
    assert len(commands) >= 10
    # one child runs `python -m assay COMMAND --help` for every command (runpy runs assay/__main__.py
    # as -m does, with that argv), so the interpreter and assay are imported once, not once a command
    done = subprocess.run([sys.executable, "-c", HELP_EVERY, json.dumps(commands)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    exits = json.loads(done.stdout.splitlines()[-1])
    assert [tuple(command) for command, _, _ in exits] == commands
    for command, code, stderr in exits:
        assert code == 0, (command, stderr)


HELP_EVERY = """
import contextlib, io, json, runpy, sys
exits = []
for command in json.loads(sys.argv[1]):
    sys.argv = ["assay", *command, "--help"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_module("assay", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else (0 if leaving.code is None else 1)
        except BaseException as failure:
            code, err = 1, io.StringIO(repr(failure))
    exits.append([command, code, err.getvalue()[-2000:]])
print(json.dumps(exits))
"""


@pytest.mark.parametrize("target", sorted(set(re.findall(r"\]\(([^)#:]+)\)", TEXT))))
def test_links_resolve(target: str) -> None:
    assert (ROOT / target).exists(), f"README links to missing {target}"
