"""The sandbox's public functions: run_python, run, session, backends, and what each backend enforces.

`backend=None` (or "auto") picks the strongest backend here and warns when it must fall back to process.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Mapping, Sequence

from assay.errors import ConfigError, SandboxError
from assay.sandbox import bwrap, process, seccomp
from assay.sandbox.base import ExecResult, FileContent, Limits
from assay.sandbox.cgroups import support
from assay.sandbox.images import DEFAULT_IMAGE
from assay.sandbox.session import AgentSession, CommandSession, Session

logger = logging.getLogger(__name__)

BACKENDS = ("bwrap", "docker", "process")
_ORDER = {"code": ("bwrap", "docker", "process"), "session": ("docker", "bwrap", "process")}
_warned: set[str] = set()
_warn_lock = threading.Lock()


def availability(name: str, image: str = DEFAULT_IMAGE) -> tuple[bool, str]:
    """Whether backend ``name`` works on this machine, and why not."""
    if name == "bwrap":
        return bwrap.available()
    if name == "docker":
        from assay.sandbox import containers

        return containers.available(image)
    if name == "process":
        return True, "ok"
    raise ConfigError("backend", f"must be one of {', '.join(BACKENDS)} or 'auto'", name)


def backends() -> list[str]:
    """The backends usable on this machine, strongest first.

    >>> "process" in backends()
    True
    """
    return [name for name in BACKENDS if availability(name)[0]]


def resolve(backend: str | None, purpose: str = "code", image: str = DEFAULT_IMAGE) -> str:
    """The backend to use: the one named (it must work here) or the strongest available for ``purpose``."""
    if backend not in (None, "auto"):
        works, why = availability(backend, image)
        if not works:
            raise SandboxError(f"backend {backend!r} is not usable here: {why}")
        return backend
    for name in _ORDER[purpose]:
        if availability(name, image)[0]:
            if name == "process":
                with _warn_lock:
                    if purpose not in _warned:
                        _warned.add(purpose)
                        logger.warning(
                            "no bwrap or docker sandbox works here; falling back to the process backend (%s)",
                            "; ".join(process.weaknesses()),
                        )
            return name
    raise SandboxError("no sandbox backend works here")  # unreachable: process always works


def _bytes(data: FileContent) -> bytes:
    return data.encode() if isinstance(data, str) else data


def run_python(
    code: str,
    *,
    stdin: FileContent = "",
    timeout_s: float = 5.0,
    memory_mb: int = 256,
    backend: str | None = None,
    files: Mapping[str, FileContent] | None = None,
    collect: Sequence[str] = (),
    warm: bool = True,
    limits: Limits | None = None,
) -> ExecResult:
    """Runs Python source like `python -I -S -c code` in a sandbox and reports what happened.

    ``files`` are written into the work dir first (it is the current directory and on sys.path);
    ``collect`` names files to read back into ``ExecResult.files``. ``warm`` (the default) uses a
    pre-forked runner: one interpreter per sandbox, a fresh forked child per run. ``limits`` sets
    the other limits (pids, output cap, file size); timeout_s and memory_mb always apply.

    >>> run_python("print(6 * 7)").stdout
    '42\\n'
    >>> run_python("while True: pass", timeout_s=0.2).status
    'timeout'
    """
    chosen = resolve(backend, "code")
    base = limits or Limits()
    limits = Limits(**{**base.__dict__, "timeout_s": timeout_s, "memory_mb": memory_mb})
    data = _bytes(stdin)
    if chosen == "bwrap":
        return bwrap.run_python(code, stdin=data, limits=limits, files=files, collect=collect, warm=warm)
    if chosen == "docker":
        from assay.sandbox import containers

        return containers.run_python(code, stdin=data, limits=limits, files=files, collect=collect, warm=warm)
    return process.run_python(code, stdin=data, limits=limits, files=files, collect=collect, warm=warm)


def run_python_many(code: str, stdins: Sequence[FileContent], **options: object) -> list[ExecResult]:
    """One program against many inputs (hidden tests): a warm runner makes each run a fork.

    >>> [r.stdout for r in run_python_many("print(int(input()) * 2)", ["1", "2"])]
    ['2\\n', '4\\n']
    """
    return [run_python(code, stdin=stdin, **options) for stdin in stdins]  # type: ignore[arg-type]


def run(
    argv: Sequence[str],
    *,
    files: Mapping[str, FileContent] | None = None,
    stdin: FileContent = "",
    limits: Limits | None = None,
    backend: str | None = None,
    collect: Sequence[str] = (),
    image: str = DEFAULT_IMAGE,
    root: str | os.PathLike | None = None,
) -> ExecResult:
    """Runs any command in a fresh sandbox, in a fresh work dir holding ``files``.

    bwrap binds the host's /usr read-only, or ``root`` (a root file system folder) as /; docker
    uses ``image``; process runs host binaries as an unprivileged user.

    >>> run(["sh", "-c", "cat data.txt | wc -l"], files={"data.txt": "a\\nb\\n"}).stdout.strip()
    '2'
    """
    if root is not None and backend in (None, "auto"):
        backend = "bwrap"
    chosen = resolve(backend, "code", image)
    if root is not None and chosen != "bwrap":
        raise ConfigError("root", "is only for the bwrap backend (docker uses image=)", chosen)
    limits = limits or Limits()
    data = _bytes(stdin)
    if chosen == "bwrap":
        return bwrap.run(list(argv), files=files, stdin=data, limits=limits, collect=collect, root=bwrap.check_root(root))
    if chosen == "docker":
        from assay.sandbox import containers

        return containers.run(list(argv), files=files, stdin=data, limits=limits, collect=collect, image=image)
    return process.run(list(argv), files=files, stdin=data, limits=limits, collect=collect)


def session(
    backend: str | None = None,
    *,
    image: str = DEFAULT_IMAGE,
    root: str | os.PathLike | None = None,
    files: Mapping[str, FileContent] | None = None,
    limits: Limits | None = None,
) -> Session:
    """A multi-turn sandbox (docker where a daemon answers, else bwrap, else process).

    docker runs ``image``; bwrap shows the host's /usr read-only, or with ``root`` (a folder such
    as ``assay.sandbox.images.extract_rootfs()``) that whole root file system instead.

    >>> with session("bwrap") as shell:  # doctest: +SKIP
    ...     _ = shell.exec("mkdir d && cd d")
    ...     shell.exec("pwd").stdout
    '/work/d\\n'
    """
    if root is not None and backend in (None, "auto"):
        backend = "bwrap"
    chosen = resolve(backend, "session", image)
    if root is not None and chosen != "bwrap":
        raise ConfigError("root", "is only for the bwrap backend (docker uses image=)", chosen)
    limits = limits or Limits(timeout_s=30.0)
    if chosen == "process" and not process.namespaces_available():
        return CommandSession(chosen, limits, files)
    return AgentSession(chosen, limits, files, image, root=bwrap.check_root(root))


def enforcement(backend: str) -> dict[str, str]:
    """How each limit is enforced by ``backend`` on this machine ("not enforced: ..." where it is not).

    >>> sorted(enforcement("process"))
    ['file size', 'identity', 'memory', 'network', 'output', 'processes', 'system calls', 'wall clock']
    """
    cgroups = support()
    if backend == "docker":
        return {
            "wall clock": "container killed at the deadline (warm runner: its child tree, by PID 1)",
            "memory": "container memory+swap limit (cgroup) and RLIMIT_AS in warm runs",
            "processes": "container pids limit",
            "network": "network mode none",
            "output": "attach stream read with a byte cap",
            "file size": "RLIMIT_FSIZE; /tmp is a size-limited tmpfs",
            "system calls": "docker's default seccomp profile; no capabilities, no-new-privileges",
            "identity": "uid 1000 in the container (not remapped: uid 1000 on the host too)",
        }
    memory = "RLIMIT_AS" + (" and a memory cgroup" if cgroups.memory else " only (no memory cgroup here)")
    processes = "pids cgroup" if cgroups.pids else f"not enforced: no pids cgroup ({cgroups.reason})"
    if backend == "bwrap":
        return {
            "wall clock": "kill of the PID namespace (and cgroup)",
            "memory": memory,
            "processes": processes,
            "network": "empty network namespace",
            "output": "pipes read with a byte cap",
            "file size": "RLIMIT_FSIZE; /tmp is a size-limited tmpfs",
            "system calls": "seccomp filter (assay.sandbox.seccomp)" if seccomp.program() else "not filtered: no seccomp filter for this architecture",
            "identity": f"uid {bwrap.SANDBOX_UID} in a user namespace; on the host the caller's uid ({os.geteuid()}), without capabilities",
        }
    contained = process.namespaces_available()
    return {
        "wall clock": "kill of the PID namespace (and cgroup)" if contained else "kill of the session (and cgroup)",
        "memory": memory,
        "processes": processes if contained or cgroups.pids else "not enforced: no pids cgroup, no namespace",
        "network": "empty network namespace" if contained else "not enforced: no network namespace without root",
        "output": "pipes read with a byte cap",
        "file size": "RLIMIT_FSIZE" + ("; /tmp is a size-limited tmpfs" if contained else ""),
        "system calls": "not filtered (no seccomp); no capabilities, no-new-privileges" if contained else "not filtered",
        "identity": f"uid {process.NOBODY} (nobody)" if process.is_root() else f"the caller's uid ({os.geteuid()}): not root, so no switch",
    }


def prestart(backend: str | None = None, *, runners: int = 1, sessions: int = 0, image: str = DEFAULT_IMAGE,
             limits: Limits | None = None) -> None:
    """Starts warm runners (and, for docker, session containers) now, so the first calls are fast.

    >>> prestart("process")
    """
    from assay.sandbox.runner import POOL

    limits = limits or Limits()
    chosen = resolve(backend, "code", image)
    started = []
    for _ in range(runners):
        if chosen == "bwrap":
            started.append(bwrap.warm_runner(limits))
        elif chosen == "process" and process.namespaces_available():
            started.append(process.warm_runner(limits))
        elif chosen == "docker":
            from assay.sandbox import containers

            started.append(containers.warm_runner(limits, image))
    for runner in started:
        POOL.release(runner)
    if sessions and resolve(backend, "session", image) == "docker":
        from assay.sandbox.containers import CONTAINER_POOL

        CONTAINER_POOL.prestart(image, dataclasses.replace(limits, timeout_s=30.0))


def close_all() -> None:
    """Stops every warm runner and pre-started container this process holds (also done at exit).

    >>> close_all()
    """
    from assay.sandbox.cgroups import GROUPS
    from assay.sandbox.runner import POOL

    POOL.close()
    GROUPS.close()
    if "assay.sandbox.containers" in __import__("sys").modules:
        from assay.sandbox.containers import CONTAINER_POOL

        CONTAINER_POOL.close()
