"""Running one command under a host-side wrapper: cgroup join, rlimits, capped output, kill on timeout.

Shared by the bwrap and process backends; the wrapper is a tiny `sh` so no Python runs before exec.
"""

from __future__ import annotations

import logging
import os
import resource
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assay.sandbox.base import (
    ExecResult,
    Job,
    Limits,
    OutputReader,
    classify,
    collect_files,
    decode,
    make_temp_dir,
    remove_tree,
    sandbox_error,
    write_files,
)
from assay.sandbox.cgroups import GROUPS, RunGroup, support
from assay.sandbox.fds import open_fds

logger = logging.getLogger(__name__)

AS_SLACK_MB = 64  # address space an interpreter and its libraries take before the program allocates
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


def clean_env(home: str) -> dict[str, str]:
    return {"PATH": SAFE_PATH, "HOME": home, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": "/tmp"}


def wrapper_prefix(group: RunGroup | None, limits: Limits, *, address_space: bool = True) -> str:
    """Shell that joins the run's cgroups and sets rlimits, ending just before `exec "$@"`."""
    steps = [f"echo $$ > {shlex.quote(str(p))}" for p in (group.procs_files if group else [])]
    ulimits = [f"-f {limits.file_size_mb * 2048}", f"-n {limits.open_files}", "-c 0"]
    if address_space:
        ulimits.insert(0, f"-v {(limits.memory_mb + AS_SLACK_MB) * 1024}")
    steps.extend(f"ulimit {u}" for u in ulimits)
    return " && ".join(steps) + " && "


_warned_cgroups = False


def start_group(limits: Limits) -> tuple[RunGroup | None, str]:
    """A run's cgroup, or None and a plain statement of which limits are then not enforced (warned once)."""
    global _warned_cgroups
    probe = support()
    if not (probe.pids or probe.memory):
        note = f"no pids or memory cgroup ({probe.reason}): memory limited per process by RLIMIT_AS only; the pids limit is NOT enforced"
    else:
        try:
            return GROUPS.acquire(limits.pids, limits.memory_mb), ""
        except OSError as error:
            note = f"could not create a cgroup ({error}): the pids limit is NOT enforced"
    if not _warned_cgroups:
        _warned_cgroups = True
        logger.warning("sandbox: %s", note)
    return None, note


@dataclass(frozen=True)
class OneShot:
    """How a backend starts one command; ``run_wrapped`` does the rest the same way for all.

    ``argv(work, group)`` is the command line for a work dir and the run's cgroup (None without
    one). With ``bwrap_handshake`` the argv holds "{STATUS_FD}" and "{BLOCK_FD}": bwrap reports on
    the first whether its child started (no "exit-code" means the sandbox failed, a sandbox_error)
    and waits on the second while the host puts its child in the cgroup and sets its rlimits.
    """

    backend: str
    argv: Callable[[Path, RunGroup | None], list[str]]
    workdir_owner: int | None = None  # the uid the work dir and its files are given to
    bwrap_handshake: bool = False
    rlimits_in_argv: bool = False  # the argv sets the rlimits itself (prlimit): the host must not
    extra_fds: tuple[int, ...] = ()  # more fds the command inherits (a command session's cwd pipe)


def run_wrapped(spec: OneShot, job: Job, *, workdir: Path | None = None) -> ExecResult:
    """Runs ``spec``'s command with capped output and a wall-clock kill of the whole tree, in
    ``workdir`` or a fresh work dir (removed afterwards) holding the job's files."""
    limits = job.limits
    own_dir = workdir is None
    work = make_temp_dir(spec.workdir_owner) if workdir is None else workdir
    group: RunGroup | None = None
    status_read = status_write = block_read = block_write = -1
    process: subprocess.Popen | None = None
    try:
        write_files(work, job.files, owner=spec.workdir_owner)
        group, note = start_group(limits)
        pass_fds = list(spec.extra_fds)
        argv, opened = open_fds(spec.argv(work, group), pass_fds)
        if spec.bwrap_handshake:
            status_read, status_write = os.pipe()
            block_read, block_write = os.pipe()
            pass_fds += [status_write, block_read]
            argv = [str(status_write) if a == "{STATUS_FD}" else str(block_read) if a == "{BLOCK_FD}" else a for a in argv]
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True, env=clean_env(str(work)), pass_fds=pass_fds, close_fds=True, cwd=work,
            )
        except OSError as error:
            return sandbox_error(f"could not start {argv[0]}: {error}", spec.backend)
        finally:
            for fd in opened:
                os.close(fd)
        if spec.bwrap_handshake:
            os.close(status_write)
            os.close(block_read)
            status_write = block_read = -1
            _place(process.pid, group, None if spec.rlimits_in_argv else limits)
            os.write(block_write, b"g")
            os.close(block_write)
            block_write = -1
        streams = (process.stdin, process.stdout, process.stderr)
        if None in streams:
            return sandbox_error("the child's pipes are missing", spec.backend)
        reader = OutputReader(streams[0].fileno(), streams[1].fileno(), streams[2].fileno(), job.stdin, limits.output_bytes,  # type: ignore[union-attr]
                              close_stdin=streams[0].close)  # type: ignore[union-attr]
        finished = reader.pump(started + limits.timeout_s)
        timed_out = not finished and not reader.over
        if finished:
            try:
                process.wait(max(0.0, started + limits.timeout_s - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
        wall = time.monotonic() - started
        _kill_tree(process, group)
        exit_code = process.wait()
        reader.close()
        for stream in streams:
            try:
                stream.close()  # type: ignore[union-attr]  # closing a closed file object is a no-op
            except OSError:
                pass
        started_ok = True
        if spec.bwrap_handshake:
            os.set_blocking(status_read, False)
            try:
                report = os.read(status_read, 65536)
            except BlockingIOError:
                report = b""
            # bwrap reports "exit-code" once its child ran; without it (and unless we killed it) setup failed
            started_ok = b'"exit-code"' in report or timed_out or reader.over or (group is not None and group.oom_killed())
        if not started_ok:
            return sandbox_error(f"the sandbox did not start: {decode(bytes(reader.err))[-500:]}", spec.backend, wall)
        oom = group.oom_killed() if group else False
        status = classify(exit_code, bytes(reader.err), timed_out=timed_out, over_output=reader.over, oom=oom)
        collected = collect_files(work, list(job.collect), limits.output_bytes) if job.collect else {}
        return ExecResult(status, exit_code, decode(bytes(reader.out)), decode(bytes(reader.err)), wall, backend=spec.backend,
                          files=collected, message=note)
    finally:
        if process is not None and process.poll() is None:
            _kill_tree(process, group)
            process.wait()
        if group is not None:
            GROUPS.release(group)
        for fd in (status_read, status_write, block_read, block_write):
            if fd >= 0:
                os.close(fd)
        if own_dir:
            remove_tree(work)


def rlimits(limits: Limits) -> list[tuple[int, int]]:
    """The rlimits of a one-shot run, as (resource, value) pairs."""
    return [
        (resource.RLIMIT_AS, (limits.memory_mb + AS_SLACK_MB) << 20),
        (resource.RLIMIT_FSIZE, limits.file_size_mb << 20),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]


def _place(bwrap_pid: int, group: RunGroup | None, limits: Limits | None) -> None:
    """Puts a blocked bwrap and its child in the run's cgroup and gives the child the run's
    rlimits (None: the command set them itself)."""
    from assay.sandbox.runner import wait_for_child

    child = wait_for_child(bwrap_pid)
    if child is None:
        return  # bwrap failed before cloning: its status report says so
    try:
        if group is not None:
            group.add(child)  # moving a task is slow on cgroup v1: bwrap's own process stays out
        for which, value in rlimits(limits) if limits is not None else ():
            resource.prlimit(child, which, (value, value))
    except (ProcessLookupError, FileNotFoundError):
        pass  # it died already: its status report says why


def _kill_tree(process: subprocess.Popen, group: RunGroup | None) -> None:
    """Kills everything the run started: its cgroup, its session, and (via PDEATHSIG) its namespace."""
    if group is not None:
        group.kill()
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
