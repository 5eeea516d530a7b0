"""The docker backend, through the Docker SDK: detached, locked-down containers with a kill deadline.

Containers get no network, a read-only root, tmpfs /tmp, a non-root user, no capabilities,
no-new-privileges, memory+swap and pids limits and no log storage; output is read from an attach
stream with a byte cap. Every container carries the label below so leftovers can be found.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import struct
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assay.errors import DependencyMissing, SandboxError
from assay.sandbox.base import (
    ExecResult,
    FileContent,
    Job,
    Limits,
    classify,
    collect_files,
    decode,
    make_temp_dir,
    remove_tree,
    sandbox_error,
    write_files,
)
from assay.sandbox.images import DEFAULT_IMAGE
from assay.sandbox.owners import Owner
from assay.sandbox.quota import quota_parent
from assay.sandbox.runner import POOL, ZYGOTE_SOURCE, DockerStreamTransport, Launched, WarmRunner
from assay.sandbox.session import AgentSession, Session, SessionAgent

logger = logging.getLogger(__name__)

NAME = "docker"
LABEL = "assay.sandbox"
USER = "1000:1000"
WORK = "/work"
STDIN_PATH = "/run/assay-stdin"
RUNNER_SLACK_MB = 64  # the warm runner's own interpreter inside the container
# One-shot containers: the program reads its stdin from a bound file; PID 1 (this shell) keeps the
# attach stream's stdin on fd 3 for a watcher that signals PID 1 once it closes (the owner is gone);
# PID 1 then exits and the container's PID namespace with it. A container never outlives its owner.
ONE_SHOT_SCRIPT = (
    "trap 'exit 137' USR1; exec 3<&0; \"$@\" <" + STDIN_PATH + " 3<&- & program=$!; "
    "(cat >/dev/null; kill -s USR1 1) <&3 >/dev/null 2>&1 & exec 3<&- 2>/dev/null; "
    'wait "$program"'
)
_client = None
_client_pid = 0
_client_lock = threading.Lock()


def docker_client():
    """A Docker SDK client when a daemon answers, else None (probed once per process)."""
    global _client, _client_pid
    with _client_lock:
        if _client_pid != os.getpid():  # a forked child must not share the parent's HTTP connections
            _client, _client_pid = None, os.getpid()
        if _client is None:
            try:
                import docker
            except ImportError:
                _client = False
                return None
            try:
                client = docker.from_env(timeout=60)
                client.ping()
                _client = client
                _sweep_in_background()  # at start-up: what killed owners left behind
            except Exception as error:  # noqa: BLE001 - any failure means "no daemon here"
                logger.debug("no docker daemon: %s", error)
                _client = False
        return _client or None


def reset_client() -> None:
    global _client
    with _client_lock:
        _client = None


def available(image: str = DEFAULT_IMAGE) -> tuple[bool, str]:
    try:
        import docker  # noqa: F401
    except ImportError:
        return False, str(DependencyMissing("docker", "docker"))
    client = docker_client()
    if client is None:
        return False, "no Docker daemon answers (start dockerd)"
    import docker.errors

    try:
        client.images.get(image)
    except docker.errors.ImageNotFound:
        return False, f"image {image} is missing (run `assay sandbox build-images`)"
    return True, "ok"


def _client_or_raise():
    client = docker_client()
    if client is None:
        raise SandboxError("no Docker daemon answers")
    return client


_HOST_OPTIONS = ("network_mode", "read_only", "tmpfs", "mem_limit", "memswap_limit", "pids_limit", "cap_drop",
                 "security_opt", "log_config", "ulimits", "auto_remove")


def container_options(limits: Limits, *, image: str, workdir: Path | None, memory_slack_mb: int = 0, role: str) -> dict:
    from docker.types import LogConfig, Ulimit

    memory = f"{limits.memory_mb + memory_slack_mb}m"
    options = {
        "image": image, "user": USER, "network_mode": "none", "read_only": True,
        "tmpfs": {"/tmp": f"size={limits.disk_mb}m,mode=1777,exec"}, "mem_limit": memory, "memswap_limit": memory,
        "pids_limit": limits.pids, "cap_drop": ["ALL"], "security_opt": ["no-new-privileges"],
        "log_config": LogConfig(type=LogConfig.types.NONE), "hostname": "sandbox", "working_dir": WORK,
        "ulimits": [Ulimit(name="fsize", soft=limits.file_size_mb << 20, hard=limits.file_size_mb << 20),
                    Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files),
                    Ulimit(name="core", soft=0, hard=0)],
        "environment": {"HOME": WORK, "LANG": "C.UTF-8", "TMPDIR": "/tmp", "PATH": "/usr/local/bin:/usr/bin:/bin"},
        "labels": {LABEL: role, **owner_labels()},
        "volumes": {},
    }
    if workdir is not None:
        options["volumes"] = {str(workdir): {"bind": WORK, "mode": "rw"}}
    return options


def create_container(client, command: list[str], options: dict):
    """Creates a container from ``container_options`` with its stdin open once: the end of the
    attach stream (the owner closing it, or dying) closes the container's stdin, and PID 1 (the
    runner, or the one-shot watcher) then ends the container. The SDK sets StdinOnce for an open
    stdin when the container is not created detached, which only its low-level create allows."""
    host = client.api.create_host_config(binds=options["volumes"], **{k: options[k] for k in _HOST_OPTIONS if k in options})
    created = client.api.create_container(
        options["image"], command=command, user=options["user"], hostname=options["hostname"],
        working_dir=options["working_dir"], environment=options["environment"], labels=options["labels"],
        volumes=[bind["bind"] for bind in options["volumes"].values()], stdin_open=True, detach=False,
        host_config=host,
    )
    return client.containers.get(created["Id"])


def _work_dir() -> Path:
    return make_temp_dir(owner=1000)


def remove_container(container) -> None:
    import docker.errors

    deadline = time.monotonic() + 30
    while True:
        try:
            container.remove(force=True)
            return
        except docker.errors.NotFound:
            return
        except docker.errors.APIError as error:
            if "in progress" not in str(error) or time.monotonic() > deadline:
                logger.warning("could not remove container %s: %s", container.id[:12], error)
                return
            time.sleep(0.05)  # auto-removal under way: return once it is gone


def _raw_socket(attached) -> socket.socket:
    return attached._sock if hasattr(attached, "_sock") else attached


def read_multiplexed(sock: socket.socket, deadline: float, cap: int) -> tuple[bytes, bytes, str]:
    """Reads a docker stdout/stderr stream until EOF ("eof"), the deadline ("timeout") or the cap ("over")."""
    raw, out, err = bytearray(), bytearray(), bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return bytes(out), bytes(err), "timeout"
        ready, _, _ = select.select([sock], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = sock.recv(1 << 20)
        except (ConnectionResetError, OSError):
            chunk = b""
        if not chunk:
            return bytes(out), bytes(err), "eof"
        if cap == 0:
            continue  # draining: discard
        raw.extend(chunk)
        while len(raw) >= 8:
            stream, size = raw[0], struct.unpack_from(">I", raw, 4)[0]
            if len(raw) < 8 + size:
                break
            (err if stream == 2 else out).extend(raw[8 : 8 + size])
            del raw[: 8 + size]
        if len(out) + len(err) > cap:
            over = len(out) + len(err) - cap
            if len(err) >= over:
                del err[len(err) - over :]
            else:
                del out[len(out) - (over - len(err)) :]
                err.clear()
            return bytes(out), bytes(err), "over"


def run(argv: Sequence[str], job: Job, *, image: str = DEFAULT_IMAGE) -> ExecResult:
    """One command in a fresh container: created, attached, started, waited on, killed and removed.

    stdin travels as a read-only bound file (closing an attach stream's stdin can cut its output).
    """
    client = _client_or_raise()
    limits = job.limits
    base = make_temp_dir()
    work = base / "work"
    work.mkdir()
    os.chown(work, 1000, 1000)
    container = None
    try:
        write_files(work, job.files, owner=1000)
        (base / "stdin").write_bytes(job.stdin)
        options = container_options(limits, image=image, workdir=work, role="run")
        options["volumes"][str(base / "stdin")] = {"bind": STDIN_PATH, "mode": "ro"}
        command = ["/bin/sh", "-c", ONE_SHOT_SCRIPT, "sh", *argv]
        started = time.monotonic()
        try:
            container = create_container(client, command, options)
            attached = client.api.attach_socket(container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            sock = _raw_socket(attached)
            # the program's clock starts with its container: creating one can take seconds on a busy daemon
            started = time.monotonic()
            deadline = started + limits.timeout_s
            container.start()
            init_pid = int(client.api.inspect_container(container.id)["State"].get("Pid") or 0)
        except Exception as error:  # noqa: BLE001 - docker.errors.* and connection failures alike
            return sandbox_error(f"could not start a container: {error}", NAME, time.monotonic() - started)
        out, err, how = read_multiplexed(sock, deadline, limits.output_bytes)
        exit_code = None
        if how == "eof":
            try:
                exit_code = int(container.wait(timeout=max(0.05, deadline - time.monotonic()))["StatusCode"])
            except Exception:  # noqa: BLE001 - requests' ReadTimeout: still running at the deadline
                how = "timeout"
        wall = time.monotonic() - started
        if how != "eof":
            _kill(container, init_pid)
            # keep reading until docker closes the stream: a stalled attach can wedge the daemon
            read_multiplexed(sock, time.monotonic() + 10, 0)
        sock.close()
        state = client.api.inspect_container(container.id)["State"]
        status = classify(exit_code, err, timed_out=how == "timeout", over_output=how == "over", oom=bool(state.get("OOMKilled")))
        collected = collect_files(work, list(job.collect), limits.output_bytes) if job.collect else {}
        return ExecResult(status, exit_code, decode(out), decode(err), wall, backend=NAME, files=collected)
    finally:
        if container is not None:
            remove_container(container)
        remove_tree(base)


def _kill(container, init_pid: int = 0) -> None:
    """SIGKILLs the container's PID 1 from the host when the daemon runs here (its PID namespace dies
    with it); asking the daemon instead can stall behind a blocked attach stream."""
    import docker.errors

    if init_pid > 0:
        try:
            os.kill(init_pid, 9)
            return
        except (ProcessLookupError, PermissionError):
            pass
    try:
        container.kill()
    except docker.errors.APIError:
        pass  # already stopped


# --- warm runner: the zygote as the container's PID 1, talking over the attach stream ---


def _oom_counter(container_id: str):
    candidates = [
        Path(f"/sys/fs/cgroup/memory/docker/{container_id}/memory.oom_control"),
        Path(f"/sys/fs/cgroup/system.slice/docker-{container_id}.scope/memory.events"),
        Path(f"/sys/fs/cgroup/docker/{container_id}/memory.events"),
    ]
    for path in candidates:
        if path.exists():

            def count(path: Path = path) -> int:
                try:
                    for line in path.read_text().splitlines():
                        key, _, value = line.partition(" ")
                        if key == "oom_kill":
                            return int(value)
                except OSError:
                    pass
                return 0

            return count
    return None


def warm_runner(limits: Limits, image: str = DEFAULT_IMAGE) -> WarmRunner:
    """An idle warm runner container for these limits from the pool, or a new one (release it after use)."""
    key = (NAME, image, limits.memory_mb, limits.pids, limits.disk_mb, limits.file_size_mb, limits.open_files)
    return POOL.acquire(key, lambda: launch_runner(limits, image))


def launch_runner(limits: Limits, image: str) -> Launched:
    client = _client_or_raise()
    options = container_options(limits, image=image, workdir=None, memory_slack_mb=RUNNER_SLACK_MB, role="runner")
    container = create_container(client, ["python3", "-I", "-S", "-c", ZYGOTE_SOURCE, "0", "1"], dict(options, auto_remove=True))
    try:
        attached = client.api.attach_socket(container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        container.start()
    except Exception:
        remove_container(container)
        raise
    sock = _raw_socket(attached)
    init_pid = int(client.api.inspect_container(container.id)["State"].get("Pid") or 0)

    def kill() -> None:
        _kill(container, init_pid)
        remove_container(container)

    def oom() -> bool:
        try:
            return bool(client.api.inspect_container(container.id)["State"].get("OOMKilled"))
        except Exception:  # noqa: BLE001 - a gone container reports nothing
            return False

    return Launched(DockerStreamTransport(sock, limit=1 << 31), kill, None, NAME, oom_check=oom,
                    oom_count=_oom_counter(container.id))


def owner_labels() -> dict[str, str]:
    """The labels naming this process as a container's owner (pid, start time, boot, pid namespace)."""
    me = Owner.me()
    return {f"{LABEL}.owner": str(me.pid), f"{LABEL}.owner-started": me.started, f"{LABEL}.boot": me.boot,
            f"{LABEL}.pidns": me.namespace}


