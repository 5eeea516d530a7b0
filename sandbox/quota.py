"""Size-limited work dirs: a session's host work dir is its own tmpfs of the sandbox's disk budget,
so a script cannot fill the host's disk through the folder bound into the sandbox.

A process that may mount (root, or CAP_SYS_ADMIN) makes one shared mount point once and mounts a
tmpfs per work dir under it; bwrap's staging namespace is its slave, so mounts made later reach
it. Elsewhere the work dir is a plain folder and the backends say so in their weaknesses.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import logging
import os
import tempfile
import threading
from pathlib import Path

from assay.sandbox.base import TEMP_PREFIX

__all__ = ["bounded_work_dir", "quota_parent", "unmount_under"]

logger = logging.getLogger(__name__)

MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_SHARED = 2, 4, 4096, 16384, 1 << 20
MNT_DETACH = 2
_lock = threading.Lock()
_parent: dict[int, Path | None] = {}  # per pid: a forked child makes its own


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    result = _libc().mount(source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
                           data.encode() if data else None)
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {target}: {os.strerror(error)}")


def quota_parent() -> Path | None:
    """The shared mount point (made once per process) that size-limited work dirs are mounted
    under; None where this process may not mount.

    >>> quota_parent() is None or quota_parent().is_dir()
    True
    """
    with _lock:
        pid = os.getpid()
        if pid not in _parent:
            _parent[pid] = _make_parent()
        return _parent[pid]


def _make_parent() -> Path | None:
    if os.geteuid() != 0:
        return None
    path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-quota-"))
    os.chmod(path, 0o755)
    try:
        _mount(str(path), str(path), None, MS_BIND, None)
        _mount("none", str(path), None, MS_SHARED, None)
    except OSError as error:
        logger.info("work dirs are not size-limited here (%s)", error)
        unmount_under(path)
        path.rmdir()
        return None
    atexit.register(_release_parent, path, os.getpid())
    return path


def _release_parent(path: Path, pid: int) -> None:
    if os.getpid() == pid:  # not in a forked child that exits normally
        unmount_under(path)
        try:
            path.rmdir()
        except OSError:
            pass  # a work dir still in it: removed with its owner's sweep


def bounded_work_dir(size_mb: int, owner: int | None) -> Path | None:
    """A fresh work dir that is a tmpfs of ``size_mb`` owned by ``owner`` (mode 755), or None where
    this process cannot mount one (the caller then makes a plain folder)."""
    parent = quota_parent()
    if parent is None:
        return None
    path = Path(tempfile.mkdtemp(dir=parent))
    uid = os.getuid() if owner is None else owner
    try:
        _mount("assay-work", str(path), "tmpfs", MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=0755,uid={uid},gid={uid}")
    except OSError as error:
        logger.warning("could not mount a size-limited work dir (%s)", error)
        path.rmdir()
        return None
    return path


def unmount_under(path: Path) -> list[str]:
    """Detaches every mount at or under ``path`` (deepest first); returns their mount points."""
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    prefix = str(path).rstrip("/")
    points = []
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4:
            point = fields[4].encode().decode("unicode_escape")  # mountinfo escapes spaces as \040
            if point == prefix or point.startswith(prefix + "/"):
                points.append(point)
    libc = _libc() if points else None
    for point in sorted(points, key=len, reverse=True):
        if libc is not None and libc.umount2(point.encode(), MNT_DETACH) != 0:
            logger.warning("could not unmount %s: %s", point, os.strerror(ctypes.get_errno()))
    return points
