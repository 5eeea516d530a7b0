"""The bubblewrap backend: user, pid, net, ipc, uts and mount namespaces, read-only binds, no caps.

One-shot runs start a fresh bwrap; run_python goes through a warm runner that is PID 1 inside one.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from assay.errors import SandboxError
from assay.sandbox.base import ExecResult, FileContent, Limits
from assay.sandbox.cgroups import RunGroup
from assay.sandbox.oneshot import SAFE_PATH, run_wrapped, wrapper_prefix
from assay.sandbox.seccomp import substitute
from assay.sandbox.runner import POOL, ZYGOTE_SOURCE, Launched, WarmRunner, spawn

logger = logging.getLogger(__name__)

NAME = "bwrap"
SANDBOX_UID = 1000
WORK = "/work"


def interpreter() -> tuple[str, str]:
    """The real interpreter (venvs and symlinks resolved) and the prefix holding its stdlib."""
    return os.path.realpath(sys.executable), os.path.realpath(sys.base_prefix)


def _ro_bind_if_exists(path: str) -> list[str]:
    return ["--ro-bind", path, path] if os.path.exists(path) else []


def python_binds() -> list[str]:
    """Only what the interpreter needs, read-only: its prefix and the shared libraries in /usr/lib."""
    executable, prefix = interpreter()
    if prefix == "/usr":
        binds = ["--ro-bind", executable, executable]
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        binds += _ro_bind_if_exists(f"/usr/lib/{version}")
    else:
        binds = ["--ro-bind", prefix, prefix]
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
        "{SECCOMP}",  # --seccomp FD, filled in where the process starts (assay.sandbox.seccomp)
    ]


def check_root(root: str | os.PathLike | None) -> str | None:
    """A root file system folder for bwrap: it must hold /bin/sh and an empty /work to mount on."""
    if root is None:
        return None
    path = Path(root).resolve()
    if not (path / "bin" / "sh").exists() or not (path / "work").is_dir():
        raise SandboxError(f"{path} is not a root file system with /bin/sh and /work (see assay.sandbox.images.extract_rootfs)")
    return str(path)


@functools.lru_cache(maxsize=1)
def available() -> tuple[bool, str]:
    """Whether bwrap can build a sandbox here (installed, namespaces allowed); with the reason if not."""
    if shutil.which("bwrap") is None:
        return False, "bwrap is not installed (apt-get install bubblewrap)"
    pass_fds: list[int] = []
    argv, seccomp_fd = substitute(base_args(Limits(), home="/tmp") + python_binds() + [interpreter()[0], "-I", "-S", "-c", "pass"], pass_fds)
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, pass_fds=pass_fds)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"bwrap failed to start: {error}"
    finally:
        if seccomp_fd is not None:
            os.close(seccomp_fd)
    if done.returncode != 0:
        return False, f"bwrap cannot create namespaces here: {done.stderr.decode(errors='replace').strip()[:300]}"
    return True, "ok"


def run(
    argv: Sequence[str],
    *,
    files: Mapping[str, FileContent] | None = None,
    stdin: bytes = b"",
    limits: Limits,
    collect: Sequence[str] = (),
    workdir: Path | None = None,
    cwd: str = WORK,
    python_only: bool = False,
    extra_fds: Sequence[int] = (),
    root: str | None = None,
) -> ExecResult:
    """One command in a fresh bwrap sandbox with the work dir bound read-write at /work; ``root``
    replaces the host's /usr with a whole root file system (read-only)."""

    def build(work: Path, group: RunGroup | None) -> list[str]:
        binds = [] if root else python_binds() if python_only else system_binds()
        return base_args(limits, home=WORK, root=root) + binds + [
            "--bind", str(work), WORK, "--chdir", cwd, "--json-status-fd", "{STATUS_FD}", "--block-fd", "{BLOCK_FD}", "--", *argv,
        ]

    return run_wrapped(NAME, build, files=files, stdin=stdin, limits=limits, collect=collect, workdir=workdir,
                       status_fd=True, block_fd=True, extra_fds=extra_fds)


def run_python(code: str, *, stdin: bytes, limits: Limits, files: Mapping[str, FileContent] | None,
               collect: Sequence[str], warm: bool) -> ExecResult:
    if not warm:
        return run([interpreter()[0], "-E", "-s", "-S", "-c", code], files=files, stdin=stdin, limits=limits, collect=collect, python_only=True)
    runner = warm_runner(limits)
    try:
        return runner.execute(code, stdin, limits, files, tuple(collect))
    finally:
        POOL.release(runner)


def warm_runner(limits: Limits) -> WarmRunner:
    """An idle warm runner for these limits from the pool, or a new one (release it to POOL after use)."""
    return POOL.acquire((NAME, limits.disk_mb), lambda: launch_runner(limits.disk_mb))


def launch_runner(disk_mb: int) -> Launched:
    """Starts a warm runner: bwrap with the zygote as PID 1 (--as-pid-1), talking over two pipes."""

    def build(read_fd: int, write_fd: int) -> list[str]:
        return base_args(Limits(disk_mb=disk_mb), home="/tmp/run") + python_binds() + [
            "--as-pid-1", "--chdir", "/tmp", "--", interpreter()[0], "-I", "-S", "-c", ZYGOTE_SOURCE, str(read_fd), str(write_fd),
        ]

    return spawn(build, NAME, {"PATH": SAFE_PATH})


def launch_session_agent(limits: Limits, work: Path, group: RunGroup | None, root: str | None = None) -> Launched:
    """A long-lived sandbox for a session: host /usr (or ``root``) read-only, the work dir at /work,
    the agent as PID 1 (run by the host's interpreter, or by the root file system's python3)."""
    executable, prefix = interpreter()

    def build(read_fd: int, write_fd: int) -> list[str]:
        if root:
            binds, python = [], "/usr/bin/python3"
        else:
            binds, python = system_binds(), executable
            if not prefix.startswith("/usr"):
                binds += ["--ro-bind", prefix, prefix]
        return base_args(limits, home=WORK, root=root) + binds + [
            "--bind", str(work), WORK, "--as-pid-1", "--chdir", WORK, "--",
            python, "-I", "-S", "-c", ZYGOTE_SOURCE, str(read_fd), str(write_fd), "session",
        ]

    wrapper = ["/bin/sh", "-c", wrapper_prefix(group, limits) + 'exec "$@"', "sh"]
    return spawn(build, NAME, {"PATH": SAFE_PATH}, prefix=wrapper, group=group)
