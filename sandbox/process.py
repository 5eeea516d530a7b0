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
from collections.abc import Mapping, Sequence
from pathlib import Path

from assay.sandbox.base import ExecResult, FileContent, Limits
from assay.sandbox.bwrap import interpreter
from assay.sandbox.cgroups import RunGroup
from assay.sandbox.oneshot import SAFE_PATH, run_wrapped, wrapper_prefix
from assay.sandbox.runner import POOL, ZYGOTE_SOURCE, Launched, WarmRunner, spawn

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
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    # no util-linux: the interpreter switches user itself (slower, but never root)
    switch = f"import os,sys; os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY}); os.execvp(sys.argv[1], sys.argv[1:])"
    return [interpreter()[0], "-I", "-S", "-c", switch]


def _unshare_argv() -> list[str]:
    return ["unshare", "--net", "--ipc", "--uts", "--pid", "--fork", "--kill-child", "--mount", "--propagation", "private", "--mount-proc"]


def _hidden_prefix() -> str | None:
    """The interpreter prefix when an ancestor folder hides it from other users (pyenv under /root)."""
    _, prefix = interpreter()
    parts = Path(prefix).parts
    for i in range(2, len(parts) + 1):
        folder = Path(*parts[:i])
        if not os.stat(folder).st_mode & 0o001:
            return prefix if str(folder) == "/root" else None
    return None


def _setup_script(limits: Limits, work: Path | None) -> str:
    """Root inside the fresh mount namespace: hide /root and the shared temp dirs, bind the work dir."""
    prefix = _hidden_prefix()
    lines = ["set -e", "mount -t tmpfs -o size=1m,mode=755 assay /mnt", "mkdir /mnt/work /mnt/py"]
    if work is not None:
        lines.append(f"mount --bind {shlex.quote(str(work))} /mnt/work")
    if prefix:
        lines += [f"mount --bind {shlex.quote(prefix)} /mnt/py", "mount -o remount,bind,ro /mnt/py"]
    lines.append("mount -t tmpfs -o mode=711 assay /root")
    if prefix:
        lines += [f"mkdir -p {shlex.quote(prefix)}", f"mount --move /mnt/py {shlex.quote(prefix)}"]
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        lines.append(f"if [ -d {folder} ]; then mount -t tmpfs -o size={limits.disk_mb}m,mode=1777 assay {folder}; fi")
    lines += ["mkdir /mnt/mqueue", "mount -t mqueue assay /mnt/mqueue"]  # this IPC namespace's queues, for the runner to wipe
    lines += [f"mkdir -p {INNER_WORK}", f"chown {NOBODY}:{NOBODY} {INNER_WORK}"]
    if work is not None:
        lines.append(f"mount --move /mnt/work {INNER_WORK}")
    # the root file system read-only in this namespace: no world-writable host folder stays writable
    lines.append("mount -o remount,bind,ro /")
    lines += [f"cd {INNER_WORK}", f"export HOME={INNER_WORK} TMPDIR=/tmp"]
    lines.append(f"exec setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- \"$@\"")
    return "\n".join(lines)


def run(
    argv: Sequence[str],
    *,
    files: Mapping[str, FileContent] | None = None,
    stdin: bytes = b"",
    limits: Limits,
    collect: Sequence[str] = (),
    workdir: Path | None = None,
    cwd: str | None = None,
    extra_fds: Sequence[int] = (),
) -> ExecResult:
    """One command as an unprivileged user in a fresh temp dir (plus namespaces when root)."""
    contained = namespaces_available()

    def build(work: Path, group: RunGroup | None) -> list[str]:
        command = list(argv)
        if cwd:
            command = ["/bin/sh", "-c", 'cd "$0" 2>/dev/null; exec "$@"', cwd, *command]
        if contained:
            inner = _unshare_argv() + ["/bin/sh", "-c", _setup_script(limits, work), "sh", *command]
        elif is_root():  # never run a program as root: drop to nobody even without namespaces
            inner = _drop_privileges() + command
        else:
            inner = command
        return ["/bin/sh", "-c", wrapper_prefix(group, limits) + 'exec "$@"', "sh", *inner]

    owner = NOBODY if is_root() else None
    return run_wrapped(NAME, build, files=files, stdin=stdin, limits=limits, collect=collect, workdir_owner=owner, workdir=workdir, extra_fds=extra_fds)


def run_python(code: str, *, stdin: bytes, limits: Limits, files: Mapping[str, FileContent] | None,
               collect: Sequence[str], warm: bool) -> ExecResult:
    if not (warm and namespaces_available()):
        return run([interpreter()[0], "-E", "-s", "-S", "-c", code], files=files, stdin=stdin, limits=limits, collect=collect)
    runner = warm_runner(limits)
    try:
        return runner.execute(code, stdin, limits, files, tuple(collect))
    finally:
        POOL.release(runner)


def _agent_env() -> dict[str, str]:
    return {"PATH": SAFE_PATH, "HOME": INNER_WORK, "LANG": "C.UTF-8", "TMPDIR": "/tmp"}


def warm_runner(limits: Limits) -> WarmRunner:
    """An idle warm runner for these limits from the pool, or a new one (release it to POOL after use)."""
    return POOL.acquire((NAME, limits.disk_mb), lambda: launch_runner(limits.disk_mb))


def launch_runner(disk_mb: int) -> Launched:
    """A warm runner as PID 1 of fresh namespaces, running as the unprivileged uid (root hosts only)."""

    def build(read_fd: int, write_fd: int) -> list[str]:
        return _unshare_argv() + [
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

    wrapper = ["/bin/sh", "-c", wrapper_prefix(group, limits) + 'exec "$@"', "sh"]
    return spawn(build, NAME, _agent_env(), prefix=wrapper, group=group)
