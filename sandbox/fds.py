"""Placeholders in a sandbox's argv that become inherited file descriptors where the process starts.

"{SECCOMP}" turns into `--seccomp FD` (the filter in a memfd); "{PATH-FD}/some/path" into the number
of an O_PATH handle on that path, opened by the caller (root can hand bwrap, running as an
unprivileged uid, a folder that uid could not reach by name, such as an interpreter under /root).
"""

from __future__ import annotations

import os

from assay.sandbox.seccomp import filter_fd

SECCOMP = "{SECCOMP}"
PATH_FD = "{PATH-FD}"


def path_fd(path: str) -> str:
    """The placeholder for an O_PATH handle on ``path``.

    >>> path_fd("/usr")
    '{PATH-FD}/usr'
    """
    return PATH_FD + path


def open_fds(argv: list[str], pass_fds: list[int]) -> tuple[list[str], list[int]]:
    """``argv`` with every placeholder replaced; the fds are added to ``pass_fds`` and returned so
    the caller closes them once the child started (its copies stay open in the child).

    >>> argv, fds = open_fds(["bwrap", path_fd("/"), "x"], passed := [])
    >>> argv[1] == str(fds[0]) and passed == fds
    True
    >>> for fd in fds: os.close(fd)
    """
    out: list[str] = []
    opened: list[int] = []
    try:
        for arg in argv:
            if arg == SECCOMP:
                fd = filter_fd()
                if fd is not None:
                    opened.append(fd)
                    out += ["--seccomp", str(fd)]
            elif arg.startswith(PATH_FD):
                fd = os.open(arg[len(PATH_FD):], os.O_PATH | os.O_CLOEXEC)
                opened.append(fd)
                out.append(str(fd))
            else:
                out.append(arg)
    except OSError:
        for fd in opened:
            os.close(fd)
        raise
    pass_fds.extend(opened)
    return out, opened
