"""The cgroup paths: v1 (this host), v2 in a private mount where the kernel allows, v2 on a fake tree.

The fake tree stands in for a cgroup2 mount: the test checks which files the probe and a run group
write and read, since the kernel's side (limits taking effect) cannot be faked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from _required import unavailable

from assay.sandbox.cgroups import CgroupSupport, RunGroup, probe, support


def fake_v2(root: Path, own: str, offered: str = "cpuset cpu io memory pids") -> Path:
    """A cgroup2-shaped folder tree: the mount's root and this process's own group under it."""
    for folder in (root, root / own.lstrip("/")):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cgroup.controllers").write_text(offered + "\n")
        (folder / "cgroup.subtree_control").write_text("\n")
        (folder / "cgroup.procs").write_text("")
    return root / own.lstrip("/")


def test_v2_probe_enables_the_controllers_it_needs(tmp_path):
    base = fake_v2(tmp_path, "/work.slice/me")
    found = probe(tmp_path, {"": "/work.slice/me"})
    assert (found.version, found.pids_parent, found.memory_parent) == (2, base / "assay", base / "assay"), found
    assert (base / "cgroup.subtree_control").read_text() == "+pids +memory"
    assert (base / "assay" / "cgroup.subtree_control").read_text() == "+pids +memory"
    assert found.reason == f"cgroup v2 at {base / 'assay'}"


def test_v2_probe_says_why_it_cannot(tmp_path):
    fake_v2(tmp_path, "/work.slice/me", offered="cpu io")
    found = probe(tmp_path, {"": "/work.slice/me"})
    assert found.version == 0 and "no pids or memory controller offered" in found.reason, found


def test_v2_run_group_writes_limits_procs_and_reads_oom_kills(tmp_path):
    parent = tmp_path / "assay"
    parent.mkdir()
    where = CgroupSupport(2, parent, parent, reason="fake")
    group = RunGroup(64, 128, where=where)
    (folder,) = group.dirs
    assert folder.parent == parent and folder.name.startswith(f"run-{os.getpid()}-")
    assert (folder / "pids.max").read_text() == "64"
    assert (folder / "memory.max").read_text() == str(128 << 20)
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        group.add(sleeper.pid)
        assert (folder / "cgroup.procs").read_text() == str(sleeper.pid)
        assert group.pids() == {sleeper.pid}
        assert not group.oom_killed()
        (folder / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
        assert group.oom_killed()
        group.mark_oom()
        assert not group.oom_killed()
        group.set_limits(8, 256)
        assert (folder / "pids.max").read_text() == "8" and (folder / "memory.max").read_text() == str(256 << 20)
        (folder / "cgroup.kill").write_text("0")
        group.kill()  # v2 kills through cgroup.kill, then SIGKILLs whatever cgroup.procs still lists
        assert (folder / "cgroup.kill").read_text() == "1"
        assert sleeper.wait(5) == -9
    finally:
        sleeper.kill()
        sleeper.wait()
    for name in os.listdir(folder):  # a real cgroup folder is empty of files to rmdir; this one is not
        (folder / name).unlink()
    group.close()
    assert not folder.exists()


MOUNTED = """
import json, sys
from pathlib import Path
from assay.sandbox.cgroups import RunGroup, probe
root = Path(sys.argv[1])
found = probe(root, {"": "/"})
result = {"version": found.version, "reason": found.reason, "offered": (root / "cgroup.controllers").read_text().split()}
if found.version == 2:
    group = RunGroup(16, 64, where=found)
    result["pids.max"] = (group.dirs[0] / "pids.max").read_text().strip()
    group.close()
print(json.dumps(result))
"""


def test_v2_in_a_private_mount_namespace(tmp_path):
    # the probe against a real cgroup2 mount: where it offers pids or memory (a v2 host) groups are
    # made there; where those controllers are bound to v1 hierarchies (a hybrid host like this
    # one) the probe must say so rather than claim a limit it cannot set
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        unavailable("mounting cgroup2 needs root and util-linux unshare")
    mount = tmp_path / "cgroup2"
    mount.mkdir()
    script = f'mount -t cgroup2 none {mount} && exec "$@"'
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh",
                           sys.executable, "-c", MOUNTED, str(mount)], capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0 and "mount" in done.stderr:
        unavailable(f"the kernel refuses a cgroup2 mount here: {done.stderr.strip()[-300:]}")
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    if {"pids", "memory"} & set(found["offered"]):
        assert found["version"] == 2 and found["pids.max"] == "16", found
    else:
        assert found["version"] == 0 and "no pids or memory controller offered" in found["reason"], found


def test_check_says_which_path_is_in_use(capsys):
    from assay.cli import main

    assert main(["sandbox", "check"]) in (0, 1)
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("cgroups:"))
    found = support()
    if found.version == 1:
        assert line.startswith("cgroups: v1 ") and str(found.pids_parent or found.memory_parent) in line, line
    elif found.version == 2:
        assert line.startswith("cgroups: v2 ") and str(found.pids_parent or found.memory_parent) in line, line
    else:
        assert line.startswith("cgroups: none ") and found.reason in line, line
