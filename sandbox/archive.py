"""A sandbox work dir copied out as a tar archive, read from the host without following any link.

Every entry is opened relative to its parent's descriptor with O_NOFOLLOW, so a program still
running in the sandbox cannot swap a file for a link to a host path between a check and a read.
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path

from assay.errors import SandboxError

MAX_ARCHIVE_BYTES = 64 << 20
MAX_ARCHIVE_ENTRIES = 20_000
MAX_DEPTH = 64
UNREADABLE = "ASSAY.unreadable"  # pax header on an entry the host could not open (its content is absent)

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK


def archive_tree(root: str | os.PathLike, *, max_bytes: int = MAX_ARCHIVE_BYTES, max_entries: int = MAX_ARCHIVE_ENTRIES) -> bytes:
    """The tree under ``root`` as an uncompressed PAX tar: directories, regular files, symbolic links
    (as links, never followed) and FIFOs, with modes and modification times; names sorted.

    More than ``max_entries`` entries or ``max_bytes`` of content raises SandboxError.

    >>> import tempfile, tarfile, io, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("hi")
    >>> (folder / "link").symlink_to("/etc/passwd")
    >>> members = tarfile.open(fileobj=io.BytesIO(archive_tree(folder))).getmembers()
    >>> [(m.name, m.type) for m in members]
    [('a.txt', b'0'), ('link', b'2')]
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8", errors="surrogateescape") as tar:
        _walk(root, lambda info, data: tar.addfile(info, None if data is None else io.BytesIO(data)), max_bytes, max_entries)
    return buffer.getvalue()


def tree_members(root: str | os.PathLike, *, max_bytes: int = MAX_ARCHIVE_BYTES,
                 max_entries: int = MAX_ARCHIVE_ENTRIES) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    """The members ``archive_tree`` would write, in its order, each with its content (None for
    what is not a readable regular file), without writing and parsing the archive.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("hi")
    >>> [(info.name, data) for info, data in tree_members(folder)]
    [('a.txt', b'hi')]
    """
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    _walk(root, lambda info, data: members.append((info, data)), max_bytes, max_entries)
    return members


Add = Callable[[tarfile.TarInfo, "bytes | None"], object]


def _walk(root: str | os.PathLike, add: Add, max_bytes: int, max_entries: int) -> None:
    budget = {"bytes": max_bytes, "entries": max_entries}
    try:
        top = os.open(Path(root), _DIR_FLAGS)
    except OSError as error:
        raise SandboxError(f"cannot open the work dir: {error.strerror}") from error
    try:
        _add_children(add, top, "", 0, budget)
    finally:
        os.close(top)


def _info(name: str, status: os.stat_result, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = stat.S_IMODE(status.st_mode)
    info.mtime = int(status.st_mtime)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _add_children(add: Add, dir_fd: int, prefix: str, depth: int, budget: dict[str, int]) -> None:
    if depth > MAX_DEPTH:
        raise SandboxError(f"the work tree is nested deeper than {MAX_DEPTH} folders")
    with os.scandir(dir_fd) as entries:
        names = sorted(entry.name for entry in entries)
    for name in names:
        budget["entries"] -= 1
        if budget["entries"] < 0:
            raise SandboxError("the work tree has too many entries to copy out")
        path = prefix + name
        try:
            status = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed while we walked
        if stat.S_ISLNK(status.st_mode):
            try:
                info = _info(path, status, tarfile.SYMTYPE)
                info.linkname = os.readlink(name, dir_fd=dir_fd)
            except OSError:
                continue
            add(info, None)
        elif stat.S_ISDIR(status.st_mode):
            try:
                fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError:
                info = _info(path, status, tarfile.DIRTYPE)
                info.pax_headers = {UNREADABLE: "1"}
                add(info, None)
                continue
            try:
                add(_info(path, os.fstat(fd), tarfile.DIRTYPE), None)
                _add_children(add, fd, path + "/", depth + 1, budget)
            finally:
                os.close(fd)
        elif stat.S_ISREG(status.st_mode):
            _add_file(add, dir_fd, name, path, status, budget)
        elif stat.S_ISFIFO(status.st_mode):
            add(_info(path, status, tarfile.FIFOTYPE), None)
        # sockets and device nodes carry no content a task could ask for: left out


def _add_file(add: Add, dir_fd: int, name: str, path: str, status: os.stat_result, budget: dict[str, int]) -> None:
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError:
        info = _info(path, status, tarfile.REGTYPE)
        info.pax_headers = {UNREADABLE: "1"}
        add(info, None)
        return
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            return  # swapped for something else since the stat
        data = handle.read(budget["bytes"] + 1)
    budget["bytes"] -= len(data)
    if budget["bytes"] < 0:
        raise SandboxError("the work tree holds too much data to copy out")
    info = _info(path, opened, tarfile.REGTYPE)
    info.size = len(data)
    add(info, data)


def unpack_tree(root: str | os.PathLike[str], archive: bytes, *, owner: int | None = None) -> None:
    """Unpacks a tar archive into ``root`` from the host side, refusing what tarfile's "data" filter
    refuses (absolute names, ``..``, links or members that lead outside ``root``, devices) but keeping
    the permission bits (setuid/setgid/sticky dropped) and modification times; ``owner`` gets every entry.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> source = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (source / "run.sh").write_text("echo")
    >>> (source / "run.sh").chmod(0o750)
    >>> unpack_tree(folder, archive_tree(source))
    >>> oct((folder / "run.sh").stat().st_mode & 0o777)
    '0o750'
    """
    def keep_mode(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
        checked = tarfile.data_filter(member, path)
        if checked is None:
            return checked
        return checked.replace(mode=member.mode & 0o777, deep=False) if member.isreg() or member.isdir() else checked

    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:", encoding="utf-8", errors="surrogateescape") as tar:
            tar.extractall(Path(root), filter=keep_mode)
    except (tarfile.TarError, OSError) as error:
        raise SandboxError(f"could not unpack the archive: {error}") from error
    if owner is not None:
        for dirpath, dirnames, filenames in os.walk(root):
            for name in (*dirnames, *filenames):
                os.lchown(os.path.join(dirpath, name), owner, owner)
