"""Multi-turn sandboxes for terminal tasks: files, working directory and daemons persist across exec calls.

A session agent (the warm runner in session mode) is PID 1 of one long-lived sandbox and forks
each command; docker sessions take that sandbox from a pool of pre-started containers.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import shlex
import tarfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assay.errors import SandboxError
from assay.sandbox.archive import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_ENTRIES,
    UNREADABLE,
    archive_tree,
    tree_members,
    unpack_tree,
    write_members,
)
from assay.sandbox.base import (
    ExecResult,
    FileContent,
    Limits,
    check_relative,
    classify,
    decode,
    make_temp_dir,
    remove_tree,
    write_files,
)
from assay.sandbox.cgroups import RunGroup
from assay.sandbox.oneshot import start_group
from assay.sandbox.quota import bounded_work_dir
from assay.sandbox.runner import GRACE_S, DockerStreamTransport, Launched, PipeTransport

logger = logging.getLogger(__name__)

# Runs the caller's command in the saved working directory, then reports where it ended up.
# The command's text comes from a file on descriptor $ASSAY_COMMAND_FD, not from argv, where the
# kernel caps one argument at 128 KiB (a longer command failed with exit status 127); the command
# sees no positional parameters, as in a fresh shell. The EXIT trap also fires when the command
# itself calls `exit`; a killed command keeps the old cwd.
SHELL_SCRIPT = (
    "IFS= read -r -d '' ASSAY_COMMAND <&\"$ASSAY_COMMAND_FD\"; "
    'eval "exec $ASSAY_COMMAND_FD<&-"; unset ASSAY_COMMAND_FD; '
    'cd -- "$ASSAY_CWD" 2>/dev/null || cd -- "$ASSAY_WORK"; '
    "trap 'pwd >&\"$ASSAY_CWD_FD\" 2>/dev/null' EXIT; "
    'eval "unset ASSAY_COMMAND; $ASSAY_COMMAND"'
)
MAX_READ = 16 << 20


class Session:
    """A sandbox that outlives one command. Use as a context manager; ``close`` leaves nothing behind.

    >>> from assay.sandbox import session
    >>> with session(backend="process") as shell:  # doctest: +SKIP
    ...     _ = shell.exec("mkdir data && cd data && echo hi > a.txt")
    ...     shell.exec("pwd").stdout
    '/tmp/work/data\\n'
    """

    backend = ""
    work = "/work"  # the work dir as the sandboxed program sees it
    closed: bool = False

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cwd = self.work
        self.closed = False

    def exec(self, command: str | Sequence[str], *, timeout_s: float | None = None, stdin: FileContent = b"") -> ExecResult:
        """Runs a shell command (a string, through bash) or an argv list in the current directory."""
        if self.closed:
            raise SandboxError("the session is closed")
        if not isinstance(command, str):
            command = shlex.join(command)
        limits = dataclasses.replace(self.limits, timeout_s=timeout_s or self.limits.timeout_s)
        data = stdin.encode() if isinstance(stdin, str) else stdin
        return self._exec(command, limits, data)

    def _exec(self, command: str, limits: Limits, stdin: bytes) -> ExecResult:
        raise NotImplementedError

    def read_file(self, path: str, *, max_bytes: int = MAX_READ) -> bytes:
        raise NotImplementedError

    def write_file(self, path: str, content: FileContent) -> None:
        raise NotImplementedError

    def archive(self, *, max_bytes: int = MAX_ARCHIVE_BYTES, max_entries: int = MAX_ARCHIVE_ENTRIES) -> bytes:
        """The work dir now, as an uncompressed tar (links stored as links, never followed; modes and
        modification times kept). Too big a tree raises SandboxError."""
        raise NotImplementedError

    def members(self, *, max_bytes: int = MAX_ARCHIVE_BYTES, max_entries: int = MAX_ARCHIVE_ENTRIES) -> list[tuple[tarfile.TarInfo, bytes | None]]:
        """The members of ``archive()`` with their contents (None for what is not a readable regular
        file), in its order: where the work dir is a host folder, read without writing the archive."""
        with tarfile.open(fileobj=io.BytesIO(self.archive(max_bytes=max_bytes, max_entries=max_entries)), mode="r:",
                          encoding="utf-8", errors="surrogateescape") as tar:
            return [(member, _content(tar, member)) for member in tar]

    def write_members(self, members: Sequence[tuple[tarfile.TarInfo, bytes | None]]) -> None:
        """``unpack`` of the archive of these members (folders, files, links with their contents):
        where the work dir is a host folder, written without making and parsing the archive."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8", errors="surrogateescape") as tar:
            for info, data in members:
                tar.addfile(info, None if data is None else io.BytesIO(data))
        self.unpack(buffer.getvalue())

    def unpack(self, archive: bytes) -> None:
        """Unpacks a tar into the work dir from the host side, without running anything in the sandbox
        (no member may lead outside the work dir; modes and times kept). Meant for a trusted tree,
        such as a task's initial state, before the sandbox runs anything."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "closed", True):
            logger.warning("a %s session was not closed; closing it now", self.backend)
            try:
                self.close()
            except Exception:  # noqa: BLE001 - interpreter shutdown: nothing left to report to
                pass

    def _inside(self, path: str) -> PurePosixPath:
        """A path relative to the work dir, from a relative path or an absolute one under it."""
        pure = PurePosixPath(path)
        if pure.is_absolute():
            try:
                pure = pure.relative_to(self.work)
            except ValueError as error:
                raise SandboxError(f"{path!r} is outside the session's work dir {self.work}") from error
        return check_relative(str(pure))


def safe_read(root: Path, relative: PurePosixPath, max_bytes: int) -> bytes:
    """Reads a file of a work dir from the host without following links out of the dir."""
    target = root / relative
    real = Path(os.path.realpath(target))
    if real != root.resolve() and root.resolve() not in real.parents:
        raise SandboxError(f"{relative} leads outside the work dir")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise SandboxError(f"cannot read {relative}: {error.strerror}") from error
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SandboxError(f"{relative} is larger than {max_bytes} bytes")
    return data


class HostDirSession(Session):
    """A session whose work dir is a host folder: files are read and written on the host side,
    without following links out of it."""

    root: Path
    owner: int | None = None

    def read_file(self, path: str, *, max_bytes: int = MAX_READ) -> bytes:
        return safe_read(self.root, self._inside(path), max_bytes)

    def write_file(self, path: str, content: FileContent) -> None:
        relative = self._inside(path)
        real = Path(os.path.realpath(self.root / relative.parent))
        if real != self.root.resolve() and self.root.resolve() not in real.parents:
            raise SandboxError(f"{path} leads outside the work dir")
        target = self.root / relative
        if target.is_symlink():
            target.unlink()
        write_files(self.root, {str(relative): content}, owner=self.owner)

    def archive(self, *, max_bytes: int = MAX_ARCHIVE_BYTES, max_entries: int = MAX_ARCHIVE_ENTRIES) -> bytes:
        if self.closed:
            raise SandboxError("the session is closed")
        return archive_tree(self.root, max_bytes=max_bytes, max_entries=max_entries)

    def members(self, *, max_bytes: int = MAX_ARCHIVE_BYTES, max_entries: int = MAX_ARCHIVE_ENTRIES) -> list[tuple[tarfile.TarInfo, bytes | None]]:
        if self.closed:
            raise SandboxError("the session is closed")
        return tree_members(self.root, max_bytes=max_bytes, max_entries=max_entries)

    def write_members(self, members: Sequence[tuple[tarfile.TarInfo, bytes | None]]) -> None:
        if self.closed:
            raise SandboxError("the session is closed")
        write_members(self.root, members, owner=self.owner)

    def unpack(self, archive: bytes) -> None:
        if self.closed:
            raise SandboxError("the session is closed")
        unpack_tree(self.root, archive, owner=self.owner)


def _content(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes | None:
    if not member.isfile() or member.pax_headers.get(UNREADABLE) == "1":
        return None
    handle = tar.extractfile(member)
    return handle.read() if handle is not None else None


@dataclass
class SessionAgent:
    """A started sandbox whose PID 1 is the session agent, as a backend hands it to AgentSession."""

    backend: str
    transport: PipeTransport | DockerStreamTransport
    root: Path  # the work dir on the host
    work: str  # the work dir as the sandbox sees it
    owner: int | None  # the host uid files written into the work dir get
    count_ooms: Callable[[], int] | None  # OOM kills so far in the sandbox's memory cgroup
    close: Callable[[], None]  # kills the sandbox and removes what it used on the host


def start_agent(backend: str, launch: Callable[[Path, RunGroup | None], Launched], limits: Limits, *,
                owner: int | None, work: str) -> SessionAgent:
    """A session agent over a fresh host work dir (owned by ``owner``, a tmpfs of ``limits.disk_mb`` where
    this process may mount one) in one cgroup with the
    session's limits: ``launch(root, group)`` starts it; this waits for its "ready"."""
    root = bounded_work_dir(limits.disk_mb, owner) or make_temp_dir(owner)
    group, note = start_group(limits)
    if note:
        logger.warning("%s session: %s", backend, note)
    launched: Launched | None = None
    try:
        launched = launch(root, group)
        header, _ = launched.transport.receive(time.monotonic() + 60)
        if header.get("event") != "ready":
            raise SandboxError(f"the session agent did not start: {header}")
    except BaseException:
        if launched is not None:
            launched.kill()
            launched.transport.close()
        elif group is not None:
            group.close()
        remove_tree(root)
        raise

    def close(launched: Launched = launched) -> None:
        launched.kill()
        launched.transport.close()
        remove_tree(root)

    count = (lambda: int(group.oom_killed())) if group is not None else None
    return SessionAgent(backend, launched.transport, root, work, owner, count, close)


