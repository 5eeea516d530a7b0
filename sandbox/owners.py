"""Who owns a sandbox, and the sweep that removes what dead owners left (temp dirs, cgroups).

An owner is (pid, start time, boot id, pid namespace): a pid reused after a reboot or by another
process later does not keep an orphan alive. Containers carry the same as labels (backends.docker).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assay.sandbox.base import TEMP_PREFIX, remove_tree

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def boot_id() -> str:
    """This boot's id (changes at every reboot; empty where the kernel does not say).

    >>> len(boot_id()) in (0, 36)
    True
    """
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def start_time(pid: int) -> str:
    """When ``pid`` started, in clock ticks since boot ("" when it does not exist).

    >>> start_time(os.getpid()) != ""
    True
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def pid_namespace() -> str:
    """This process's pid namespace ("pid:[4026531836]"): pids from another one mean nothing here.

    >>> pid_namespace().startswith("pid:")
    True
    """
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


@dataclass(frozen=True)
class Owner:
    """The process that started a sandbox, as recorded on it."""

    pid: int
    started: str = ""  # start_time(pid) when it was recorded; "" when unknown (older labels)
    boot: str = ""  # boot_id() then; "" when unknown
    namespace: str = ""  # pid_namespace() then; "" when unknown

    @classmethod
    def me(cls) -> Owner:
        """This process.

        >>> Owner.me().alive()
        True
        """
        return cls(os.getpid(), start_time(os.getpid()), boot_id(), pid_namespace())

    def ours_to_judge(self) -> bool:
        """Whether this process can tell if the owner lives: same pid namespace (or unknown)."""
        return not self.namespace or self.namespace == pid_namespace()

    def alive(self) -> bool:
        """Whether the owner still runs: same boot, its pid exists and started when recorded."""
        if self.boot and self.boot != boot_id():
            return False
        now = start_time(self.pid)
        return now != "" and (not self.started or now == self.started)


_TEMP = re.compile(re.escape(TEMP_PREFIX) + r"(\d++)-")
_GROUP = re.compile(r"run-(\d++)-")


def sweep_temp_dirs() -> list[str]:
    """Removes sandbox temp dirs (assay-sbx-PID-...) whose process is gone; returns their paths."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        match = _TEMP.match(path.name)
        if match and path.is_dir() and not path.is_mount() and not Owner(int(match.group(1))).alive():
            try:
                remove_tree(path)
            except OSError as error:
                logger.warning("could not remove %s: %s", path, error)
                continue
            removed.append(str(path))
    return removed


def sweep_groups() -> list[str]:
    """Kills and removes run cgroups (run-PID-N) whose process is gone; returns their paths."""
    from assay.sandbox.cgroups import RunGroup, support

    probe = support()
    removed = []
    for parent in {p for p in (probe.pids_parent, probe.memory_parent) if p is not None}:
        for path in sorted(parent.glob("run-*")):
            match = _GROUP.match(path.name)
            if match and not Owner(int(match.group(1))).alive():
                RunGroup.adopt(path).close()
                if not path.exists():
                    removed.append(str(path))
    return removed
