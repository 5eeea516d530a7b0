"""A sandbox ends with its owner, however the owner dies; `assay sandbox gc` removes what is left.

The owner here is a child Python process, SIGKILLed the way the OOM killer or a cluster scheduler
ends a trainer, with warm runners, open sessions (each with a background process) and one-shot
runs in flight on every backend.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from _required import unavailable

from assay.sandbox import backends, gc
from assay.sandbox.base import TEMP_PREFIX

OWNER = """
import sys, threading, time
from assay.sandbox import Limits, run, run_python, session

token, names = sys.argv[1], sys.argv[2].split(",")
kept = []
for name in names:
    assert run_python("print(1)", backend=name).stdout == "1\\n"  # a warm runner, idle in the pool
    shell = session(name, limits=Limits(timeout_s=30))
    shell.exec(f"python3 -c 'import time; time.sleep(600)' {token}-session >/dev/null 2>&1 &")
    kept.append(shell)
    hang = ["python3", "-c", "import time; time.sleep(600)", f"{token}-run"]
    threading.Thread(target=run, args=(hang,), kwargs={"backend": name, "limits": Limits(timeout_s=600)}, daemon=True).start()
    slow = f"import time; print('{token}-warm'); time.sleep(600)"
    threading.Thread(target=run_python, args=(slow,), kwargs={"backend": name, "timeout_s": 600}, daemon=True).start()
time.sleep(3)  # the threads' sandboxes start
print("ready", flush=True)
time.sleep(600)
"""


def processes_with(token: str) -> list[int]:
    """Live processes (on the host, in any container) whose command line holds ``token``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if token.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def descendants(root: int) -> set[int]:
    """Every process under ``root`` now (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def containers_of(pid: int, *, running_only: bool) -> list[str]:
    from assay.sandbox.backends.docker import docker_client

    client = docker_client()
    if client is None:
        return []
    found = client.containers.list(all=not running_only, filters={"label": f"assay.sandbox.owner={pid}"}, sparse=True)
    return [c.id for c in found]


@pytest.mark.slow
def test_a_killed_owner_leaves_nothing_running():
    names = backends()
    token = f"assay-owner-{uuid.uuid4().hex}"
    owner = subprocess.Popen([sys.executable, "-c", OWNER, token, ",".join(names)], stdout=subprocess.PIPE, text=True,
                             start_new_session=True)
    tree: set[int] = set()
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == "ready"
        tree = descendants(owner.pid)
        assert len(processes_with(token)) >= len(names), "the owner did not start its sandboxes"
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait()
        deadline = time.monotonic() + 20
        left = {"processes": tree, "running containers": ["?"]}
        while time.monotonic() < deadline:
            left = {
                "processes": alive(tree) | set(processes_with(token)),
                "running containers": containers_of(owner.pid, running_only=True),
            }
            if not any(left.values()):
                break
            time.sleep(0.25)
        assert not any(left.values()), f"left running 20 s after the owner died: {left}"
        removed = gc()
        assert containers_of(owner.pid, running_only=False) == [], removed
        assert list(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{owner.pid}-*")) == [], removed
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
        for pid in alive(tree) | set(processes_with(token)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        from assay.sandbox.backends.docker import docker_client, remove_container

        client = docker_client()
        if client is not None:
            for container in client.containers.list(all=True, filters={"label": f"assay.sandbox.owner={owner.pid}"}, sparse=True):
                remove_container(container)


def test_gc_keeps_what_live_owners_use(backend):
    from assay.sandbox import session

    with session(backend) as shell:
        assert shell.exec("echo hi").stdout == "hi\n"
        removed = gc()
        assert shell.exec("echo still").stdout == "still\n", removed


def test_gc_removes_a_dead_owners_temp_dir_and_cgroup():
    from assay.sandbox.cgroups import support

    dead = subprocess.Popen(["true"])
    dead.wait()
    folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{dead.pid}-"))
    (folder / "file").write_text("left behind")
    group = None
    parent = support().pids_parent or support().memory_parent
    if parent is not None:
        group = parent / f"run-{dead.pid}-0"
        group.mkdir()
    removed = gc()
    assert not folder.exists() and str(folder) in removed["temp dirs"]
    if group is not None:
        assert not group.exists() and str(group) in removed["cgroups"]


def test_a_runner_started_in_a_finished_thread_still_works(backend):
    # the parent-death signal follows the thread that started a process: a warm runner started
    # from a pool thread must not die when that thread ends
    import threading

    from assay.sandbox import run_python

    started = threading.Thread(target=run_python, args=("print(1)",), kwargs={"backend": backend})
    started.start()
    started.join()
    time.sleep(0.2)
    result = run_python("print(2)", backend=backend)
    assert (result.status, result.stdout) == ("ok", "2\n"), result


BUSY = """
import json, os, stat, sys, tempfile
from pathlib import Path
from assay.sandbox.base import TEMP_PREFIX, remove_tree
from assay.sandbox.owners import sweep_temp_dirs

parent = Path(sys.argv[1])
dead = parent / f"{TEMP_PREFIX}999999999-quota-x"  # a pid no process has
busy = parent / f"{TEMP_PREFIX}{os.getpid()}-work"
for path in (dead, busy):
    path.mkdir()
    assert os.system(f"mount -t tmpfs none {path}") == 0
try:
    remove_tree(busy)
    raised = None
except OSError as error:
    raised = error.errno
tempfile.tempdir = str(parent)
swept = sweep_temp_dirs()
print(json.dumps({"raised": raised, "swept": swept, "mode": oct(stat.S_IMODE(parent.stat().st_mode)),
                  "left": sorted(p.name for p in parent.iterdir())}))
"""


def test_a_tree_that_cannot_be_removed_leaves_its_parent_alone(tmp_path):
    # a work dir that is a mount point (a leftover quota mount of a killed owner) cannot be removed;
    # remove_tree once answered by chmod-ing the tree's parent, /tmp itself, to 0700, and every
    # later bwrap sandbox (run as nobody) lost its work dir
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        unavailable("mounting a tmpfs needs root and util-linux unshare")
    parent = tmp_path / "tmp"
    parent.mkdir()
    parent.chmod(0o1777)
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable, "-c", BUSY, str(parent)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["raised"] is not None  # the mount point itself is busy: an error, reported
    assert found["mode"] == "0o1777", found  # /tmp's permissions are untouched
    assert found["swept"] == []  # a dead owner's mount point is skipped, not chmod-ed around
