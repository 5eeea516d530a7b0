"""The sandbox's value types (Limits, ExecResult) and the pieces every backend shares.

Output is always read incrementally with a byte cap; a program is never allowed to fill memory.
"""

from __future__ import annotations

import errno
import os
import selectors
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from assay.errors import ConfigError, SandboxError

STATUSES = ("ok", "error", "timeout", "memory", "output_limit", "sandbox_error")
TEMP_PREFIX = "assay-sbx-"  # every temporary folder a backend makes: assay-sbx-<pid>-...


@dataclass(frozen=True)
class Limits:
    """What one run may use; every backend enforces these from outside the program.

    >>> Limits(timeout_s=2, memory_mb=128).pids
    64
    """

    timeout_s: float = 5.0  # wall clock, then the whole process tree is killed
    memory_mb: int = 256  # address space (RLIMIT_AS) and, where cgroups allow, resident memory
    pids: int = 64  # processes and threads at once (pids cgroup; see enforcement())
    output_bytes: int = 1 << 20  # stdout and stderr together; more ends the run as "output_limit"
    file_size_mb: int = 16  # largest file the program may write (RLIMIT_FSIZE)
    disk_mb: int = 64  # size of the writable tmpfs (bwrap, docker)
    open_files: int = 256  # RLIMIT_NOFILE

    def __post_init__(self) -> None:
        if not 0 < self.timeout_s <= 3600:
            raise ConfigError("timeout_s", "must be in (0, 3600]", self.timeout_s)
        if not 16 <= self.memory_mb <= 1 << 20:
            raise ConfigError("memory_mb", "must be between 16 and 2**20", self.memory_mb)
        if not 1 <= self.pids <= 100_000:
            raise ConfigError("pids", "must be between 1 and 100000", self.pids)
        if not 1 <= self.output_bytes <= 1 << 34:
            raise ConfigError("output_bytes", "must be between 1 and 2**34", self.output_bytes)
        if not 1 <= self.file_size_mb <= 1 << 20:
            raise ConfigError("file_size_mb", "must be between 1 and 2**20", self.file_size_mb)
        if not 1 <= self.disk_mb <= 1 << 20:
            raise ConfigError("disk_mb", "must be between 1 and 2**20", self.disk_mb)
        if not 16 <= self.open_files <= 1 << 20:
            raise ConfigError("open_files", "must be between 16 and 2**20", self.open_files)


@dataclass(frozen=True)
class ExecResult:
    """What one sandboxed run did.

    status is one of "ok" (exit 0), "error" (non-zero exit or killed by a signal of its own),
    "timeout", "memory", "output_limit" (more output than Limits.output_bytes) or
    "sandbox_error" (the sandbox failed, not the program: ``message`` says why).

    >>> ExecResult("ok", 0, "1\\n", "", 0.01).ok
    True
    """

    status: str
    exit_code: int | None  # negative or 128+N: killed by signal N; None: killed by the sandbox or never started
    stdout: str
    stderr: str
    wall_s: float  # warm runs: the program's own run time; fresh sandboxes: from start to kill
    backend: str = ""
    files: dict[str, bytes] = field(default_factory=dict)  # the files asked for with collect=
    message: str = ""  # why, for sandbox_error; which limits the backend could not enforce

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def sandbox_error(message: str, backend: str, wall_s: float = 0.0) -> ExecResult:
    return ExecResult("sandbox_error", None, "", "", wall_s, backend=backend, message=message)


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def classify(exit_code: int | None, stderr: bytes, *, timed_out: bool, over_output: bool, oom: bool) -> str:
    """The status of a finished run, from what the supervisor saw (order matters: causes first)."""
    if over_output:
        return "output_limit"
    if oom:
        return "memory"  # before timeout: a program whose helper was OOM-killed often then hangs
    if timed_out:
        return "timeout"
    if exit_code == 0:
        return "ok"
    tail = stderr[-2000:].rstrip().rsplit(b"\n", 1)[-1]
    if tail.startswith(b"MemoryError") or b"Cannot allocate memory" in tail or b"std::bad_alloc" in tail:
        return "memory"  # RLIMIT_AS hit: the allocator failed inside the program
    return "error"


