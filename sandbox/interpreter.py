"""Which Python the sandboxes run, and the one tree of files it needs (its binary and its prefix).

Venvs are looked through: a sandbox runs `python -I -S`, so only the base interpreter matters,
wherever it lives (a venv of copies under /tmp, pyenv under /root, /usr).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import PurePosixPath


@functools.lru_cache(maxsize=1)
def interpreter() -> tuple[str, str]:
    """The real interpreter (venvs, copies and symlinks resolved) and the prefix holding its stdlib.

    A venv made with copies (``venv.create(..., symlinks=False)``) has a copy of the binary that
    only works next to its ``pyvenv.cfg``; the base interpreter it names works anywhere.

    >>> executable, prefix = interpreter()
    >>> os.path.isabs(executable) and os.path.isabs(prefix)
    True
    """
    base = getattr(sys, "_base_executable", "") or sys.executable
    if not os.path.isfile(base):
        base = sys.executable
    return os.path.realpath(base), os.path.realpath(sys.base_prefix)


def tree() -> list[str]:
    """The paths a sandbox must show for the interpreter to run: its prefix, and its binary when
    that lies outside the prefix (Debian's /usr/bin/python3 has prefix /usr: only the binary and
    the stdlib folder, never all of /usr).

    >>> interpreter()[1] in tree() or interpreter()[0] in tree()
    True
    """
    executable, prefix = interpreter()
    if prefix == "/usr":
        version = f"/usr/lib/python{sys.version_info.major}.{sys.version_info.minor}"
        return [executable] + ([version] if os.path.isdir(version) else [])
    paths = [prefix]
    if not is_under(executable, prefix):
        paths.append(executable)
    return paths


def is_under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it (pure path logic, no file system access).

    >>> is_under("/tmp/venv/bin/python", "/tmp"), is_under("/tmpx/python", "/tmp")
    (True, False)
    """
    return PurePosixPath(folder) in (PurePosixPath(path), *PurePosixPath(path).parents)
