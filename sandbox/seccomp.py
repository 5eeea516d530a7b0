"""A seccomp filter for bwrap sandboxes: refuses the system calls that only widen the kernel's attack surface.

Built as raw classic BPF (no libseccomp needed) for x86_64 and aarch64; other architectures run unfiltered.
"""

from __future__ import annotations

import errno
import logging
import os
import platform
import struct

logger = logging.getLogger(__name__)

# Kernel keyrings, eBPF, userfaultfd, perf, io_uring, modules, kexec, mounts, namespaces, swap,
# clocks, reboot, accounting, handle-based opens and fanotify: nothing a test program needs.
DENIED = (
    "add_key", "request_key", "keyctl", "bpf", "userfaultfd", "perf_event_open",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module", "mount", "umount2", "pivot_root", "move_mount",
    "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "unshare", "setns",
    "swapon", "swapoff", "reboot", "acct", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "open_by_handle_at", "name_to_handle_at", "fanotify_init", "quotactl", "lookup_dcookie",
)
SYSCALLS = {
    "x86_64": {
        "add_key": 248, "request_key": 249, "keyctl": 250, "bpf": 321, "userfaultfd": 323, "perf_event_open": 298,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "kexec_load": 246,
        "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176, "mount": 165,
        "umount2": 166, "pivot_root": 155, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mount_setattr": 442, "unshare": 272, "setns": 308, "swapon": 167,
        "swapoff": 168, "reboot": 169, "acct": 163, "settimeofday": 164, "clock_settime": 227,
        "clock_adjtime": 305, "adjtimex": 159, "open_by_handle_at": 304, "name_to_handle_at": 303,
        "fanotify_init": 300, "quotactl": 179, "lookup_dcookie": 212,
    },
    "aarch64": {
        "add_key": 217, "request_key": 218, "keyctl": 219, "bpf": 280, "userfaultfd": 282, "perf_event_open": 241,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "kexec_load": 104,
        "kexec_file_load": 294, "init_module": 105, "finit_module": 273, "delete_module": 106, "mount": 40,
        "umount2": 39, "pivot_root": 41, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mount_setattr": 442, "unshare": 97, "setns": 268, "swapon": 224,
        "swapoff": 225, "reboot": 142, "acct": 89, "settimeofday": 170, "clock_settime": 112,
        "clock_adjtime": 266, "adjtimex": 171, "open_by_handle_at": 265, "name_to_handle_at": 264,
        "fanotify_init": 262, "quotactl": 60, "lookup_dcookie": 18,
    },
}
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}

_LD_ABS_W, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW, _RET_KILL = 0x7FFF0000, 0x80000000
_RET_EPERM = 0x00050000 | errno.EPERM
_X32_BIT = 0x40000000


def _op(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program(machine: str | None = None) -> bytes | None:
    """The filter as bytes of `struct sock_filter` for bwrap --seccomp, or None on an unknown architecture.

    >>> len(program("x86_64")) % 8
    0
    """
    machine = machine or platform.machine()
    numbers = SYSCALLS.get(machine)
    if numbers is None:
        return None
    denied = [numbers[name] for name in DENIED]
    count = len(denied)
    code = [
        _op(_LD_ABS_W, 0, 0, 4),  # seccomp_data.arch
        _op(_JEQ_K, 1, 0, AUDIT_ARCH[machine]),
        _op(_RET_K, 0, 0, _RET_KILL),  # another ABI (i386 through int 0x80): refuse outright
        _op(_LD_ABS_W, 0, 0, 0),  # seccomp_data.nr
    ]
    if machine == "x86_64":
        code.append(_op(_JGE_K, count + 1, 0, _X32_BIT))  # the x32 ABI: to EPERM
    for index, number in enumerate(denied):
        code.append(_op(_JEQ_K, count - index, 0, number))
    code += [_op(_RET_K, 0, 0, _RET_ALLOW), _op(_RET_K, 0, 0, _RET_EPERM)]
    return b"".join(code)


_warned = False


def filter_fd() -> int | None:
    """A fresh memfd holding the filter (bwrap reads it once), or None where no filter exists."""
    global _warned
    data = program()
    if data is None:
        if not _warned:
            _warned = True
            logger.warning("no seccomp filter for %s: bwrap sandboxes run without one", platform.machine())
        return None
    fd = os.memfd_create("assay-seccomp")
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
