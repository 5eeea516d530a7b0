"""Which interpreter the sandboxes run and which of its files they show.

A venv made with copies under /tmp (tox, virtualenv --copies, some CI images) must work on every
backend that runs the host's Python; a sandbox shows the interpreter's own tree and nothing beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import uuid
import venv
from pathlib import PurePosixPath

import pytest
from _required import unavailable

from assay.sandbox import run_python, session
from assay.sandbox.api import availability
from assay.sandbox.interpreter import interpreter, is_under, tree

CHILD = """
import json, site, sys
site.addsitedir(sys.argv[1])  # this test's packages (assay, editable), without touching the venv
from assay.sandbox import backends, close_all, run_python
found = {"executable": sys.executable, "backends": backends(), "runs": {}}
for name in sys.argv[2].split(","):
    for warm in (True, False):
        result = run_python("print(6 * 7)", backend=name, warm=warm)
        found["runs"][f"{name}-{'warm' if warm else 'fresh'}"] = [result.status, result.stdout, result.message]
close_all()
print(json.dumps(found))
"""


@pytest.mark.slow
def test_a_venv_of_copies_under_tmp(tmp_path):
    assert str(tmp_path).startswith("/tmp/")
    home = tmp_path / "venv"
    venv.create(home, symlinks=False, with_pip=False)
    python = home / "bin" / "python"
    assert not python.is_symlink()
    names = ["process"] + (["bwrap"] if availability("bwrap")[0] or os.environ.get("ASSAY_REQUIRE_SANDBOXES") == "1" else [])
    done = subprocess.run([str(python), "-c", CHILD, sysconfig.get_paths()["purelib"], ",".join(names)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["executable"] == str(python)
    assert set(names) <= set(found["backends"]), found
    for run, (status, stdout, message) in found["runs"].items():
        assert (status, stdout) == ("ok", "42\n"), (run, message)


UNDER_TMP = 'mkdir -p "$1" && mount --bind "$2" "$1" && shift 2 && exec "$@"'


@pytest.mark.slow
def test_an_interpreter_that_lives_under_tmp(tmp_path):
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        unavailable("binding a Python under /tmp needs root and unshare")
    # a Python unpacked under /tmp (as some CI images do): the sandboxes' own /tmp must not hide it
    executable, prefix = interpreter()
    if not is_under(executable, prefix):
        pytest.skip(f"the interpreter {executable} lies outside its prefix {prefix}")
    place = tmp_path / "python"
    inside = place / os.path.relpath(executable, prefix)
    names = ["process"] + (["bwrap"] if availability("bwrap")[0] or os.environ.get("ASSAY_REQUIRE_SANDBOXES") == "1" else [])
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", UNDER_TMP, "sh", str(place), prefix,
                           str(inside), "-c", CHILD, sysconfig.get_paths()["purelib"], ",".join(names)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["executable"] == str(inside)
    for run, (status, stdout, message) in found["runs"].items():
        assert (status, stdout) == ("ok", "42\n"), (run, message)


def test_the_interpreter_is_the_base_one():
    executable, prefix = interpreter()
    assert os.path.isfile(executable) and not os.path.islink(executable)
    assert executable == os.path.realpath(executable) and prefix == os.path.realpath(prefix)
    assert any(is_under(executable, path) or executable == path for path in tree())


def _ancestors() -> dict[str, list[str]]:
    """Each folder above the interpreter's tree (outside /usr) and the entries a sandbox may show in it."""
    shown: dict[str, set[str]] = {}
    for path in tree():
        pure = PurePosixPath(path)
        for parent, child in zip(pure.parents, (pure, *pure.parents), strict=False):
            if str(parent) != "/" and not is_under(str(parent), "/usr"):
                shown.setdefault(str(parent), set()).add(child.name)
    return {folder: sorted(names) for folder, names in shown.items()}


@pytest.fixture
def beside_the_tree():
    """The folders above the interpreter's tree, each holding a fresh host entry beside it (a file
    named after this test run): a sandbox that shows any of them shows the host's folder."""
    expected = _ancestors()
    if not expected:
        pytest.skip("the interpreter lives under /usr here: no folder above it to list")
    token = f".assay-beside-{uuid.uuid4().hex[:12]}"
    made = []
    try:
        for folder in expected:
            sentinel = os.path.join(folder, token)
            with open(sentinel, "x") as handle:
                handle.write("host only")
            made.append(sentinel)
    except OSError as error:
        for sentinel in made:
            os.unlink(sentinel)
        unavailable(f"cannot write beside the interpreter's tree here: {error}")
    yield expected, token
    for sentinel in made:
        os.unlink(sentinel)


LIST = "import json, os\nprint(json.dumps({a: sorted(os.listdir(a)) if os.path.isdir(a) else None for a in %r}))"


@pytest.mark.parametrize("warm", [True, False], ids=["warm", "fresh"])
def test_only_the_interpreters_own_tree_is_shown(bwrap_backend, warm, beside_the_tree):
    # e.g. pyenv: /root shows ".pyenv" alone, /root/.pyenv/versions "3.11.7" alone, never the host's
    # other entries (its other Pythons, /root's dot files) nor the entry this test put beside them
    expected, token = beside_the_tree
    assert all(token in os.listdir(folder) for folder in expected)  # the host shows it
    result = run_python(LIST % list(expected), backend=bwrap_backend, warm=warm)
    assert result.status == "ok", result
    assert token not in result.stdout
    assert json.loads(result.stdout) == expected
    with session(bwrap_backend) as shell:  # a session binds the host's /usr and the tree
        listed = shell.exec([interpreter()[0], "-I", "-S", "-c", LIST % list(expected)])
        shown = shell.exec(["/bin/ls", "-a", *expected])
    assert json.loads(listed.stdout) == expected, listed
    assert shown.exit_code == 0 and token not in shown.stdout, shown
