"""The process backend, the fallback: a non-root uid, rlimits, a fresh temp dir, cgroups where possible.

As root it also unshares net, ipc, uts, pid and mount namespaces (util-linux `unshare`) and hides
/root and the world-writable temp dirs; without root it is only setsid plus rlimits (weak).
"""

from __future__ import annotations

import functools
import logging
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from assay.sandbox.base import ExecResult, FileContent, Job, Limits, make_temp_dir, remove_tree, write_files
from assay.sandbox.cgroups import RunGroup, support
from assay.sandbox.interpreter import interpreter, is_under, tree
from assay.sandbox.oneshot import SAFE_PATH, OneShot, run_wrapped, wrapper_prefix
from assay.sandbox.runner import POOL, ZYGOTE_SOURCE, Launched, WarmRunner, spawn
from assay.sandbox.session import SHELL_SCRIPT, AgentSession, HostDirSession, Session, SessionAgent, start_agent

logger = logging.getLogger(__name__)

NAME = "process"
NOBODY = 65534
INNER_WORK = "/tmp/work"


def is_root() -> bool:
    return os.geteuid() == 0


@functools.lru_cache(maxsize=1)
def namespaces_available() -> bool:
    """Whether `unshare` and `setpriv` work here (root, util-linux present, namespaces allowed)."""
    if not is_root() or shutil.which("unshare") is None or shutil.which("setpriv") is None:
        return False
    argv = _unshare_argv() + ["/bin/sh", "-c", "exec setpriv --reuid=65534 --regid=65534 --clear-groups -- /bin/true"]
    try:
        return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def weaknesses() -> list[str]:
    """What this backend cannot do on this machine, said plainly."""
    found = ["the host file system is visible (read-only; other mounts by permissions only)"]
    if not namespaces_available():
        found += ["no network isolation", "no pid namespace (a setsid child can outlive the run unless cgroups catch it)"]
        if not is_root():
            found.append("runs as the calling user (not root: cannot switch to an unprivileged uid)")
    return found


def _drop_privileges() -> list[str]:
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
                "--pdeathsig", "KILL", "--"]
    # no util-linux: the interpreter switches user itself (slower, but never root)
    switch = f"import os,sys; os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY}); os.execvp(sys.argv[1], sys.argv[1:])"
    return [interpreter()[0], "-I", "-S", "-c", switch]


@functools.lru_cache(maxsize=1)
def die_with_owner() -> list[str]:
    """A prefix giving the command PR_SET_PDEATHSIG (SIGKILL when its owner dies): `unshare` has
    no such option, and an unshare that outlives its owner keeps the whole namespace alive."""
    return ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []


def _unshare_argv() -> list[str]:
    return ["unshare", "--net", "--ipc", "--uts", "--pid", "--fork", "--kill-child", "--mount", "--propagation", "private", "--mount-proc"]


REPLACED = ("/root", "/tmp", "/var/tmp", "/dev/shm")  # folders the namespace's setup covers with empty tmpfs mounts


def _covered_tree() -> list[str]:
    """The interpreter's paths that lie under a folder the setup covers (pyenv under /root, a
    Python unpacked under /tmp): saved before the covering mounts and bound back after them."""
    return [path for path in tree() if any(is_under(path, folder) for folder in REPLACED)]


def _setup_script(limits: Limits, work: Path | None) -> str:
    """Root inside the fresh mount namespace: hide /root and the shared temp dirs, bind the work dir
    and the interpreter's own tree back wherever it lives."""
    saved = _covered_tree()
    lines = ["set -e", "mount -t tmpfs -o size=1m,mode=755 assay /mnt", "mkdir /mnt/work"]
    if work is not None:
        lines.append(f"mount --bind {shlex.quote(str(work))} /mnt/work")
    for index, path in enumerate(saved):
        make = "mkdir" if os.path.isdir(path) else "touch"
        lines += [f"{make} /mnt/py{index}", f"mount --bind {shlex.quote(path)} /mnt/py{index}", f"mount -o remount,bind,ro /mnt/py{index}"]
    lines.append("mount -t tmpfs -o mode=711 assay /root")
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        lines.append(f"if [ -d {folder} ]; then mount -t tmpfs -o size={limits.disk_mb}m,mode=1777 assay {folder}; fi")
    for index, path in enumerate(saved):
        make = "mkdir" if os.path.isdir(path) else "touch"
        lines += [f"mkdir -p {shlex.quote(os.path.dirname(path))}", f"{make} {shlex.quote(path)}", f"mount --move /mnt/py{index} {shlex.quote(path)}"]
    lines += ["mkdir /mnt/mqueue", "mount -t mqueue assay /mnt/mqueue"]  # this IPC namespace's queues, for the runner to wipe
    lines += [f"mkdir -p {INNER_WORK}", f"chown {NOBODY}:{NOBODY} {INNER_WORK}"]
    if work is not None:
        lines.append(f"mount --move /mnt/work {INNER_WORK}")
    # the root file system read-only in this namespace: no world-writable host folder stays writable
    lines.append("mount -o remount,bind,ro /")
    lines += [f"cd {INNER_WORK}", f"export HOME={INNER_WORK} TMPDIR=/tmp"]
    # the uid switch clears unshare's --kill-child parent-death signal: set it again after it
    lines.append(f"exec setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs "
                 "--pdeathsig KILL -- \"$@\"")
    return "\n".join(lines)