def label_owner(labels: Mapping[str, str]) -> Owner | None:
    """The owner a container's labels name (None when they name none)."""
    pid = labels.get(f"{LABEL}.owner", "")
    if not pid.isdigit():
        return None
    return Owner(int(pid), labels.get(f"{LABEL}.owner-started", ""), labels.get(f"{LABEL}.boot", ""),
                 labels.get(f"{LABEL}.pidns", ""))


def sweep_containers() -> list[str]:
    """Removes the containers whose labelled owner is gone (killed, or from an earlier boot);
    returns their ids. Owners in another pid namespace are left to a sweep run there."""
    client = docker_client()
    if client is None:
        return []
    removed = []
    for container in client.containers.list(all=True, filters={"label": LABEL}, sparse=True):  # sparse: no inspect of each
        owner = label_owner(container.attrs.get("Labels") or {})
        if owner is None or not owner.ours_to_judge() or owner.alive():
            continue
        remove_container(container)
        removed.append(container.id)
    if removed:
        logger.info("removed %d sandbox containers whose owner is gone", len(removed))
    return removed


def _sweep_in_background() -> None:
    def sweep() -> None:
        try:
            sweep_containers()
        except Exception as error:  # noqa: BLE001 - a failed sweep only leaves orphans for `assay sandbox gc`
            logger.warning("could not sweep orphaned sandbox containers: %s", error)

    threading.Thread(target=sweep, name="assay-container-sweep", daemon=True).start()


