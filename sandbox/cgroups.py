"""Per-run cgroups for the pids and memory limits (cgroup v1 controllers or a delegated v2 subtree).

A run's processes go into a fresh group; killing the group kills every process, setsid or not.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count()
_lock = threading.Lock()
_probed: CgroupSupport | None = None


@dataclass(frozen=True)
class CgroupSupport:
    """Where run groups can be made: v1 pids and memory folders, or one v2 folder; None when impossible."""

    version: int  # 0: none usable
    pids_parent: Path | None = None
    memory_parent: Path | None = None
    reason: str = ""

    @property
    def pids(self) -> bool:
        return self.pids_parent is not None

    @property
    def memory(self) -> bool:
        return self.memory_parent is not None

    def describe(self) -> str:
        """Which path is in use and where, in one line (`assay sandbox check` prints it).

        >>> CgroupSupport(0, reason="no writable pids or memory cgroup").describe()
        'none (no writable pids or memory cgroup)'
        >>> CgroupSupport(2, Path("/sys/fs/cgroup/a"), Path("/sys/fs/cgroup/a")).describe()
        'v2 at /sys/fs/cgroup/a (pids: yes, memory: yes)'
        """
        if self.version == 0:
            return f"none ({self.reason})"
        if self.version == 2:
            return f"v2 at {self.pids_parent or self.memory_parent} (pids: {'yes' if self.pids else 'no'}, memory: {'yes' if self.memory else 'no'})"
        return f"v1 (pids: {self.pids_parent or 'none'}, memory: {self.memory_parent or 'none'})"


def own_paths(text: str | None = None) -> dict[str, str]:
    """This process's cgroup per controller ("" for v2), from /proc/self/cgroup or ``text``.

    >>> own_paths("12:pids:/user.slice\\n0::/user.slice/x\\n")
    {'pids': '/user.slice', '': '/user.slice/x'}
    """
    if text is None:
        with open("/proc/self/cgroup") as handle:
            text = handle.read()
    paths: dict[str, str] = {}
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _probe_dir(parent: Path) -> bool:
    trial = parent / f"probe-{os.getpid()}-{next(_counter)}"
    try:
        trial.mkdir()
        trial.rmdir()
        return True
    except OSError:
        return False


def support() -> CgroupSupport:
    """What this machine offers, probed once: v1 controllers first, then a writable v2 subtree."""
    global _probed
    with _lock:
        if _probed is None:
            _probed = _probe()
            logger.debug("cgroups: %s", _probed)
        return _probed


def _probe() -> CgroupSupport:
    if os.environ.get("ASSAY_SANDBOX_NO_CGROUPS") == "1":
        return CgroupSupport(0, reason="disabled by ASSAY_SANDBOX_NO_CGROUPS=1")
    try:
        own = own_paths()
    except OSError as error:
        return CgroupSupport(0, reason=f"cannot read /proc/self/cgroup: {error}")
    return probe(ROOT, own)


def probe(root: Path, own: dict[str, str]) -> CgroupSupport:
    """Where run groups can be made under the cgroup mount ``root`` for a process in ``own``
    (see own_paths): v1 pids and memory controllers first, then a writable v2 subtree."""
    parents: dict[str, Path] = {}
    for controller in ("pids", "memory"):
        mount = root / controller
        if controller in own and (mount / "cgroup.procs").exists():
            parent = mount / own[controller].lstrip("/") / "assay"
            try:
                parent.mkdir(exist_ok=True)
            except OSError:
                continue
            if _probe_dir(parent):
                parents[controller] = parent
    if parents:
        return CgroupSupport(1, parents.get("pids"), parents.get("memory"), reason="cgroup v1")
    unified = root if (root / "cgroup.controllers").exists() else None
    if unified is not None and "" in own:
        # our own cgroup holds processes, so it cannot enable controllers for children (the
        # no-internal-process rule) unless it was delegated that way; the root cgroup is exempt
        failures = []
        for base in dict.fromkeys((unified / own[""].lstrip("/"), unified)):
            try:
                return _probe_v2(base)
            except OSError as error:
                failures.append(f"{base}: {error.strerror or error}")
        return CgroupSupport(0, reason="cgroup v2 without a writable pids/memory subtree (" + "; ".join(failures) + ")")
    return CgroupSupport(0, reason="no writable pids or memory cgroup")


def _probe_v2(base: Path) -> CgroupSupport:
    wanted = [c for c in ("pids", "memory") if c in (base / "cgroup.controllers").read_text().split()]
    if not wanted:
        raise OSError(0, "no pids or memory controller offered")
    enabled = (base / "cgroup.subtree_control").read_text().split()
    missing = [c for c in wanted if c not in enabled]
    if missing:
        (base / "cgroup.subtree_control").write_text(" ".join("+" + c for c in missing))
    parent = base / "assay"
    parent.mkdir(exist_ok=True)
    (parent / "cgroup.subtree_control").write_text(" ".join("+" + c for c in wanted))
    if not _probe_dir(parent):
        raise OSError(0, f"cannot create groups under {parent}")
    return CgroupSupport(2, parent if "pids" in wanted else None, parent if "memory" in wanted else None, reason=f"cgroup v2 at {parent}")


class RunGroup:
    """One run's cgroup(s): limits set, processes added, everything killed and removed on close."""

    def __init__(self, pids: int, memory_mb: int | None, where: CgroupSupport | None = None) -> None:
        self.support = where or support()
        name = f"run-{os.getpid()}-{next(_counter)}"
        self.limits = (pids, memory_mb)
        self.dirs: list[Path] = []
        self._oom_file: Path | None = None
        self._oom_before = 0
        try:
            if self.support.version == 2:
                path = self.support.pids_parent or self.support.memory_parent
                if path is None:
                    raise OSError(0, "no cgroup v2 folder to make groups in")
                self._make(path / name)
                if self.support.pids:
                    (path / name / "pids.max").write_text(str(pids))
                if self.support.memory and memory_mb:
                    (path / name / "memory.max").write_text(str(memory_mb << 20))
                    swap = path / name / "memory.swap.max"
                    if swap.exists():
                        swap.write_text("0")
                    self._oom_file = path / name / "memory.events"
            else:
                if self.support.pids_parent is not None:
                    folder = self._make(self.support.pids_parent / name)
                    (folder / "pids.max").write_text(str(pids))
                if self.support.memory_parent is not None and memory_mb:
                    folder = self._make(self.support.memory_parent / name)
                    (folder / "memory.limit_in_bytes").write_text(str(memory_mb << 20))
                    swap = folder / "memory.memsw.limit_in_bytes"
                    if swap.exists():
                        try:
                            swap.write_text(str(memory_mb << 20))
                        except OSError:
                            pass  # swap accounting off: there is no swap to limit
                    self._oom_file = folder / "memory.oom_control"
            self._oom_before = self._oom_kills()
        except OSError:
            self.close()
            raise

    @classmethod
    def adopt(cls, path: Path) -> RunGroup:
        """A handle on an existing group folder (one a dead owner left), to kill and remove it."""
        group = cls.__new__(cls)
        group.support, group.limits, group.dirs = support(), (0, None), [path]
        group._oom_file, group._oom_before = None, 0
        return group

    def set_limits(self, pids: int, memory_mb: int | None) -> None:
        """Changes the limits of a reused group (between runs, while it holds no process)."""
        if (pids, memory_mb) == self.limits:
            return
        for folder in self.dirs:
            if (folder / "pids.max").exists():
                (folder / "pids.max").write_text(str(pids))
            if memory_mb:
                for name in ("memory.max", "memory.limit_in_bytes"):
                    if (folder / name).exists():
                        self._write_memory(folder, name, memory_mb)
        self.limits = (pids, memory_mb)

    def _write_memory(self, folder: Path, name: str, memory_mb: int) -> None:
        value = str(memory_mb << 20)
        swap = folder / ("memory.memsw.limit_in_bytes" if name == "memory.limit_in_bytes" else "memory.swap.max")
        if name == "memory.limit_in_bytes" and swap.exists():
            # v1 keeps memsw >= mem: raise whichever must go first
            order = [folder / name, swap] if memory_mb << 20 <= int((folder / name).read_text()) else [swap, folder / name]
            for path in order:
                try:
                    path.write_text(value)
                except OSError:
                    if path != swap:
                        raise
        else:
            (folder / name).write_text(value)

    def mark_oom(self) -> None:
        """Starts counting OOM kills from now (a reused group's counter keeps earlier runs' kills)."""
        self._oom_before = self._oom_kills()

    def _make(self, path: Path) -> Path:
        path.mkdir()
        self.dirs.append(path)
        return path

    @property
    def procs_files(self) -> list[Path]:
        return [d / "cgroup.procs" for d in self.dirs]

    def add(self, pid: int) -> None:
        for procs in self.procs_files:
            procs.write_text(str(pid))

    def _oom_kills(self) -> int:
        if self._oom_file is None:
            return 0
        try:
            for line in self._oom_file.read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except OSError:
            pass
        return 0

    def oom_killed(self) -> bool:
        return self._oom_kills() > self._oom_before

    def pids(self) -> set[int]:
        found: set[int] = set()
        for procs in self.procs_files:
            try:
                found.update(int(p) for p in procs.read_text().split())
            except OSError:
                pass
        return found

    def kill(self) -> None:
        """SIGKILLs every process in the group until none is left (a killed process cannot fork)."""
        if self.support.version == 2 and self.dirs and (self.dirs[0] / "cgroup.kill").exists():
            try:
                (self.dirs[0] / "cgroup.kill").write_text("1")
            except OSError:
                pass
        for _ in range(1000):
            alive = self.pids()
            if not alive:
                return
            for pid in alive:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.001)
        logger.error("processes survive in %s after repeated SIGKILL", self.dirs)

    def close(self) -> None:
        self.kill()
        for path in reversed(self.dirs):
            for _ in range(200):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.005)  # exiting processes still leave the group
            else:
                logger.warning("could not remove cgroup %s", path)
        self.dirs = []


