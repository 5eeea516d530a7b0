"""A sandbox work dir copied out as a tar archive, read from the host without following any link.

Every entry is opened relative to its parent's descriptor with O_NOFOLLOW, so a program still
running in the sandbox cannot swap a file for a link to a host path between a check and a read.
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
from collections.abc import Callable, Iterable
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
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            return  # swapped for something else since the stat
        data = _read(fd, opened.st_size, budget["bytes"] + 1)
    finally:
        os.close(fd)
    budget["bytes"] -= len(data)
    if budget["bytes"] < 0:
        raise SandboxError("the work tree holds too much data to copy out")
    info = _info(path, opened, tarfile.REGTYPE)
    info.size = len(data)
    add(info, data)


def _read(fd: int, size: int, cap: int) -> bytes:
    """Up to ``cap`` bytes of an open file (all of it where it is shorter), asking first for the
    size it had (and one byte more): a buffered read of ``cap`` bytes allocates all of them for
    every file, which cost about 30 us per small file."""
    chunks: list[bytes] = []
    total = 0
    while total < cap:
        chunk = os.read(fd, min(cap - total, max(size + 1 - total, 1 << 16)))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


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


def write_members(root: str | os.PathLike[str], members: Iterable[tuple[tarfile.TarInfo, bytes | None]], *,
                  owner: int | None = None) -> None:
    """Writes a trusted tree given as tar members with their contents (folders, regular files and
    symbolic links) into ``root`` from the host side: what ``unpack_tree`` makes of their archive
    (permission bits and modification times kept, ``owner`` gets every entry), without writing and
    parsing the archive. Nothing is reached through a link: every entry is made relative to its
    parent's descriptor, opened with O_NOFOLLOW. Absolute names, ``..``, link targets that lead
    outside ``root`` and other member types raise SandboxError.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> info = tarfile.TarInfo("bin/run.sh"); info.mode = 0o750
    >>> write_members(folder, [(info, b"echo")])
    >>> oct((folder / "bin/run.sh").stat().st_mode & 0o777), (folder / "bin/run.sh").read_bytes()
    ('0o750', b'echo')
    """
    try:
        top = os.open(Path(root), _DIR_FLAGS)
    except OSError as error:
        raise SandboxError(f"cannot open the work dir: {error.strerror}") from error
    folders: list[tuple[list[str], tarfile.TarInfo]] = []  # their modes and times are set last, as tar does
    try:
        for info, data in members:
            parts = info.name.split("/")
            if info.name.startswith("/") or any(part in ("", ".", "..") for part in parts):
                raise SandboxError(f"a tree entry leaves the work dir: {info.name!r}")
            parent = _open_folder(top, parts[:-1], owner)
            try:
                _write_member(parent, parts[-1], info, data, owner)
            finally:
                if parent != top:
                    os.close(parent)
            if info.isdir():
                folders.append((parts, info))
        for parts, info in reversed(folders):
            fd = _open_folder(top, parts, owner)
            try:
                os.fchmod(fd, info.mode & 0o777)
                os.utime(fd, (info.mtime, info.mtime))
            finally:
                os.close(fd)
    except OSError as error:
        raise SandboxError(f"could not write the tree: {error}") from error
    finally:
        os.close(top)


def _open_folder(top: int, parts: list[str], owner: int | None) -> int:
    """The descriptor of the folder ``parts`` below ``top`` (made where missing), no link followed."""
    fd = top
    for part in parts:
        try:
            child = os.open(part, _DIR_FLAGS, dir_fd=fd)
        except FileNotFoundError:
            os.mkdir(part, 0o755, dir_fd=fd)
            child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            if owner is not None:
                os.fchown(child, owner, owner)
        if fd != top:
            os.close(fd)
        fd = child
    return fd


def _write_member(parent: int, name: str, info: tarfile.TarInfo, data: bytes | None, owner: int | None) -> None:
    if info.isdir():
        try:
            os.mkdir(name, 0o700, dir_fd=parent)
        except FileExistsError:
            if not stat.S_ISDIR(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode):
                raise SandboxError(f"{info.name} exists and is not a folder") from None
        if owner is not None:
            os.chown(name, owner, owner, dir_fd=parent, follow_symlinks=False)
    elif info.isreg():
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600, dir_fd=parent)
        try:
            view = memoryview(data or b"")
            while view:
                view = view[os.write(fd, view):]
            os.fchmod(fd, info.mode & 0o777)
            if owner is not None:
                os.fchown(fd, owner, owner)
            os.utime(fd, (info.mtime, info.mtime))
        finally:
            os.close(fd)
    elif info.issym():
        target = info.linkname
        if target.startswith("/") or os.path.normpath(os.path.join(os.path.dirname(info.name), target)).split("/")[0] == "..":
            raise SandboxError(f"the link {info.name!r} leads outside the work dir: {target!r}")
        os.symlink(target, name, dir_fd=parent)
        if owner is not None:
            os.chown(name, owner, owner, dir_fd=parent, follow_symlinks=False)
    else:
        raise SandboxError(f"{info.name}: only folders, files and links can be written")
