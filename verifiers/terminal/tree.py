"""The initial file tree of a terminal task: JSON entries in the problem, a tar archive in the sandbox.

Entries: ``{"path", "type": "file"|"dir"|"link", "text" or "base64", "mode", "mtime", "target"}``.
"""

from __future__ import annotations

import base64
import io
import tarfile
from collections.abc import Mapping, Sequence
from typing import Any

from assay.verifiers.terminal.checks import Entry, Snapshot, normalize, parents

DEFAULT_MTIME = 1_704_067_200  # 2024-01-01 00:00:00 UTC: every generated file has a fixed time unless set
FILE_MODE, DIR_MODE = 0o644, 0o755


def entry_bytes(entry: Mapping[str, Any]) -> bytes:
    if "base64" in entry:
        return base64.b64decode(entry["base64"])
    return str(entry.get("text", "")).encode("utf-8")


def _entries(tree: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The tree's entries by normalized path, parent folders added (a later entry of a path wins)."""
    entries: dict[str, Mapping[str, Any]] = {}
    for entry in tree:
        name = normalize(str(entry["path"]))
        if name is None:
            raise ValueError(f"tree path leaves the work dir: {entry['path']!r}")
        entries[name] = entry
        for parent in parents(name):
            entries.setdefault(parent, {"path": parent, "type": "dir"})
    return entries


def snapshot(tree: Sequence[Mapping[str, Any]]) -> Snapshot:
    """``Snapshot.from_tar(build_archive(tree))``, made without writing and reading the archive.

    >>> snap = snapshot([{"path": "logs/a.log", "type": "file", "text": "x", "mode": 0o600}])
    >>> snap.get("logs/a.log") == Entry("file", 0o600, DEFAULT_MTIME, b"x"), snap.get("logs").type
    (True, 'dir')
    """
    found: dict[str, Entry] = {}
    for name, entry in _entries(tree).items():
        mtime, kind = int(entry.get("mtime", DEFAULT_MTIME)), entry.get("type", "file")
        if kind == "dir":
            found[name] = Entry("dir", int(entry.get("mode", DIR_MODE)) & 0o7777, mtime)
        elif kind == "link":
            found[name] = Entry("link", 0o777, mtime, target=str(entry["target"]))
        elif kind == "file":
            found[name] = Entry("file", int(entry.get("mode", FILE_MODE)) & 0o7777, mtime, entry_bytes(entry))
        else:
            raise ValueError(f"unknown tree entry type {kind!r}")
    return Snapshot(found)


def build_archive(tree: Sequence[Mapping[str, Any]]) -> bytes:
    """A deterministic tar of ``tree`` (parent folders added; same entries, same bytes).

    >>> data = build_archive([{"path": "logs/a.log", "type": "file", "text": "x"}])
    >>> [m.name for m in tarfile.open(fileobj=io.BytesIO(data)).getmembers()]
    ['logs', 'logs/a.log']
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8") as tar:
        for info, content in tree_members(tree):
            tar.addfile(info, None if content is None else io.BytesIO(content))
    return buffer.getvalue()


def tree_members(tree: Sequence[Mapping[str, Any]]) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    """The members of ``build_archive(tree)`` with their contents, in its order (a session writes
    them into a host work dir without the archive: ``Session.write_members``).

    >>> [(info.name, content) for info, content in tree_members([{"path": "logs/a.log", "type": "file", "text": "x"}])]
    [('logs', None), ('logs/a.log', b'x')]
    """
    entries = _entries(tree)
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    for name in sorted(entries):
        entry = entries[name]
        info = tarfile.TarInfo(name)
        info.mtime = int(entry.get("mtime", DEFAULT_MTIME))
        info.uid = info.gid = 1000
        kind = entry.get("type", "file")
        content = None
        if kind == "dir":
            info.type, info.mode = tarfile.DIRTYPE, int(entry.get("mode", DIR_MODE))
        elif kind == "link":
            info.type, info.linkname, info.mode = tarfile.SYMTYPE, str(entry["target"]), 0o777
        elif kind == "file":
            content = entry_bytes(entry)
            info.size, info.mode = len(content), int(entry.get("mode", FILE_MODE))
        else:
            raise ValueError(f"unknown tree entry type {kind!r}")
        members.append((info, content))
    return members


def file_entry(path: str, content: str | bytes, *, mode: int = FILE_MODE, mtime: int | None = None) -> dict[str, Any]:
    """A tree entry for a file (text kept readable in the row, other bytes as base64).

    >>> file_entry("a.txt", "hi")
    {'path': 'a.txt', 'type': 'file', 'text': 'hi'}
    """
    entry: dict[str, Any] = {"path": path, "type": "file"}
    if isinstance(content, bytes):
        try:
            entry["text"] = content.decode("utf-8")
        except UnicodeDecodeError:
            entry["base64"] = base64.b64encode(content).decode("ascii")
    else:
        entry["text"] = content
    if mode != FILE_MODE:
        entry["mode"] = mode
    if mtime is not None:
        entry["mtime"] = mtime
    return entry
