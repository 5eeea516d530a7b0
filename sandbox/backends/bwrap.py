"""The bubblewrap backend: user, pid, net, ipc, uts and mount namespaces, read-only binds, no caps.

One-shot runs start a fresh bwrap; run_python goes through a warm runner that is PID 1 inside one.
"""

from __future__ import annotations

import functools
import logging
import os
import resource
import shlex
import shutil
import stat
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from assay.errors import SandboxError
from assay.sandbox import seccomp
from assay.sandbox.base import ExecResult, FileContent, Job, Limits
from assay.sandbox.cgroups import RunGroup, support
from assay.sandbox.fds import SECCOMP, open_fds
from assay.sandbox.interpreter import interpreter, is_under, tree
from assay.sandbox.oneshot import SAFE_PATH, OneShot, rlimits, run_wrapped, wrapper_prefix
from assay.sandbox.quota import quota_parent
from assay.sandbox.runner import POOL, ZYGOTE_SOURCE, Launched, WarmRunner, spawn
from assay.sandbox.session import AgentSession, Session, SessionAgent, start_agent

logger = logging.getLogger(__name__)

NAME = "bwrap"
SANDBOX_UID = 1000
WORK = "/work"


def _ro_bind_if_exists(path: str) -> list[str]:
    return ["--ro-bind", path, path] if os.path.exists(path) else []


def python_binds() -> list[str]:
    """Only what the interpreter needs, read-only: its own tree and the shared libraries in /usr/lib."""
    binds: list[str] = []
    for path in tree():
        binds += ["--ro-bind", path, path]
    binds += _ro_bind_if_exists("/usr/lib")
    binds += _ro_bind_if_exists("/usr/lib64")
    binds += ["--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64"]
    return binds


def system_binds() -> list[str]:
    """For general commands and shells: the host's /usr read-only (its python3, sqlite3, jq if installed)."""
    binds = ["--ro-bind", "/usr", "/usr"]
    for link, target in (("/bin", "usr/bin"), ("/sbin", "usr/sbin"), ("/lib", "usr/lib"), ("/lib64", "usr/lib64")):
        binds += ["--symlink", target, link]
    binds += _ro_bind_if_exists("/etc/alternatives")
    binds += _ro_bind_if_exists("/etc/ld.so.cache")
    return binds


def base_args(limits: Limits, *, home: str, root: str | None = None) -> list[str]:
    """Namespaces, identity and environment, then the file system: ``root`` (a root file system
    folder, bound read-only as /) or bwrap's empty one, with fresh /proc, /dev and a sized /tmp."""
    return [
        "bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
        "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--hostname", "sandbox", "--cap-drop", "ALL",
        "--clearenv", "--setenv", "PATH", SAFE_PATH, "--setenv", "HOME", home, "--setenv", "LANG", "C.UTF-8",
        "--setenv", "TMPDIR", "/tmp",
        *(["--ro-bind", root, "/"] if root else []),
        "--proc", "/proc", "--dev", "/dev", "--mqueue", "/dev/mqueue",
        "--perms", "1777", "--size", str(limits.disk_mb << 20), "--tmpfs", "/tmp",
        SECCOMP,  # --seccomp FD, filled in where the process starts (assay.sandbox.fds)
    ]


NOBODY = 65534
_BIND_OPTIONS = ("--ro-bind", "--bind", "--ro-bind-try", "--bind-try")


@functools.lru_cache(maxsize=1)
def host_uid() -> int | None:
    """The host uid bwrap runs as: nobody when started by root (so the sandbox's uid maps to an
    unprivileged host uid, and a kernel escape lands as nobody), else None (the caller's own).
    Root keeps its own uid, and `weaknesses` says so, where the kernel refuses unprivileged user
    namespaces or util-linux is missing.

    >>> host_uid() in (None, NOBODY)
    True
    """
    return NOBODY if os.geteuid() == 0 and not _why_not_nobody() else None