class AgentSession(HostDirSession):
    """One long-lived sandbox whose PID 1 is the session agent; each command is a fork+exec of bash
    in its own process group. Files, the working directory and background processes persist until
    close. The backend supplies the agent (a pre-started container, or a bwrap or process sandbox
    over a host folder, the whole of it in one cgroup with the session's pids and memory limits)."""

    def __init__(self, agent: SessionAgent, limits: Limits, files: Mapping[str, FileContent] | None) -> None:
        super().__init__(limits)
        self.agent = agent
        self.backend = agent.backend
        self.broken = False
        self.root, self.owner, self.work = agent.root, agent.owner, agent.work
        self.transport = agent.transport
        self._count_ooms = agent.count_ooms
        self.cwd = self.work
        self._ooms = self._count_ooms() if self._count_ooms else 0
        try:
            write_files(self.root, files, owner=self.owner)
        except BaseException:
            self.close()
            raise

    def _exec(self, command: str, limits: Limits, stdin: bytes) -> ExecResult:
        if self.broken:
            return ExecResult("sandbox_error", None, "", "", 0.0, backend=self.backend, message="the session's sandbox is gone")
        request = {
            "op": "exec", "timeout": limits.timeout_s, "output_bytes": limits.output_bytes,
            "file_size": limits.file_size_mb << 20, "open_files": limits.open_files,
            "script": SHELL_SCRIPT, "cwd": self.cwd, "work": self.work,
            "env": {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": self.work, "LANG": "C.UTF-8", "TMPDIR": "/tmp", "ASSAY_WORK": self.work},
        }
        started = time.monotonic()
        self.transport.parser.limit = limits.output_bytes + (1 << 20)
        try:
            self.transport.send(request, [command.encode("utf-8", "surrogateescape"), stdin])
            header, blobs = self.transport.receive(started + limits.timeout_s + GRACE_S)
        except (TimeoutError, EOFError, OSError, SandboxError, ValueError) as error:
            self.broken = True  # the agent is gone or stuck: this sandbox cannot be trusted any more
            status = "memory" if self._oom() else ("timeout" if isinstance(error, TimeoutError) else "sandbox_error")
            return ExecResult(status, None, "", "", time.monotonic() - started, backend=self.backend,
                              message=f"the session agent failed ({type(error).__name__}); the session is broken")
        reported = str(header.get("cwd") or "")
        if reported.startswith("/") and "\n" not in reported:
            self.cwd = reported
        out, err = blobs[0], blobs[1]
        exit_code = header.get("exit_code")
        status = classify(exit_code, err, timed_out=bool(header.get("timed_out")), over_output=bool(header.get("over_output")), oom=self._oom())
        return ExecResult(status, exit_code, decode(out), decode(err), float(header.get("wall_s", 0.0)), backend=self.backend)

    def _oom(self) -> bool:
        if self._count_ooms is None:
            return False
        now = self._count_ooms()
        fired, self._ooms = now > self._ooms, now
        return fired

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.agent.close()
