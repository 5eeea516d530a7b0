"""The Backend protocol every sandbox backend implements, and the registry the API looks them up in.

A backend is one module here (bwrap, docker, process) with one object implementing `Backend`;
`register` adds another by name and entry point ("package.module:attribute", imported lazily).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from assay.errors import ConfigError

if TYPE_CHECKING:
    from assay.sandbox.base import ExecResult, FileContent, Job, Limits
    from assay.sandbox.runner import WarmRunner
    from assay.sandbox.session import Session, SessionAgent

PURPOSES = ("code", "session")


@runtime_checkable
class Backend(Protocol):
    """One way of containing a program. ``rank`` orders backends per purpose ("code": one-shot
    programs, "session": multi-turn shells), lowest first; ``takes_root`` says whether ``run``
    and ``open_session`` accept a root file system folder."""

    name: str
    rank: Mapping[str, int]
    takes_root: bool

    def availability(self, image: str) -> tuple[bool, str]:
        """Whether it works on this machine (for docker: with ``image``), and why not."""
        ...

    def weaknesses(self) -> list[str]:
        """What it cannot enforce on this machine, said plainly (empty when nothing)."""
        ...

    def enforcement(self) -> dict[str, str]:
        """How each limit is enforced here, keyed by the names `assay.sandbox.enforcement` lists."""
        ...

    def run(self, argv: Sequence[str], job: Job, *, image: str, root: str | None) -> ExecResult:
        """One command in a fresh sandbox over a fresh work dir holding the job's files."""
        ...

    def run_python(self, code: str, job: Job, *, warm: bool, image: str) -> ExecResult:
        """Python source run like `python -I -S -c code`; ``warm``: through a warm runner."""
        ...

    def warm_runner(self, limits: Limits, image: str) -> WarmRunner | None:
        """An idle warm runner from the pool or a new one (None where this backend has none here);
        give it back with `assay.sandbox.runner.POOL.release`."""
        ...

    def session_agent(self, limits: Limits, *, image: str, root: str | None) -> SessionAgent | None:
        """A started sandbox with the session agent as PID 1 (None where none can run here)."""
        ...

    def open_session(self, limits: Limits, files: Mapping[str, FileContent] | None, *, image: str,
                     root: str | None) -> Session:
        """A multi-turn session: an AgentSession over ``session_agent``, or this backend's fallback."""
        ...

    def prestart_sessions(self, limits: Limits, image: str) -> None:
        """Starts session sandboxes ahead of use where that pays (docker); a no-op elsewhere."""
        ...

    def close(self) -> None:
        """Releases what the backend keeps between calls (pre-started containers)."""
        ...

    def sweep(self) -> list[str]:
        """Removes the sandboxes of owners that are gone (containers); returns what it removed."""
        ...


_ENTRIES: dict[str, str] = {
    "bwrap": "assay.sandbox.backends.bwrap:BACKEND",
    "docker": "assay.sandbox.backends.docker:BACKEND",
    "process": "assay.sandbox.backends.process:BACKEND",
}
_LOADED: dict[str, Backend] = {}
_lock = threading.Lock()


def register(name: str, entry: str | Backend) -> None:
    """Adds a backend under ``name``: an object, or "module:attribute" imported on first use.

    >>> register("process", "assay.sandbox.backends.process:BACKEND")  # re-registering is allowed
    """
    with _lock:
        _LOADED.pop(name, None)
        if isinstance(entry, str):
            _ENTRIES[name] = entry
        else:
            _ENTRIES[name] = f"<object {entry!r}>"
            _LOADED[name] = entry


def unregister(name: str) -> None:
    """Removes a backend added with `register` (the API no longer offers it).

    >>> register("process-again", get("process")); unregister("process-again"); "process-again" in names()
    False
    """
    with _lock:
        _ENTRIES.pop(name, None)
        _LOADED.pop(name, None)


def names() -> tuple[str, ...]:
    """Every registered backend's name, in registration order.

    >>> names()[:3]
    ('bwrap', 'docker', 'process')
    """
    return tuple(_ENTRIES)


def get(name: str) -> Backend:
    """The backend registered as ``name``; an unknown name is a ConfigError naming the choices.

    >>> get("process").name
    'process'
    """
    with _lock:
        if name in _LOADED:
            return _LOADED[name]
        entry = _ENTRIES.get(name)
        if entry is None:
            raise ConfigError("backend", f"must be one of {', '.join(_ENTRIES)} or 'auto'", name)
        module, _, attribute = entry.partition(":")
        backend = getattr(importlib.import_module(module), attribute)
        if not isinstance(backend, Backend):
            raise TypeError(f"{entry} does not implement the Backend protocol")
        _LOADED[name] = backend
        return backend


def loaded() -> list[Backend]:
    """The backends imported so far (closing the others would only import them).

    >>> all(isinstance(b, Backend) for b in loaded())
    True
    """
    with _lock:
        return list(_LOADED.values())


def ordered(purpose: str) -> list[Backend]:
    """Every backend, strongest first for ``purpose`` ("code" or "session").

    >>> [b.name for b in ordered("session")][:3]
    ['docker', 'bwrap', 'process']
    """
    if purpose not in PURPOSES:
        raise ConfigError("purpose", f"must be one of {', '.join(PURPOSES)}", purpose)
    return sorted((get(name) for name in names()), key=lambda b: b.rank.get(purpose, 1 << 30))