@functools.lru_cache(maxsize=1)
def _why_not_nobody() -> str:
    """Why bwrap cannot run as nobody here ("" when it can)."""
    missing = [tool for tool in ("setpriv", "nsenter", "unshare", "prlimit", "bwrap") if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not installed"
    trial = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", "bwrap", "--unshare-all", "--unshare-user",
             "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
             "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--", "/usr/bin/true"]
    try:
        done = subprocess.run(trial, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    return "" if done.returncode == 0 else done.stderr.decode(errors="replace").strip()[:200] or f"exit {done.returncode}"


def reachable(path: str) -> bool:
    """Whether an unprivileged uid (nobody) can reach ``path`` by name and read it.

    >>> reachable("/usr/lib"), reachable("/root/.")
    (True, False)
    """
    for parent in reversed(PurePosixPath(path).parents):
        if not os.stat(parent).st_mode & 0o001:
            return False
    info = os.stat(path)
    if info.st_uid == NOBODY:
        return True
    need = 0o005 if stat.S_ISDIR(info.st_mode) else 0o004
    return info.st_mode & need == need


class Staging:
    """Where bwrap, run as nobody by a root caller, finds the bind sources nobody cannot reach by
    name (an interpreter under /root, mode 700; a root file system under /root/.cache): bound
    again, read-only, under /mnt of a private mount namespace made once per set of sources.
    bwrap enters it with nsenter (no fork: bwrap stays its owner's child) before dropping to
    nobody; the namespace lives as long as this process holds its fd."""

    def __init__(self) -> None:
        self._fds: dict[tuple[str, ...], int] = {}
        self._lock = threading.Lock()

    def namespace(self, sources: tuple[str, ...]) -> int:
        with self._lock:
            if sources not in self._fds:
                self._fds[sources] = self._make(sources)
            return self._fds[sources]

    @staticmethod
    def _make(sources: tuple[str, ...]) -> int:
        lines = ["set -e", "mount -t tmpfs -o size=1m,mode=755 assay /mnt"]
        for index, source in enumerate(sources):
            target = f"/mnt/{index}"
            lines.append(f"mkdir {target}" if os.path.isdir(source) else f"touch {target}")
            lines += [f"mount --bind {shlex.quote(source)} {target}", f"mount -o remount,bind,ro {target}"]
        lines.append("echo ready; exec cat")  # holds the namespace until its fd is open; ends when stdin closes
        quota_parent()  # made before the namespace, whose slave copy then receives the work dirs mounted under it
        helper = subprocess.Popen(["unshare", "--mount", "--propagation", "slave", "/bin/sh", "-c", "\n".join(lines)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            if helper.stdout is None or helper.stdout.readline() != b"ready\n":
                raise SandboxError(f"could not stage bind sources for bwrap: {helper.stderr.read().decode(errors='replace') if helper.stderr else ''}")
            return os.open(f"/proc/{helper.pid}/ns/mnt", os.O_RDONLY | os.O_CLOEXEC)
        finally:
            helper.kill()
            helper.communicate()


STAGING = Staging()


def unprivileged(argv: list[str], limits: Limits | None = None) -> list[str]:
    """``argv`` (a bwrap command line) as a root caller must run it: as nobody, with the bind
    sources nobody cannot reach staged (see Staging), and with ``limits``' rlimits set before the
    switch (root lacks the right to prlimit a process in nobody's user namespace without
    CAP_SYS_RESOURCE); unchanged for other callers."""
    if host_uid() is None:
        return argv
    end = argv.index("--") if "--" in argv else len(argv)
    staged: dict[str, str] = {}
    index = 0
    while index < end:
        if argv[index] in _BIND_OPTIONS and index + 1 < end:
            source = argv[index + 1]
            if not reachable(source):
                staged[source] = ""
            index += 3
        else:
            index += 1
    prefix = []
    if staged:
        sources = tuple(sorted(staged))
        fd = STAGING.namespace(sources)
        staged = {source: f"/mnt/{number}" for number, source in enumerate(sources)}
        prefix = ["nsenter", f"--mount=/proc/{os.getpid()}/fd/{fd}", "--"]
        argv = [staged.get(arg, arg) if 0 < i < end and argv[i - 1] in _BIND_OPTIONS else arg for i, arg in enumerate(argv)]
    if limits is not None:
        names = {resource.RLIMIT_AS: "as", resource.RLIMIT_FSIZE: "fsize", resource.RLIMIT_NOFILE: "nofile", resource.RLIMIT_CORE: "core"}
        prefix += ["prlimit", *(f"--{names[which]}={value}" for which, value in rlimits(limits)), "--"]
    return [*prefix, "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", *argv]


@functools.lru_cache(maxsize=1)
def available() -> tuple[bool, str]:
    """Whether bwrap can build a sandbox here (installed, namespaces allowed); with the reason if not."""
    if shutil.which("bwrap") is None:
        return False, "bwrap is not installed (apt-get install bubblewrap)"
    pass_fds: list[int] = []
    try:
        probe = unprivileged(base_args(Limits(), home="/tmp") + python_binds() + [interpreter()[0], "-I", "-S", "-c", "pass"])
    except (OSError, SandboxError) as error:
        return False, f"bwrap cannot be started as nobody here: {error}"
    argv, opened = open_fds(probe, pass_fds)
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, pass_fds=pass_fds, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"bwrap failed to start: {error}"
    finally:
        for fd in opened:
            os.close(fd)
    if done.returncode != 0:
        return False, f"bwrap cannot create namespaces here: {done.stderr.decode(errors='replace').strip()[:300]}"
    return True, "ok"


def run(argv: Sequence[str], job: Job, *, workdir: Path | None = None, cwd: str = WORK, python_only: bool = False,
        root: str | None = None) -> ExecResult:
    """One command in a fresh bwrap sandbox with the work dir bound read-write at /work; ``root``
    replaces the host's /usr with a whole root file system (read-only)."""

    def build(work: Path, group: RunGroup | None) -> list[str]:
        binds = [] if root else python_binds() if python_only else system_binds()
        return unprivileged(base_args(job.limits, home=WORK, root=root) + binds + [
            "--bind", str(work), WORK, "--chdir", cwd, "--json-status-fd", "{STATUS_FD}", "--block-fd", "{BLOCK_FD}", "--", *argv,
        ], job.limits)

    spec = OneShot(NAME, build, workdir_owner=host_uid(), bwrap_handshake=True, rlimits_in_argv=host_uid() is not None)
    return run_wrapped(spec, job, workdir=workdir)


def warm_runner(limits: Limits) -> WarmRunner:
    """An idle warm runner for these limits from the pool, or a new one (release it to POOL after use)."""
    return POOL.acquire((NAME, limits.disk_mb), lambda: launch_runner(limits.disk_mb))


def launch_runner(disk_mb: int) -> Launched:
    """Starts a warm runner: bwrap with the zygote as PID 1 (--as-pid-1), talking over two pipes."""

    def build(read_fd: int, write_fd: int) -> list[str]:
        return unprivileged(base_args(Limits(disk_mb=disk_mb), home="/tmp/run") + python_binds() + [
            "--as-pid-1", "--chdir", "/tmp", "--", interpreter()[0], "-I", "-S", "-c", ZYGOTE_SOURCE, str(read_fd), str(write_fd),
        ])

    return spawn(build, NAME, {"PATH": SAFE_PATH})


def launch_session_agent(limits: Limits, work: Path, group: RunGroup | None, root: str | None = None) -> Launched:
    """A long-lived sandbox for a session: host /usr (or ``root``) read-only, the work dir at /work,
    the agent as PID 1 (run by the host's interpreter, or by the root file system's python3)."""
    executable = interpreter()[0]

    def build(read_fd: int, write_fd: int) -> list[str]:
        if root:
            binds, python = [], "/usr/bin/python3"
        else:
            binds, python = system_binds(), executable
            for path in tree():
                if not is_under(path, "/usr"):
                    binds += ["--ro-bind", path, path]
        return unprivileged(base_args(limits, home=WORK, root=root) + binds + [
            "--bind", str(work), WORK, "--as-pid-1", "--chdir", WORK, "--",
            python, "-I", "-S", "-c", ZYGOTE_SOURCE, str(read_fd), str(write_fd), "session",
        ])

    wrapper = ["/bin/sh", "-c", wrapper_prefix(group, limits) + 'exec "$@"', "sh"]
    return spawn(build, NAME, {"PATH": SAFE_PATH}, prefix=wrapper, group=group)


class BwrapBackend:
    """bubblewrap: the strongest backend without a daemon (see `enforcement`)."""

    name = NAME
    rank = MappingProxyType({"code": 0, "session": 1})
    takes_root = True

    def availability(self, image: str) -> tuple[bool, str]:
        return available()

    def weaknesses(self) -> list[str]:
        found = []
        if not seccomp.program():
            found.append("no seccomp filter for this architecture")
        if not support().pids:
            found.append(f"no pids cgroup ({support().reason}): the pids limit is not enforced")
        if os.geteuid() == 0 and host_uid() is None:
            found.append(f"started by root, bwrap cannot run as nobody here ({_why_not_nobody()}): the sandbox's uid is root on the host")
        if quota_parent() is None:
            found.append("session work dirs are plain host folders, not size-limited (this process may not mount a tmpfs)")
        return found

    def enforcement(self) -> dict[str, str]:
        cgroups = support()
        return {
            "wall clock": "kill of the PID namespace (and cgroup)",
            "memory": "RLIMIT_AS" + (" and a memory cgroup" if cgroups.memory else " only (no memory cgroup here)"),
            "processes": "pids cgroup" if cgroups.pids else f"not enforced: no pids cgroup ({cgroups.reason})",
            "network": "empty network namespace",
            "output": "pipes read with a byte cap",
            "file size": "RLIMIT_FSIZE; /tmp and a session's work dir are size-limited tmpfs (the work dir where the caller may mount)",
            "system calls": "seccomp filter (assay.sandbox.seccomp)" if seccomp.program() else "not filtered: no seccomp filter for this architecture",
            "identity": f"uid {SANDBOX_UID} in a user namespace, without capabilities; on the host "
                        + (f"uid {NOBODY} (nobody: bwrap is started as nobody, not as root)" if host_uid() is not None
                           else f"the caller's uid ({os.geteuid()})"),
        }

    def run(self, argv: Sequence[str], job: Job, *, image: str, root: str | None) -> ExecResult:
        return run(list(argv), job, root=root)

    def run_python(self, code: str, job: Job, *, warm: bool, image: str) -> ExecResult:
        if not warm:
            return run([interpreter()[0], "-E", "-s", "-S", "-c", code], job, python_only=True)
        runner = warm_runner(job.limits)
        try:
            return runner.execute(code, job.stdin, job.limits, job.files, job.collect)
        finally:
            POOL.release(runner)

    def warm_runner(self, limits: Limits, image: str) -> WarmRunner | None:
        return warm_runner(limits)

    def session_agent(self, limits: Limits, *, image: str, root: str | None) -> SessionAgent:
        return start_agent(NAME, lambda work, group: launch_session_agent(limits, work, group, root), limits, owner=host_uid(), work=WORK)

    def open_session(self, limits: Limits, files: Mapping[str, FileContent] | None, *, image: str,
                     root: str | None) -> Session:
        return AgentSession(self.session_agent(limits, image=image, root=root), limits, files)

    def prestart_sessions(self, limits: Limits, image: str) -> None:
        return None

    def sweep(self) -> list[str]:
        return []  # a bwrap sandbox dies with its owner (--die-with-parent)

    def close(self) -> None:
        return None


BACKEND = BwrapBackend()
