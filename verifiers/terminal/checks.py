"""Completion tests of terminal tasks, judged on a snapshot of the final work tree (a tar archive).

Standard library only: the Harbor export ships this file unchanged as its test program. Nothing
here executes what the agent wrote; a "command" check's output comes from a fresh sandbox.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import posixpath
import tarfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

UNREADABLE = "ASSAY.unreadable"  # pax header set by assay.sandbox.archive on an entry it could not open
MAX_UNPACKED = 32 << 20  # bytes a check may decompress from an archive the agent made
COMPARES = ("exact", "text", "lines", "sorted_lines", "json", "csv", "number")
KINDS = ("file", "absent", "dir", "link", "mode", "listing", "archive", "command")


@dataclass(frozen=True)
class Entry:
    """One entry of a snapshot: type is "file", "dir", "link" or "other"."""

    type: str
    mode: int
    mtime: int
    data: bytes | None = None  # None: not a regular file, or unreadable
    target: str = ""


class Snapshot:
    """A work tree read from a tar archive in memory (never extracted to disk).

    >>> snap = Snapshot.from_tar(tar_bytes({"a/b.txt": b"hi"}))
    >>> snap.get("a/b.txt").data, snap.get("a").type
    (b'hi', 'dir')
    """

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self.entries = dict(entries)

    @classmethod
    def from_tar(cls, data: bytes) -> Snapshot:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:", encoding="utf-8", errors="surrogateescape") as tar:
            return cls.from_members((member, _content(tar, member)) for member in tar)

    @classmethod
    def from_members(cls, members: Iterable[tuple[tarfile.TarInfo, bytes | None]]) -> Snapshot:
        """The snapshot of tar members with their contents (what ``from_tar`` reads from an archive;
        a tree walked on the host gives them without writing and parsing the archive)."""
        entries: dict[str, Entry] = {}
        for member, content in members:
            name = normalize(member.name)
            if name is None:
                continue
            if member.isdir():
                entries[name] = Entry("dir", member.mode, int(member.mtime))
            elif member.issym():
                entries[name] = Entry("link", member.mode, int(member.mtime), target=member.linkname)
            elif member.isfile():
                unreadable = member.pax_headers.get(UNREADABLE) == "1"
                entries[name] = Entry("file", member.mode, int(member.mtime), None if unreadable else content)
            else:
                entries[name] = Entry("other", member.mode, int(member.mtime))
            for parent in parents(name):  # a tar may omit parent folders
                entries.setdefault(parent, Entry("dir", 0o755, 0))
        return cls(entries)

    def get(self, path: str) -> Entry | None:
        name = normalize(path)
        return self.entries.get(name) if name is not None else None

    def under(self, folder: str) -> list[str]:
        """Every path below ``folder`` (relative to it), sorted; "" or "." is the whole tree."""
        base = normalize(folder) if folder not in ("", ".") else ""
        prefix = base + "/" if base else ""
        return sorted(name[len(prefix):] for name in self.entries if name.startswith(prefix) and name != base)


def _content(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes | None:
    if not member.isfile() or member.pax_headers.get(UNREADABLE) == "1":
        return None
    handle = tar.extractfile(member)
    return handle.read() if handle is not None else None


def normalize(path: str) -> str | None:
    """A relative POSIX path without "./" or trailing slashes; None for paths leaving the tree.

    >>> normalize("./a//b/"), normalize("../x"), normalize("/etc/passwd")
    ('a/b', None, None)
    """
    if path.startswith("/"):
        return None
    clean = posixpath.normpath(path)
    if clean in (".", "..") or clean.startswith("../"):
        return None
    return clean


def parents(name: str) -> list[str]:
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def tar_bytes(files: Mapping[str, bytes]) -> bytes:
    """A small tar of regular files (for examples and tests)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


# --- comparing text ---------------------------------------------------------------------------


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _lines(text: str) -> list[str]:
    return [line.rstrip(" \t\r") for line in text.rstrip("\n").split("\n")] if text.strip("\n") else []