class GroupPool:
    """Emptied run groups kept for reuse: creating and removing cgroups costs more than a short run."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._free: list[RunGroup] = []
        self._lock = threading.Lock()
        self._owner = os.getpid()

    def acquire(self, pids: int, memory_mb: int | None) -> RunGroup:
        with self._lock:
            if self._owner != os.getpid():  # inherited through fork: the parent's groups
                self._free, self._owner = [], os.getpid()
            group = self._free.pop() if self._free else None
        if group is None:
            return RunGroup(pids, memory_mb)
        try:
            group.set_limits(pids, memory_mb)
        except OSError:
            group.close()
            return RunGroup(pids, memory_mb)
        group.mark_oom()
        return group

    def release(self, group: RunGroup) -> None:
        group.kill()
        with self._lock:
            if len(self._free) < self.size and not group.pids():
                self._free.append(group)
                return
        group.close()

    def close(self) -> None:
        if self._owner != os.getpid():
            return
        with self._lock:
            free, self._free = self._free, []
        for group in free:
            group.close()


GROUPS = GroupPool()


def leftover_groups() -> list[Path]:
    """Run groups of this process that still exist (tests assert none is left)."""
    found: list[Path] = []
    probe = support()
    for parent in {p for p in (probe.pids_parent, probe.memory_parent) if p is not None}:
        found.extend(sorted(parent.glob(f"run-{os.getpid()}-*")))
    return found


atexit.register(GROUPS.close)
