"""Sandbox test fixtures: backends that skip (or fail under ASSAY_REQUIRE_SANDBOXES=1) and a leak check.

After every test: warm runners hold no child, then every runner and pooled container is closed and
no process, container, temp dir or cgroup of this test process may remain.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from _required import unavailable

from assay.sandbox import close_all
from assay.sandbox.api import BACKENDS, availability
from assay.sandbox.base import TEMP_PREFIX
from assay.sandbox.cgroups import leftover_groups
from assay.sandbox.quota import quota_parent
from assay.sandbox.runner import POOL


def need(backend: str) -> None:
    """Skips the test when ``backend`` does not work here; CI (ASSAY_REQUIRE_SANDBOXES=1) fails it instead."""
    works, why = availability(backend)
    if works:
        return
    unavailable(f"backend {backend} unusable here: {why}")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    need(request.param)
    return request.param


@pytest.fixture(params=[name for name in BACKENDS if name != "docker"])
def host_backend(request: pytest.FixtureRequest) -> str:
    """The backends whose limits are the host's cgroups (docker enforces its own)."""
    need(request.param)
    return request.param


def descendants(root: int) -> list[int]:
    """Every live process under ``root`` (zombies included: they are leaks too), found through /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def temp_dirs() -> set[str]:
    """Our temp dirs (the process's one quota mount point stays; the work dirs mounted in it count)."""
    found = {p.name for p in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{os.getpid()}-*")}  # ours only
    parent = quota_parent()
    if parent is not None:
        found.discard(parent.name)
        found |= {f"{parent.name}/{child.name}" for child in parent.iterdir()}
    return found


def runner_processes() -> dict[str, list]:
    """What each idle warm runner runs besides itself and its one pre-forked, waiting child."""
    extra: dict[str, list] = {}
    for runner in POOL.idle_runners():
        if runner.launched.host_pid is not None:
            children = descendants(runner.launched.host_pid)
            if len(children) > 1:
                extra[f"{runner.backend}:{runner.launched.host_pid}"] = children
        elif runner.backend == "docker":
            import docker.errors

            from assay.sandbox.backends.docker import docker_client

            client = docker_client()
            mine = {"label": ["assay.sandbox=runner", f"assay.sandbox.owner={os.getpid()}"]}
            for container in client.containers.list(filters=mine, sparse=True):
                try:
                    processes = container.top(ps_args="-e -o pid,args").get("Processes") or []
                except docker.errors.APIError:  # it stopped meanwhile: nothing runs in it
                    continue
                if len(processes) > 2:  # the runner and its pre-forked child
                    extra[f"docker:{container.id[:12]}"] = processes
    return extra


@pytest.fixture(autouse=True)
def nothing_left_behind():
    before = temp_dirs()
    # processes other tests of the session left running on purpose (verifier pools) are not ours
    earlier = set(descendants(os.getpid()))
    yield
    assert runner_processes() == {}, "a warm runner still has processes after a run"
    close_all()

    def left() -> list[int]:
        return sorted(set(descendants(os.getpid())) - earlier)

    deadline = time.monotonic() + 10
    while left() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left() == [], "processes left behind"
    if availability("docker")[0]:
        from assay.sandbox.backends.docker import leftover_containers

        assert leftover_containers() == [], "containers left behind"
    assert temp_dirs() - before == set(), "temp dirs left behind"
    assert leftover_groups() == [], "cgroups left behind"


@pytest.fixture
def docker_backend() -> str:
    need("docker")
    return "docker"


@pytest.fixture
def bwrap_backend() -> str:
    need("bwrap")
    return "bwrap"