def same(expected: str, actual: bytes, compare: str) -> tuple[bool, str]:
    """Whether ``actual`` matches ``expected`` under ``compare``:

    exact: byte for byte; text: trailing spaces, a CR before LF and the final newline(s) ignored;
    lines: as text; sorted_lines: the same lines in any order (duplicates count); json: equal
    JSON values; csv: the same rows (quoting may differ); number: one number equal to 1e-9.

    >>> same("a\\nb\\n", b"a \\nb", "text")
    (True, '')
    >>> same("a\\nb", b"b\\na", "sorted_lines")
    (True, '')
    >>> same('{"x": [1, 2]}', b'{"x":[1,2]}\\n', "json")
    (True, '')
    """
    if compare == "exact":
        ok = actual == expected.encode("utf-8", errors="surrogateescape")
    elif compare in ("text", "lines"):
        ok = _lines(_text(actual)) == _lines(expected)
    elif compare == "sorted_lines":
        ok = sorted(_lines(_text(actual))) == sorted(_lines(expected))
    elif compare == "json":
        try:
            ok = json.loads(_text(actual)) == json.loads(expected)
        except ValueError:
            return False, "not valid JSON"
    elif compare == "csv":
        try:
            ok = _csv_rows(_text(actual)) == _csv_rows(expected)
        except csv.Error:
            return False, "not valid CSV"
    elif compare == "number":
        try:
            value, want = float(_text(actual).strip()), float(expected)
        except ValueError:
            return False, "not a number"
        ok = abs(value - want) <= 1e-9 * max(1.0, abs(want))
    else:
        raise ValueError(f"unknown compare {compare!r}")
    if ok:
        return True, ""
    shown = _text(actual[:200])
    return False, f"content differs ({compare}): got {shown!r}"


def _csv_rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text.replace("\r\n", "\n"))) if row]


# --- the checks ---------------------------------------------------------------------------------


def check_file(snapshot: Snapshot, spec: Mapping[str, Any]) -> tuple[bool, str]:
    entry = snapshot.get(spec["path"])
    if entry is None:
        return False, f"{spec['path']} does not exist"
    if entry.type != "file":
        return False, f"{spec['path']} is a {entry.type}, not a regular file"
    if entry.data is None:
        return False, f"{spec['path']} cannot be read"
    data = entry.data
    if spec.get("gunzip"):
        if data[:2] != b"\x1f\x8b":
            return False, f"{spec['path']} is not gzip-compressed"
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
                data = unpacked.read(MAX_UNPACKED + 1)
        except (OSError, EOFError) as error:
            return False, f"{spec['path']} is not readable gzip: {error}"
        if len(data) > MAX_UNPACKED:
            return False, f"{spec['path']} unpacks to too much data"
    if "sha256" in spec:
        ok = hashlib.sha256(data).hexdigest() == spec["sha256"]
        return ok, "" if ok else f"{spec['path']} does not have the expected bytes"
    return same(spec["equals"], data, spec.get("compare", "text"))


def check_absent(snapshot: Snapshot, spec: Mapping[str, Any]) -> tuple[bool, str]:
    entry = snapshot.get(spec["path"])
    return entry is None, "" if entry is None else f"{spec['path']} still exists"


def check_type(snapshot: Snapshot, spec: Mapping[str, Any]) -> tuple[bool, str]:
    entry = snapshot.get(spec["path"])
    if entry is None or entry.type != spec["kind"]:
        return False, f"{spec['path']} is not a {spec['kind']}"
    if spec["kind"] == "link" and "target" in spec and entry.target != spec["target"]:
        return False, f"{spec['path']} points to {entry.target!r}"
    return True, ""


def check_mode(snapshot: Snapshot, spec: Mapping[str, Any]) -> tuple[bool, str]:
    entry = snapshot.get(spec["path"])
    if entry is None or entry.type == "link":
        return False, f"{spec['path']} does not exist (or is a link)"
    if "mode" in spec and entry.mode & 0o7777 != spec["mode"]:
        return False, f"{spec['path']} has mode {entry.mode & 0o7777:o}, not {spec['mode']:o}"
    if spec.get("executable") and not entry.mode & 0o100:
        return False, f"{spec['path']} is not executable by its owner"
    return True, ""


def check_listing(snapshot: Snapshot, spec: Mapping[str, Any]) -> tuple[bool, str]:
    """The files (and links) below a folder, by relative path; folders themselves are not listed."""
    folder = spec["path"]
    if folder not in ("", ".") and (snapshot.get(folder) is None or snapshot.get(folder).type != "dir"):  # type: ignore[union-attr]
        return False, f"{folder} is not a folder"
    base = "" if folder in ("", ".") else normalize(folder) + "/"  # type: ignore[operator]
    found = sorted(name for name in snapshot.under(folder) if snapshot.entries[base + name].type != "dir")
    want = sorted(spec["names"])
    if found == want:
        return True, ""
    extra, missing = sorted(set(found) - set(want)), sorted(set(want) - set(found))
    return False, f"{folder}: unexpected {extra[:5]}, missing {missing[:5]}"


