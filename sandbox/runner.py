"""Host side of the warm runner: talks to `_zygote.py` inside a sandbox and keeps idle runners pooled.

One runner serves one run at a time; a runner that misbehaves (no answer in time) is killed whole.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import json
import logging
import os
import queue
import select
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from assay.errors import SandboxError
from assay.sandbox.base import (
    ExecResult,
    FileContent,
    Limits,
    check_relative,
    classify,
    decode,
    sandbox_error,
)
from assay.sandbox.cgroups import RunGroup, support
from assay.sandbox.fds import open_fds

logger = logging.getLogger(__name__)

ZYGOTE_SOURCE = (Path(__file__).parent / "_zygote.py").read_text()
_HEADER = struct.Struct(">I")
GRACE_S = 5.0  # beyond the program's timeout, how long the runner may take to clean up and answer
MAX_RUNS = 2000  # runs before a runner is replaced anyway
MAX_IDLE = 4  # idle runners kept per key
MAX_IDLE_TOTAL = 16  # and in all


def encode_frame(header: dict, blobs: list[bytes]) -> bytes:
    encoded = json.dumps(dict(header, blobs=[len(b) for b in blobs])).encode()
    return b"".join([_HEADER.pack(len(encoded)), encoded, *blobs])


class FrameParser:
    """Splits the runner's byte stream into (header, blobs) frames."""

    def __init__(self, limit: int) -> None:
        self.buffer = bytearray()
        self.limit = limit

    def feed(self, data: bytes) -> None:
        self.buffer.extend(data)
        if len(self.buffer) > self.limit:
            raise SandboxError("the warm runner sent more than the output cap allows")

    def frame(self) -> tuple[dict, list[bytes]] | None:
        if len(self.buffer) < 4:
            return None
        size = _HEADER.unpack_from(self.buffer)[0]
        if size > 1 << 20:
            raise SandboxError("malformed frame from the warm runner")
        if len(self.buffer) < 4 + size:
            return None
        header = json.loads(bytes(self.buffer[4 : 4 + size]))
        lengths = header.get("blobs", [])
        if not isinstance(lengths, list) or not all(isinstance(n, int) and n >= 0 for n in lengths):
            raise SandboxError("malformed frame from the warm runner")
        end = 4 + size + sum(lengths)
        if len(self.buffer) < end:
            return None
        blobs, offset = [], 4 + size
        for n in lengths:
            blobs.append(bytes(self.buffer[offset : offset + n]))
            offset += n
        del self.buffer[:end]
        return header, blobs


class PipeTransport:
    """Frames over a pair of pipes (bwrap and process runners)."""

    def __init__(self, write_fd: int, read_fd: int, limit: int) -> None:
        self.write_fd = write_fd
        self.read_fd = read_fd
        self.parser = FrameParser(limit)

    def send(self, header: dict, blobs: list[bytes] = []) -> None:  # noqa: B006 - never mutated
        view = memoryview(encode_frame(header, blobs))
        while view:
            view = view[os.write(self.write_fd, view) :]

    def receive(self, deadline: float) -> tuple[dict, list[bytes]]:
        while True:
            frame = self.parser.frame()
            if frame is not None:
                return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.read_fd], [], [], remaining)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise EOFError
                self.parser.feed(chunk)

    def close(self) -> None:
        for fd in (self.write_fd, self.read_fd):
            if fd >= 0:
                os.close(fd)
        self.write_fd = self.read_fd = -1  # never close a number twice: it may belong to someone else now


class DockerStreamTransport:
    """Frames over a docker attach socket, whose stdout and stderr come multiplexed."""

    def __init__(self, sock: socket.socket, limit: int) -> None:
        self.sock = sock
        self.raw = bytearray()
        self.parser = FrameParser(limit)
        self.stderr = bytearray()

    def send(self, header: dict, blobs: list[bytes] = []) -> None:  # noqa: B006 - never mutated
        self.sock.sendall(encode_frame(header, blobs))

    def receive(self, deadline: float) -> tuple[dict, list[bytes]]:
        while True:
            frame = self.parser.frame()
            if frame is not None:
                return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError
            self.raw.extend(chunk)
            while len(self.raw) >= 8:
                stream, size = self.raw[0], struct.unpack_from(">I", self.raw, 4)[0]
                if len(self.raw) < 8 + size:
                    break
                payload = bytes(self.raw[8 : 8 + size])
                del self.raw[: 8 + size]
                if stream == 1:
                    self.parser.feed(payload)
                elif len(self.stderr) < 65536:
                    self.stderr.extend(payload)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


@dataclass
class Launched:
    """A started runner: how to talk to it, how to kill it, and its PID 1 as the host sees it."""

    transport: PipeTransport | DockerStreamTransport
    kill: Callable[[], None]
    host_pid: int | None  # None where the host cannot place children in cgroups (docker)
    backend: str
    oom_check: Callable[[], bool] | None = None  # docker: whether the container was OOM-killed
    oom_count: Callable[[], int] | None = None  # docker: the container cgroup's OOM-kill counter
    group: RunGroup | None = None  # sessions: the cgroup holding the whole sandbox


