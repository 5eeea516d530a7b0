"""Docker sessions: pre-started containers whose PID 1 is the session agent, kept in a small pool so
an episode's reset does not pay a container start; the agent talks over a unix control socket.
"""

from __future__ import annotations

import atexit
import dataclasses
import logging
import os
import select
import socket
import struct
import threading
import time
from pathlib import Path

from assay.errors import SandboxError
from assay.sandbox.backends.docker import (
    WORK,
    _client_or_raise,
    _kill,
    _oom_counter,
    _raw_socket,
    container_options,
    create_container,
    remove_container,
)
from assay.sandbox.base import Limits, make_temp_dir, remove_tree
from assay.sandbox.images import DEFAULT_IMAGE
from assay.sandbox.quota import bounded_work_dir, unmount_under
from assay.sandbox.runner import ZYGOTE_SOURCE, DockerStreamTransport, PipeTransport

logger = logging.getLogger(__name__)

CONTROL_DIR = "/run/assay-control"  # a session agent's control socket, bound read-only
CONTROL_SOCKET = True  # sessions talk over a unix socket (False: the attach stream, through the daemon)
_daemon_sees_mounts: bool | None = None  # whether a tmpfs mounted on a work dir here is what the daemon binds


def daemon_sees_mounts() -> bool | None:
    """Whether the daemon bound a size-limited work dir as mounted here (None: not tried yet)."""
    return _daemon_sees_mounts

def _control_socket(base: Path) -> tuple[socket.socket, Path]:
    """A listening unix socket in a folder of its own under ``base`` (bound read-only into the
    container), connectable by the container's uid only."""
    folder = base / "control"
    folder.mkdir(mode=0o755)
    path = folder / "agent.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))
        os.chown(path, 1000, 1000)
        os.chmod(path, 0o600)
        listener.listen(1)
    except BaseException:
        listener.close()
        raise
    return listener, path


def _agent_transport(listener: socket.socket, attached: socket.socket, init_pid: int) -> PipeTransport | DockerStreamTransport:
    """The session agent's channel: the unix socket it connects to at start (no daemon relaying each
    step), else the attach stream (where the socket cannot be reached: "ready" comes there). One
    connection only, from the container's PID 1; the socket file is removed once it is taken."""
    ready, _, _ = select.select([listener, attached], [], [], 60)
    if listener not in ready:
        return DockerStreamTransport(attached, limit=1 << 31)
    connection, _ = listener.accept()
    path = listener.getsockname()
    listener.close()
    os.unlink(path)
    peer_pid = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0]
    if init_pid > 0 and peer_pid > 0 and peer_pid != init_pid:  # 0: a peer outside our pid namespace
        connection.close()
        raise SandboxError(f"the control socket was taken by pid {peer_pid}, not the container's agent ({init_pid})")
    attached.close()  # the container's stdin closes; the agent now watches the socket for its owner
    fd = connection.detach()
    return PipeTransport(fd, os.dup(fd), limit=1 << 31)