def run(argv: Sequence[str], job: Job, *, workdir: Path | None = None, cwd: str | None = None,
        extra_fds: tuple[int, ...] = ()) -> ExecResult:
    """One command as an unprivileged user in a fresh temp dir (plus namespaces when root)."""
    contained = namespaces_available()

    def build(work: Path, group: RunGroup | None) -> list[str]:
        command = list(argv)
        if cwd:
            command = ["/bin/sh", "-c", 'cd "$0" 2>/dev/null; exec "$@"', cwd, *command]
        if contained:
            inner = _unshare_argv() + ["/bin/sh", "-c", _setup_script(job.limits, work), "sh", *command]
        elif is_root():  # never run a program as root: drop to nobody even without namespaces
            inner = _drop_privileges() + command
        else:
            inner = command
        return [*die_with_owner(), "/bin/sh", "-c", wrapper_prefix(group, job.limits) + 'exec "$@"', "sh", *inner]

    owner = NOBODY if is_root() else None
    return run_wrapped(OneShot(NAME, build, workdir_owner=owner, extra_fds=extra_fds), job, workdir=workdir)


def _agent_env() -> dict[str, str]:
    return {"PATH": SAFE_PATH, "HOME": INNER_WORK, "LANG": "C.UTF-8", "TMPDIR": "/tmp"}


def warm_runner(limits: Limits) -> WarmRunner | None:
    """An idle warm runner for these limits from the pool, or a new one (release it to POOL after
    use); None without namespaces (not root): a runner must be PID 1 of its own PID namespace."""
    if not namespaces_available():
        return None
    return POOL.acquire((NAME, limits.disk_mb), lambda: launch_runner(limits.disk_mb))


def launch_runner(disk_mb: int) -> Launched:
    """A warm runner as PID 1 of fresh namespaces, running as the unprivileged uid (root hosts only)."""

    def build(read_fd: int, write_fd: int) -> list[str]:
        return die_with_owner() + _unshare_argv() + [
            "/bin/sh", "-c", _setup_script(Limits(disk_mb=disk_mb), None), "sh",
            interpreter()[0], "-I", "-S", "-c", ZYGOTE_SOURCE, str(read_fd), str(write_fd),
        ]

    return spawn(build, NAME, _agent_env())


def launch_session_agent(limits: Limits, work: Path, group: RunGroup | None) -> Launched:
    """A long-lived set of namespaces for a session (root hosts only): the agent as PID 1 over the work dir."""

    def build(read_fd: int, write_fd: int) -> list[str]:
        return _unshare_argv() + [
            "/bin/sh", "-c", _setup_script(limits, work), "sh",
            interpreter()[0], "-I", "-S", "-c", ZYGOTE_SOURCE, str(read_fd), str(write_fd), "session",
        ]

    wrapper = [*die_with_owner(), "/bin/sh", "-c", wrapper_prefix(group, limits) + 'exec "$@"', "sh"]
    return spawn(build, NAME, _agent_env(), prefix=wrapper, group=group)