def wait_for_child(pid: int) -> int | None:
    """The host pid of the first child of ``pid`` (bwrap's or unshare's: the namespace's PID 1)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return None
        if children:
            return int(children[0])
        time.sleep(0.0005)
    return None


class Spawner:
    """Starts long-lived sandboxes (warm runners, session agents) from one thread that lives as
    long as the process. The kernel's parent-death signal (bwrap --die-with-parent, setpriv
    --pdeathsig), which ends a sandbox with its owner, fires when the *thread* that started it
    ends: a runner started from a short-lived pool thread would die with that thread."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def call(self, function: Callable[[], subprocess.Popen]) -> subprocess.Popen:
        with self._lock:
            if self._pid != os.getpid() or self._thread is None:  # first use, or a forked child: no thread yet
                self._jobs, self._pid = queue.SimpleQueue(), os.getpid()
                self._thread = threading.Thread(target=self._serve, args=(self._jobs,), name="assay-sandbox-spawner", daemon=True)
                self._thread.start()
            if threading.current_thread() is self._thread:
                return function()
            future: concurrent.futures.Future = concurrent.futures.Future()
            self._jobs.put((function, future))
        return future.result()

    @staticmethod
    def _serve(jobs: queue.SimpleQueue) -> None:
        while True:
            function, future = jobs.get()
            try:
                future.set_result(function())
            except BaseException as error:  # noqa: BLE001 - handed to the caller, who raises it
                future.set_exception(error)


SPAWNER = Spawner()


def spawn(build: Callable[[int, int], list[str]], backend: str, env: dict[str, str], prefix: list[str] | None = None,
          group: RunGroup | None = None) -> Launched:
    """Starts a zygote whose command line ``build(read_fd, write_fd)`` makes; ``prefix`` (a shell
    wrapper joining ``group``) runs first. Killing the namespace's PID 1 kills everything inside;
    so does closing its pipe (the owner's death): the zygote exits when it reads end of file."""
    to_zygote_r, to_zygote_w = os.pipe()
    from_zygote_r, from_zygote_w = os.pipe()
    pass_fds = [to_zygote_r, from_zygote_w]
    opened: list[int] = []
    try:
        argv, opened = open_fds((prefix or []) + build(to_zygote_r, from_zygote_w), pass_fds)
        process = SPAWNER.call(lambda: subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=pass_fds, start_new_session=True, env=env,
        ))
    except OSError:
        for fd in (to_zygote_w, from_zygote_r):
            os.close(fd)
        raise
    finally:
        for fd in (to_zygote_r, from_zygote_w, *opened):
            os.close(fd)
    zygote = wait_for_child(process.pid)

    def kill() -> None:
        if zygote is not None:
            kill_process(zygote)
        kill_process(process.pid)
        process.wait()
        if group is not None:
            group.close()

    return Launched(PipeTransport(to_zygote_w, from_zygote_r, limit=1 << 31), kill, zygote, backend, group=group)


def find_child(parent_host_pid: int, namespace_pid: int) -> int | None:
    """The host pid of the child of ``parent_host_pid`` whose pid in its own namespace is ``namespace_pid``."""
    try:
        children = Path(f"/proc/{parent_host_pid}/task/{parent_host_pid}/children").read_text().split()
    except OSError:
        return None
    for candidate in children:
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("NSpid:") and int(line.split()[-1]) == namespace_pid:
                    return int(candidate)
        except OSError:
            continue
    return None


