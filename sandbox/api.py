"""The sandbox's public functions: run_python, run, session, backends, and what each backend enforces.

`backend=None` (or "auto") picks the strongest backend here and warns when it must fall back to process.
Each backend is looked up in the registry (the `assay.sandbox.backends` package); nothing here knows their names.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence

from assay.errors import ConfigError, SandboxError

# from-imports: the package's name `backends` is also the public function below (assay.sandbox.backends())
from assay.sandbox.backends import Backend, get, loaded, names, ordered
from assay.sandbox.base import ExecResult, FileContent, Job, Limits
from assay.sandbox.images import DEFAULT_IMAGE, check_root
from assay.sandbox.session import Session

logger = logging.getLogger(__name__)

BACKENDS = names()
_warned: set[str] = set()
_warn_lock = threading.Lock()


def availability(name: str, image: str = DEFAULT_IMAGE) -> tuple[bool, str]:
    """Whether backend ``name`` works on this machine, and why not.

    >>> availability("process")
    (True, 'ok')
    """
    return get(name).availability(image)


def backends() -> list[str]:
    """The backends usable on this machine, strongest first.

    >>> "process" in backends()
    True
    """
    return [name for name in names() if availability(name)[0]]


_swept_for = 0


def _sweep_once() -> None:
    """At a process's first sandbox call: removes what owners that were killed left (in the background)."""
    global _swept_for
    with _warn_lock:
        if _swept_for == os.getpid():
            return
        _swept_for = os.getpid()

    def sweep() -> None:
        from assay.sandbox.owners import sweep_groups, sweep_temp_dirs

        try:
            sweep_temp_dirs()
            sweep_groups()
        except OSError as error:
            logger.warning("could not sweep what dead sandbox owners left: %s", error)

    threading.Thread(target=sweep, name="assay-sandbox-sweep", daemon=True).start()


def _pick(backend: str | None, purpose: str, image: str, root: object = None) -> Backend:
    """The backend to use: the one named (it must work here and take ``root`` if one is given)
    or the strongest available for ``purpose`` (one that takes a root file system, with ``root``)."""
    _sweep_once()
    if backend not in (None, "auto"):
        chosen = get(backend)
        works, why = chosen.availability(image)
        if not works:
            raise SandboxError(f"backend {backend!r} is not usable here: {why}")
    else:
        candidates = [b for b in ordered(purpose) if root is None or b.takes_root]
        usable = [b for b in candidates if b.availability(image)[0]]
        if not usable:
            raise SandboxError("no sandbox backend works here" + (" that takes a root file system" if root is not None else ""))
        chosen = usable[0]
        if chosen.weaknesses() and chosen is candidates[-1] and len(candidates) > 1:
            with _warn_lock:
                if purpose not in _warned:
                    _warned.add(purpose)
                    logger.warning("no stronger sandbox works here; falling back to the %s backend (%s)",
                                   chosen.name, "; ".join(chosen.weaknesses()))
    if root is not None and not chosen.takes_root:
        raise ConfigError("root", "needs a backend that takes a root file system (bwrap; docker uses image=)", chosen.name)
    return chosen


def resolve(backend: str | None, purpose: str = "code", image: str = DEFAULT_IMAGE) -> str:
    """The name of the backend to use: the one named (it must work here) or the strongest available.

    >>> resolve("process")
    'process'
    """
    return _pick(backend, purpose, image).name


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
    base = limits or Limits()
    limits = Limits(**{**base.__dict__, "timeout_s": timeout_s, "memory_mb": memory_mb})
    job = Job(_bytes(stdin), limits, files, tuple(collect))
    return _pick(backend, "code", DEFAULT_IMAGE).run_python(code, job, warm=warm, image=DEFAULT_IMAGE)


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
    chosen = _pick(backend, "code", image, root)
    job = Job(_bytes(stdin), limits or Limits(), files, tuple(collect))
    return chosen.run(list(argv), job, image=image, root=check_root(root))


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
    chosen = _pick(backend, "session", image, root)
    return chosen.open_session(limits or Limits(timeout_s=30.0), files, image=image, root=check_root(root))


def enforcement(backend: str) -> dict[str, str]:
    """How each limit is enforced by ``backend`` on this machine ("not enforced: ..." where it is not).

    >>> sorted(enforcement("process"))
    ['file size', 'identity', 'memory', 'network', 'output', 'processes', 'system calls', 'wall clock']
    """
    return get(backend).enforcement()


def prestart(backend: str | None = None, *, runners: int = 1, sessions: int = 0, image: str = DEFAULT_IMAGE,
             limits: Limits | None = None) -> None:
    """Starts warm runners (and, for docker, session containers) now, so the first calls are fast.

    >>> prestart("process")
    """
    from assay.sandbox.runner import POOL

    limits = limits or Limits()
    chosen = _pick(backend, "code", image)
    started = [runner for runner in (chosen.warm_runner(limits, image) for _ in range(runners)) if runner is not None]
    for runner in started:
        POOL.release(runner)
    if sessions:
        _pick(backend, "session", image).prestart_sessions(dataclasses.replace(limits, timeout_s=30.0), image)


def gc() -> dict[str, list[str]]:
    """Removes what sandbox owners that are gone (killed, or from an earlier boot) left behind:
    their containers, temp dirs and cgroups; returns what was removed, by kind.

    >>> sorted(gc())
    ['cgroups', 'containers', 'temp dirs']
    """
    from assay.sandbox.owners import sweep_groups, sweep_temp_dirs

    containers = [found for name in names() for found in get(name).sweep()]
    return {"containers": containers, "temp dirs": sweep_temp_dirs(), "cgroups": sweep_groups()}


_closers: list[Callable[[], None]] = []


def on_close_all(closer: Callable[[], None]) -> None:
    """Registers ``closer`` to run first in every ``close_all()``: for a holder of long-lived
    sandboxes outside this package (the terminal solvability checker keeps a session per process),
    so that close_all leaves nothing this process started. Registering the same function twice
    registers it once.

    >>> on_close_all(lambda: None)
    """
    with _warn_lock:
        if closer not in _closers:
            _closers.append(closer)


def close_all() -> None:
    """Stops every warm runner and pre-started container this process holds (also done at exit),
    and the sandboxes of what registered with ``on_close_all``.

    >>> close_all()
    """
    from assay.sandbox.cgroups import GROUPS
    from assay.sandbox.runner import POOL

    with _warn_lock:
        closers = list(_closers)
    for closer in closers:
        closer()
    POOL.close()
    GROUPS.close()
    for backend in loaded():
        backend.close()