def check_archive(snapshot: Snapshot, spec: Mapping[str, Any]) -> tuple[bool, str]:
    """A tar archive (plain or gzip) whose regular-file members are exactly ``members``
    (name -> sha256), read as a stream with a cap on the bytes unpacked."""
    entry = snapshot.get(spec["path"])
    if entry is None or entry.type != "file" or entry.data is None:
        return False, f"{spec['path']} is not a readable file"
    data = entry.data
    try:
        gzipped = data[:2] == b"\x1f\x8b"
        if spec.get("compression") == "gzip" and not gzipped:
            return False, f"{spec['path']} is not gzip-compressed"
        stream: Any = gzip.GzipFile(fileobj=io.BytesIO(data)) if gzipped else io.BytesIO(data)
        found: dict[str, str] = {}
        budget = MAX_UNPACKED
        with tarfile.open(fileobj=stream, mode="r|", encoding="utf-8", errors="surrogateescape") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = normalize(member.name)
                if name is None:
                    return False, f"{spec['path']} has a member outside the tree: {member.name!r}"
                budget -= member.size
                if budget < 0:
                    return False, f"{spec['path']} unpacks to too much data"
                handle = tar.extractfile(member)
                found[name] = hashlib.sha256(handle.read() if handle else b"").hexdigest()
    except (tarfile.TarError, OSError, EOFError) as error:
        return False, f"{spec['path']} is not a readable tar archive: {error}"
    want = dict(spec["members"])
    if found == want:
        return True, ""
    wrong = sorted(name for name in want if name in found and found[name] != want[name])
    return False, f"members differ: missing {sorted(set(want) - set(found))[:5]}, extra {sorted(set(found) - set(want))[:5]}, changed {wrong[:5]}"


def check_command(spec: Mapping[str, Any], result: Mapping[str, Any] | None) -> tuple[bool, str]:
    """The outcome of a command run in a fresh sandbox built from the final tree: its exit code, its
    stdout (compared by ``compare``) and a text its stderr must hold (``stderr_contains``), each where the spec has it.

    >>> check_command({"run": "./s", "exit_code": 1, "stderr_contains": "required"}, {"status": "error", "exit_code": 1, "stderr": "x"})
    (False, "stderr does not say 'required'")
    """
    if result is None:
        return False, "the command was not run"
    if result.get("status") not in ("ok", "error"):
        return False, f"the command ended with {result.get('status')}"
    if "exit_code" in spec and result.get("exit_code") != spec["exit_code"]:
        return False, f"exit code {result.get('exit_code')}, expected {spec['exit_code']}"
    if "stdout" in spec:
        ok, why = same(spec["stdout"], str(result.get("stdout", "")).encode("utf-8", errors="surrogateescape"), spec.get("compare", "text"))
        if not ok:
            return False, "stdout: " + why
    if "stderr_contains" in spec and str(spec["stderr_contains"]) not in str(result.get("stderr", "")):
        return False, f"stderr does not say {spec['stderr_contains']!r}"
    return True, ""


FILE_CHECKS: dict[str, Callable[[Snapshot, Mapping[str, Any]], tuple[bool, str]]] = {
    "file": check_file, "absent": check_absent, "dir": check_type, "link": check_type, "mode": check_mode,
    "listing": check_listing, "archive": check_archive,
}


def evaluate(tests: Sequence[Mapping[str, Any]], snapshot: Snapshot, outputs: Mapping[int, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each test's outcome: ``{"name", "passed", "message"}``; ``outputs`` maps the index of each
    command test to its run's result (status, exit_code, stdout, stderr).

    >>> snap = Snapshot.from_tar(tar_bytes({"out.txt": b"3\\n"}))
    >>> [r["passed"] for r in evaluate([{"kind": "file", "path": "out.txt", "equals": "3"}], snap, {})]
    [True]
    """
    results = []
    for index, spec in enumerate(tests):
        kind = spec["kind"]
        if kind == "command":
            passed, message = check_command(spec, outputs.get(index))
        else:
            passed, message = FILE_CHECKS[kind](snapshot, spec)
        results.append({"name": spec.get("name") or f"{kind} {spec.get('path', index)}", "passed": passed, "message": message})
    return results


def validate_tests(tests: Any) -> list[dict[str, Any]]:
    """The tests as a list of dicts with known kinds and compares; ValueError otherwise."""
    if not isinstance(tests, list) or not tests:
        raise ValueError("tests must be a non-empty list")
    for spec in tests:
        if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
            raise ValueError(f"unknown test {spec!r:.200}")
        if spec.get("compare", "text") not in COMPARES:
            raise ValueError(f"unknown compare {spec.get('compare')!r}")
        if spec["kind"] == "command" and not isinstance(spec.get("run"), str):
            raise ValueError("a command test needs 'run' (a shell command)")
        if spec["kind"] != "command" and not isinstance(spec.get("path"), str):
            raise ValueError(f"a {spec['kind']} test needs 'path'")
    return tests