class WarmRunner:
    """One running zygote; ``execute`` runs one program in a fresh child the zygote forked ahead of time.

    Where the host can see the sandbox's processes, each pre-forked child is moved into this
    runner's cgroups before it gets its request, so the pids and memory limits hold for the run.
    """

    def __init__(self, launch: Callable[[], Launched], key: tuple) -> None:
        self.key = key
        self.launched = launch()
        self.runs = 0
        self.healthy = True
        self.closed = False
        self.owner = os.getpid()
        self.group: RunGroup | None = None
        self.placed = False  # the waiting child is in self.group
        try:
            header, _ = self.launched.transport.receive(time.monotonic() + 30)
        except (TimeoutError, EOFError, SandboxError, ValueError) as error:
            self.close()
            raise SandboxError(f"the warm runner did not start: {type(error).__name__} {error}") from error
        if header.get("event") != "ready":
            self.close()
            raise SandboxError(f"the warm runner did not start: {header}")
        self.child: int | None = int(header["child"])

    @property
    def backend(self) -> str:
        return self.launched.backend

    @property
    def uses_cgroups(self) -> bool:
        return self.launched.host_pid is not None and (support().pids or support().memory)

    def _place_child(self, limits: Limits, deadline: float) -> None:
        """Waits for the pre-forked child, then puts it in this runner's cgroups with the run's limits."""
        if self.child is None:
            header, _ = self.launched.transport.receive(deadline)
            if header.get("event") != "child":
                raise SandboxError(f"unexpected message from the warm runner: {header.get('event')}")
            self.child = int(header["child"])
            self.placed = False
        if not self.uses_cgroups:
            return
        if self.group is None:
            self.group = RunGroup(limits.pids, limits.memory_mb)
        else:
            self.group.set_limits(limits.pids, limits.memory_mb)
        if not self.placed:
            host_pid = find_child(self.launched.host_pid or 0, self.child)
            if host_pid is None:
                raise SandboxError("the pre-forked child is not visible from the host")
            self.group.add(host_pid)
            self.placed = True
        self.group.mark_oom()

    def execute(
        self,
        code: str,
        stdin: bytes,
        limits: Limits,
        files: Mapping[str, FileContent] | None = None,
        collect: tuple[str, ...] = (),
    ) -> ExecResult:
        self.runs += 1
        names = [str(check_relative(n)) for n in (files or {})]
        blobs = [code.encode("utf-8", errors="surrogateescape"), stdin]
        blobs += [c.encode() if isinstance(c, str) else c for c in (files or {}).values()]
        request = {
            "op": "run",
            "timeout": limits.timeout_s,
            "memory_bytes": limits.memory_mb << 20,
            "file_size": limits.file_size_mb << 20,
            "open_files": limits.open_files,
            "output_bytes": limits.output_bytes,
            "files": names,
            "collect": [str(check_relative(n)) for n in collect],
        }
        transport = self.launched.transport
        count_ooms = self.launched.oom_count
        started = time.monotonic()
        deadline = started + limits.timeout_s + GRACE_S
        transport.parser.limit = 2 * limits.output_bytes + (1 << 20)  # outputs and collected files, each capped
        try:
            self._place_child(limits, deadline)
            ooms_before = count_ooms() if count_ooms else 0
            transport.send(request, blobs)
            header, out = transport.receive(deadline)
            self.child = None
        except TimeoutError:
            self.close()
            return ExecResult("timeout", None, "", "", time.monotonic() - started, backend=self.backend,
                              message="the warm runner did not answer in time and was killed")
        except (EOFError, OSError, SandboxError, ValueError) as error:
            oom = self.launched.oom_check() if self.launched.oom_check else False
            self.close()
            if oom:
                return ExecResult("memory", None, "", "", time.monotonic() - started, backend=self.backend,
                                  message="the sandbox ran out of memory and was killed")
            return sandbox_error(f"the warm runner failed: {type(error).__name__}: {error}", self.backend, time.monotonic() - started)
        if self.group is not None:
            oom = self.group.oom_killed()
            self.group.kill()  # the zygote killed everything already; this is the outside check
        else:
            oom = bool(count_ooms and count_ooms() > ooms_before)
        stdout, stderr, collected = out[0], out[1], out[2:]
        exit_code = header.get("exit_code")
        status = classify(exit_code, stderr, timed_out=bool(header.get("timed_out")), over_output=bool(header.get("over_output")), oom=oom)
        if status not in ("ok", "error"):
            self.healthy = False  # cheap insurance: replace a runner after any abnormal run
        unenforced = "" if self.group is not None or self.launched.host_pid is None else "no pids or memory cgroup: the pids limit is NOT enforced"
        return ExecResult(
            status, exit_code, decode(stdout), decode(stderr), float(header.get("wall_s", 0.0)), backend=self.backend,
            files=dict(zip(header.get("collected", []), collected, strict=False)), message=unenforced,
        )

    def close(self) -> None:
        self.healthy = False
        if self.owner != os.getpid() or self.closed:
            return  # closed already, or a forked copy: the runner belongs to the parent
        self.closed = True
        self.launched.kill()
        self.launched.transport.close()
        if self.group is not None:
            self.group.close()
            self.group = None


class RunnerPool:
    """Idle warm runners, keyed by backend and sandbox shape; safe to use from many threads."""

    def __init__(self) -> None:
        self._idle: dict[tuple, list[WarmRunner]] = {}
        self._lock = threading.Lock()
        self._owner = os.getpid()

    def acquire(self, key: tuple, launch: Callable[[], Launched]) -> WarmRunner:
        with self._lock:
            if self._owner != os.getpid():  # inherited through fork: those runners are the parent's
                self._idle = {}
                self._owner = os.getpid()
            idle = self._idle.get(key)
            if idle:
                return idle.pop()
        return WarmRunner(launch, key)

    def release(self, runner: WarmRunner) -> None:
        if not runner.healthy or runner.runs >= MAX_RUNS:
            runner.close()
            return
        with self._lock:
            idle = self._idle.setdefault(runner.key, [])
            total = sum(len(runners) for runners in self._idle.values())
            if len(idle) < MAX_IDLE and total < MAX_IDLE_TOTAL and self._owner == os.getpid():
                idle.append(runner)
                return
        runner.close()

    def idle_runners(self) -> list[WarmRunner]:
        with self._lock:
            return [r for runners in self._idle.values() for r in runners]

    def close(self) -> None:
        with self._lock:
            runners = [r for runners in self._idle.values() for r in runners]
            self._idle = {}
        for runner in runners:
            runner.close()


POOL = RunnerPool()
atexit.register(POOL.close)


def kill_process(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