def leftover_containers() -> list[str]:
    """Containers this process labelled and still has (pooled idle ones included)."""
    client = docker_client()
    if client is None:
        return []
    found = client.containers.list(all=True, filters={"label": f"{LABEL}.owner={os.getpid()}"}, sparse=True)
    return [c.id for c in found]





def _sessions() -> Any:
    """The docker_sessions module (it builds on this one: imported where first needed)."""
    from assay.sandbox.backends import docker_sessions

    return docker_sessions


class DockerBackend:
    """Docker containers through the SDK: the strongest for sessions (a real root file system)."""

    name = NAME
    rank = MappingProxyType({"code": 1, "session": 0})
    takes_root = False

    def availability(self, image: str) -> tuple[bool, str]:
        return available(image)

    def weaknesses(self) -> list[str]:
        found = ["uid 1000 in the container is uid 1000 on the host (no user namespace remapping)"]
        if quota_parent() is None or _sessions().daemon_sees_mounts() is False:
            found.append("session work dirs are plain host folders, not size-limited (no tmpfs mount the daemon sees)")
        return found

    def enforcement(self) -> dict[str, str]:
        return {
            "wall clock": "container killed at the deadline (warm runner: its child tree, by PID 1)",
            "memory": "container memory+swap limit (cgroup) and RLIMIT_AS in warm runs",
            "processes": "container pids limit",
            "network": "network mode none",
            "output": "attach stream read with a byte cap",
            "file size": "RLIMIT_FSIZE; /tmp and a session's work dir are size-limited tmpfs (the work dir where the caller may mount)",
            "system calls": "docker's default seccomp profile; no capabilities, no-new-privileges",
            "identity": "uid 1000 in the container (not remapped: uid 1000 on the host too)",
        }

    def run(self, argv: Sequence[str], job: Job, *, image: str, root: str | None) -> ExecResult:
        return run(list(argv), job, image=image)

    def run_python(self, code: str, job: Job, *, warm: bool, image: str) -> ExecResult:
        if not warm:
            return run(["python3", "-E", "-s", "-S", "-c", code], job, image=image)
        try:
            runner = warm_runner(job.limits, image)
        except Exception as error:  # noqa: BLE001 - docker.errors.* and SandboxError alike
            return sandbox_error(f"could not start a warm runner container: {error}", NAME)
        try:
            return runner.execute(code, job.stdin, job.limits, job.files, job.collect)
        finally:
            POOL.release(runner)

    def warm_runner(self, limits: Limits, image: str) -> WarmRunner | None:
        return warm_runner(limits, image)

    def session_agent(self, limits: Limits, *, image: str, root: str | None) -> SessionAgent:
        pooled = _sessions().CONTAINER_POOL.take(image, limits)
        if pooled.transport is None:
            raise SandboxError("the pre-started container has no attach stream")
        return SessionAgent(NAME, pooled.transport, pooled.work, WORK, 1000, pooled.oom_count, pooled.remove)

    def open_session(self, limits: Limits, files: Mapping[str, FileContent] | None, *, image: str,
                     root: str | None) -> Session:
        return AgentSession(self.session_agent(limits, image=image, root=root), limits, files)

    def prestart_sessions(self, limits: Limits, image: str) -> None:
        _sessions().CONTAINER_POOL.prestart(image, limits)

    def sweep(self) -> list[str]:
        return sweep_containers()  # nothing without a daemon

    def close(self) -> None:
        _sessions().CONTAINER_POOL.close()


BACKEND = DockerBackend()