class PooledContainer:
    """A started container whose PID 1 is the session agent (the runner in session mode), attached,
    with its host work dir bound at /work."""

    def __init__(self, image: str, limits: Limits) -> None:
        client = _client_or_raise()
        self.base = make_temp_dir()
        bounded = bounded_work_dir(limits.disk_mb, 1000) if _daemon_sees_mounts is not False else None
        self.work = bounded or self.base / "work"
        if bounded is None:
            self.work.mkdir()
            os.chown(self.work, 1000, 1000)
        self.container = None
        self.transport: PipeTransport | DockerStreamTransport | None = None
        listener = None
        try:
            options = container_options(limits, image=image, workdir=self.work, role="session")
            command = ["python3", "-I", "-S", "-c", ZYGOTE_SOURCE, "0", "1", "session"]
            if CONTROL_SOCKET:
                listener, control = _control_socket(self.base)
                options["volumes"][str(control.parent)] = {"bind": CONTROL_DIR, "mode": "ro"}
                command.append(f"{CONTROL_DIR}/{control.name}")
            self.container = create_container(client, command, dict(options, auto_remove=True))
            attached = client.api.attach_socket(self.container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            self.container.start()
            self.init_pid = int(client.api.inspect_container(self.container.id)["State"].get("Pid") or 0)
            if listener is not None:
                self.transport = _agent_transport(listener, _raw_socket(attached), self.init_pid)
            else:
                self.transport = DockerStreamTransport(_raw_socket(attached), limit=1 << 31)
            header, _ = self.transport.receive(time.monotonic() + 60)
            if header.get("event") != "ready":
                raise SandboxError(f"the session agent did not start: {header}")
            if bounded is not None and _daemon_sees_mounts is None:
                self._check_mount_seen()
        except BaseException:
            self.remove()
            raise
        finally:
            if listener is not None:
                listener.close()
        self.oom_count = _oom_counter(self.container.id)
        self.ooms = self.oom_count() if self.oom_count else 0

    def _check_mount_seen(self) -> None:
        """Once per process: whether the daemon binds the size-limited work dir (our mount) or the
        folder under it (a daemon in another mount namespace). If not, this container's work dir
        falls back to that folder and later ones are not mounted."""
        global _daemon_sees_mounts
        if self.transport is None:
            return
        marker = ".assay-quota-probe"
        (self.work / marker).write_bytes(b"")
        request = {"op": "exec", "timeout": 30.0, "output_bytes": 4096, "file_size": 1 << 20, "open_files": 64,
                   "script": 'IFS= read -r -d "" path <&"$ASSAY_COMMAND_FD"; test -e "$path"', "cwd": WORK, "work": WORK, "env": {"PATH": "/usr/bin:/bin"}}
        self.transport.send(request, [f"{WORK}/{marker}".encode(), b""])
        header, _ = self.transport.receive(time.monotonic() + 60)
        (self.work / marker).unlink()
        _daemon_sees_mounts = header.get("exit_code") == 0
        if not _daemon_sees_mounts:
            logger.warning("the docker daemon does not see this process's mounts: docker work dirs are not size-limited")
            unmount_under(self.work)

    def remove(self) -> None:
        if self.container is not None:
            _kill(self.container, getattr(self, "init_pid", 0))
            remove_container(self.container)
        if self.transport is not None:
            self.transport.close()
        if not self.work.is_relative_to(self.base):
            remove_tree(self.work)
        remove_tree(self.base)


class ContainerPool:
    """Keeps ``size`` started containers per (image, limits) ready, refilled in the background."""

    def __init__(self, size: int = 1) -> None:
        self.size = size
        self._idle: dict[tuple, list[PooledContainer]] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False
        self._owner = os.getpid()

    def take(self, image: str, limits: Limits) -> PooledContainer:
        key = (image, dataclasses.replace(limits, timeout_s=1.0))
        with self._lock:
            if self._owner != os.getpid():  # inherited through fork: those containers are the parent's
                self._idle, self._threads, self._owner = {}, [], os.getpid()
            idle = self._idle.get(key)
            pooled = idle.pop() if idle else None
        if pooled is None:
            pooled = PooledContainer(image, limits)
        self._refill(key, image, limits)
        return pooled

    def prestart(self, image: str = DEFAULT_IMAGE, limits: Limits | None = None) -> None:
        """Starts the pool's containers for this shape now, off the caller's hot path."""
        limits = limits or Limits()
        self._refill((image, dataclasses.replace(limits, timeout_s=1.0)), image, limits)

    def _refill(self, key: tuple, image: str, limits: Limits) -> None:
        def fill() -> None:
            try:
                pooled = PooledContainer(image, limits)
            except Exception as error:  # noqa: BLE001 - a failed refill only costs the next session a start
                logger.warning("could not pre-start a container: %s", error)
                return
            with self._lock:
                if not self._closed and len(self._idle.setdefault(key, [])) < self.size:
                    self._idle[key].append(pooled)
                    return
            pooled.remove()

        with self._lock:
            if self._closed or len(self._idle.get(key, [])) >= self.size:
                return
            self._threads = [t for t in self._threads if t.is_alive()]
            if len(self._threads) >= self.size * 2:
                return
            thread = threading.Thread(target=fill, name="assay-container-pool", daemon=True)
            self._threads.append(thread)
        thread.start()

    def idle_ids(self) -> set[str]:
        with self._lock:
            return {p.container.id for items in self._idle.values() for p in items if p.container is not None}

    def close(self) -> None:
        """Removes every idle container (waiting for refills in flight); the pool stays usable."""
        if self._owner != os.getpid():
            return  # a forked copy: the containers belong to the parent
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        for thread in threads:
            thread.join(120)
        with self._lock:
            idle = [p for items in self._idle.values() for p in items]
            self._idle = {}
            self._closed = False
        for pooled in idle:
            pooled.remove()


CONTAINER_POOL = ContainerPool()
atexit.register(CONTAINER_POOL.close)