class CommandSession(HostDirSession):
    """The fallback where no agent can be PID 1 (process backend without root): one host work dir,
    each command in a fresh sandbox over it; background processes end with their command."""

    backend = NAME
    closed: bool

    def __init__(self, limits: Limits, files: Mapping[str, FileContent] | None) -> None:
        super().__init__(limits)
        self.owner = NOBODY if is_root() else None
        self.root = make_temp_dir(self.owner)
        self.work = self.cwd = str(self.root)  # no mount namespace: the program sees the host path
        write_files(self.root, files, owner=self.owner)

    def _exec(self, command: str, limits: Limits, stdin: bytes) -> ExecResult:
        text = command.encode("utf-8", "surrogateescape")
        if b"\0" in text:
            return ExecResult("error", 126, "", "bash: the command holds a NUL byte; bash cannot run it\n", 0.0, backend=NAME)
        read_fd, write_fd = os.pipe()
        command_fd = _text_file(text)  # read by SHELL_SCRIPT: argv caps one argument at 128 KiB
        script = (f"export ASSAY_CWD={shlex.quote(self.cwd)} ASSAY_WORK={shlex.quote(self.work)} ASSAY_CWD_FD={write_fd} "
                  f"ASSAY_COMMAND_FD={command_fd}; " + SHELL_SCRIPT)
        try:
            result = run(["/bin/bash", "-c", script, "bash"], Job(stdin, limits), workdir=self.root, extra_fds=(write_fd, command_fd))
            os.close(write_fd)
            write_fd = -1
            os.set_blocking(read_fd, False)
            try:
                reported = os.read(read_fd, 8192).decode(errors="replace").strip()
            except BlockingIOError:
                reported = ""
            if reported.startswith("/") and "\n" not in reported:
                self.cwd = reported
            return result
        finally:
            for fd in (read_fd, write_fd, command_fd):
                if fd >= 0:
                    os.close(fd)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            remove_tree(self.root)


def _text_file(data: bytes) -> int:
    """A descriptor of an unlinked file holding ``data``, at its start (a memfd on Linux)."""
    try:
        fd = os.memfd_create("assay-command", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # not Linux
        with tempfile.TemporaryFile() as handle:
            fd = os.dup(handle.fileno())
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


class ProcessBackend:
    """The fallback: always available, contained only as far as this machine allows (see weaknesses)."""

    name = NAME
    rank = MappingProxyType({"code": 2, "session": 2})
    takes_root = False

    def availability(self, image: str) -> tuple[bool, str]:
        return True, "ok"

    def weaknesses(self) -> list[str]:
        return weaknesses()

    def enforcement(self) -> dict[str, str]:
        cgroups = support()
        contained = namespaces_available()
        processes = "pids cgroup" if cgroups.pids else f"not enforced: no pids cgroup ({cgroups.reason})"
        return {
            "wall clock": "kill of the PID namespace (and cgroup)" if contained else "kill of the session (and cgroup)",
            "memory": "RLIMIT_AS" + (" and a memory cgroup" if cgroups.memory else " only (no memory cgroup here)"),
            "processes": processes if contained or cgroups.pids else "not enforced: no pids cgroup, no namespace",
            "network": "empty network namespace" if contained else "not enforced: no network namespace without root",
            "output": "pipes read with a byte cap",
            "file size": "RLIMIT_FSIZE" + ("; /tmp is a size-limited tmpfs" if contained else ""),
            "system calls": "not filtered (no seccomp); no capabilities, no-new-privileges" if contained else "not filtered",
            "identity": f"uid {NOBODY} (nobody)" if is_root() else f"the caller's uid ({os.geteuid()}): not root, so no switch",
        }

    def run(self, argv: Sequence[str], job: Job, *, image: str, root: str | None) -> ExecResult:
        return run(list(argv), job)

    def run_python(self, code: str, job: Job, *, warm: bool, image: str) -> ExecResult:
        runner = warm_runner(job.limits) if warm else None
        if runner is None:
            return run([interpreter()[0], "-E", "-s", "-S", "-c", code], job)
        try:
            return runner.execute(code, job.stdin, job.limits, job.files, job.collect)
        finally:
            POOL.release(runner)

    def warm_runner(self, limits: Limits, image: str) -> WarmRunner | None:
        return warm_runner(limits)

    def session_agent(self, limits: Limits, *, image: str, root: str | None) -> SessionAgent | None:
        if not namespaces_available():
            return None
        return start_agent(NAME, lambda work, group: launch_session_agent(limits, work, group), limits, owner=NOBODY, work=INNER_WORK)

    def open_session(self, limits: Limits, files: Mapping[str, FileContent] | None, *, image: str,
                     root: str | None) -> Session:
        agent = self.session_agent(limits, image=image, root=root)
        if agent is None:
            return CommandSession(limits, files)
        return AgentSession(agent, limits, files)

    def prestart_sessions(self, limits: Limits, image: str) -> None:
        return None

    def sweep(self) -> list[str]:
        return []  # its sandboxes die with their owner (PR_SET_PDEATHSIG)

    def close(self) -> None:
        return None


BACKEND = ProcessBackend()