class OutputReader:
    """Feeds stdin and reads stdout/stderr of a child incrementally, within a deadline and a byte cap."""

    def __init__(self, stdin_fd: int | None, stdout_fd: int, stderr_fd: int | None, stdin: bytes, cap: int,
                 close_stdin: Callable[[], None]) -> None:
        self._close_stdin_file = close_stdin  # the owner closes the fd: closing it twice could hit a reused number
        self.cap = cap
        self.out = bytearray()
        self.err = bytearray()
        self.over = False
        self._stdin = memoryview(stdin)
        self._selector = selectors.DefaultSelector()
        self._open = 0
        for fd, buffer in ((stdout_fd, self.out), (stderr_fd, self.err)):
            if fd is not None:
                os.set_blocking(fd, False)
                self._selector.register(fd, selectors.EVENT_READ, buffer)
                self._open += 1
        self._stdin_fd = stdin_fd
        if stdin_fd is not None:
            if stdin:
                os.set_blocking(stdin_fd, False)
                self._selector.register(stdin_fd, selectors.EVENT_WRITE, None)
            else:
                close_stdin()
                self._stdin_fd = None

    def pump(self, deadline: float) -> bool:
        """Reads until both outputs close (True), the deadline passes or the cap is crossed (False)."""
        while self._open:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            for key, _ in self._selector.select(remaining):
                if key.data is None:
                    self._feed(key.fd)
                    continue
                try:
                    chunk = os.read(key.fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    self._selector.unregister(key.fd)
                    self._open -= 1
                    continue
                key.data.extend(chunk)
                if len(self.out) + len(self.err) > self.cap:
                    self.over = True
                    overflow = len(self.out) + len(self.err) - self.cap
                    del key.data[len(key.data) - overflow :]
                    return False
        return True

    def _feed(self, fd: int) -> None:
        try:
            written = os.write(fd, self._stdin[:65536])
        except BlockingIOError:
            return
        except OSError as error:
            if error.errno not in (errno.EPIPE, errno.EBADF):
                raise
            written = len(self._stdin)
        self._stdin = self._stdin[written:]
        if not self._stdin:
            self._close_stdin()

    def _close_stdin(self) -> None:
        if self._stdin_fd is not None:
            self._selector.unregister(self._stdin_fd)
            self._close_stdin_file()
            self._stdin_fd = None

    def close(self) -> None:
        self._close_stdin()
        self._selector.close()


FileContent = str | bytes


@dataclass(frozen=True)
class Job:
    """One run's inputs as every backend takes them: stdin, limits, files in, files to read back.

    >>> Job(stdin=b"1", files={"a.txt": "x"}).limits.timeout_s
    5.0
    """

    stdin: bytes = b""
    limits: Limits = field(default_factory=Limits)
    files: Mapping[str, FileContent] | None = None
    collect: tuple[str, ...] = ()


def check_relative(name: str) -> PurePosixPath:
    """A file name given by a caller, made sure to stay inside the work dir."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise SandboxError(f"file names must be relative and stay inside the work dir: {name!r}")
    return path


def write_files(root: Path, files: Mapping[str, FileContent] | None, *, owner: int | None = None) -> None:
    for name, content in (files or {}).items():
        target = root / check_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
        if owner is not None:
            os.chown(target, owner, owner)
            for parent in target.relative_to(root).parents:
                if str(parent) != ".":
                    os.chown(root / parent, owner, owner)


def collect_files(root: Path, names: tuple[str, ...] | list[str] | None, cap: int) -> dict[str, bytes]:
    """Reads the requested files back from a work dir, without following links out of it."""
    found: dict[str, bytes] = {}
    total = 0
    for name in names or ():
        target = root / check_relative(name)
        try:
            fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as handle:
            if not os.path.samefile(os.path.realpath(target), target) or not str(os.path.realpath(target)).startswith(str(root.resolve())):
                continue
            data = handle.read(cap - total + 1)
        total += len(data)
        if total > cap:
            break
        found[name] = data
    return found


def make_temp_dir(owner: int | None = None) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
    if owner is not None:
        os.chown(path, owner, owner)
    os.chmod(path, 0o755)
    return path


def remove_tree(path: Path) -> None:
    """Removes a work dir whatever the program did to its permissions."""
    top = os.path.abspath(path)

    def unlock(function, failed, _info):
        parent = os.path.dirname(os.path.abspath(failed))
        if os.path.abspath(failed) == top or not (parent == top or parent.startswith(top + os.sep)):
            raise _info[1]  # never touch a permission outside the tree (its parent is /tmp)
        os.chmod(parent, 0o700)
        function(failed)

    if path.exists():
        for dirpath, dirnames, _ in os.walk(path):
            for name in dirnames:
                full = os.path.join(dirpath, name)
                if not os.path.islink(full):
                    os.chmod(full, 0o700)
        shutil.rmtree(path, onerror=unlock)
