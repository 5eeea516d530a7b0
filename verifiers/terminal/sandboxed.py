"""Where terminal scripts run: a fresh sandbox session at the task's initial tree, the final tree
copied out as an archive, and each command test in its own fresh sandbox built from that archive.
"""

from __future__ import annotations

import io
import logging
import os
import tarfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.errors import SandboxError
from assay.sandbox import BACKENDS, Limits, Session, session
from assay.sandbox.api import availability
from assay.verifiers.terminal.tree import build_archive

logger = logging.getLogger(__name__)

SCRIPT_TIMEOUT_S = 30.0
COMMAND_TIMEOUT_S = 10.0
INPUTS_DIR = "/tmp/assay-in"  # where a command test's hidden inputs are written (outside the work tree)
# One shape for every terminal session, so the docker backend's pool of started containers is hit.
SESSION_LIMITS = Limits(timeout_s=SCRIPT_TIMEOUT_S, memory_mb=512, pids=128, file_size_mb=32, disk_mb=64, output_bytes=1 << 20)
RESTORE = "tar -xpf - --no-same-owner"
BACKEND_VARIABLE = "ASSAY_TERMINAL_BACKEND"
_root_lock = threading.Lock()
_roots: dict[str, Any] = {}


def choose_backend(backend: str | None = None, *, purpose: str = "verify") -> str:
    """The backend terminal work uses: the one named, else $ASSAY_TERMINAL_BACKEND, else for
    verification bwrap over the base image's root (the fastest fresh sandbox), then docker; for
    episodes docker (its pool of started containers), then bwrap; process last.
    """
    if backend in (None, "auto"):
        backend = os.environ.get(BACKEND_VARIABLE) or None  # e.g. ASSAY_TERMINAL_BACKEND=docker assay audit terminal
    if backend not in (None, "auto"):
        return str(backend)
    # asked one at a time, in order: docker's answer costs a call to its daemon, which verification
    # over bwrap never needs (this runs for every check and every grading)
    if purpose == "verify" and usable("bwrap") and debian_root() is not None:
        return "bwrap"
    for name in ("docker", "bwrap", "process"):
        if usable(name):
            return name
    raise SandboxError("no sandbox backend works here")


def usable(name: str) -> bool:
    """Whether backend ``name`` works here (``name in assay.sandbox.backends()``, asking only about it).

    >>> usable("process"), usable("no-such-backend")
    (True, False)
    """
    return name in BACKENDS and availability(name)[0]


def debian_root() -> Any:
    """The base image's root file system as a folder for bwrap (None where it cannot be had:
    bwrap then shows the host's /usr, whose tools may differ)."""
    with _root_lock:
        if "root" not in _roots:
            from assay.sandbox.images import extract_rootfs

            try:
                _roots["root"] = extract_rootfs()
            except (SandboxError, OSError) as error:
                logger.warning("no Debian root for bwrap terminal sessions (%s); using the host's /usr", error)
                _roots["root"] = None
        return _roots["root"]


def open_session(backend: str | None = None, *, purpose: str = "verify") -> Session:
    """A fresh, empty terminal session on ``backend`` (see choose_backend)."""
    chosen = choose_backend(backend, purpose=purpose)
    root = debian_root() if chosen == "bwrap" else None
    return session(chosen, root=root, limits=SESSION_LIMITS)


def restore(shell: Session, archive: bytes) -> None:
    """Unpacks a tree the agent left into the session's work dir, by tar inside the sandbox (whatever
    the tree holds, links to host paths included, it can only touch the sandbox)."""
    done = shell.exec(RESTORE, stdin=archive, timeout_s=30)
    if not done.ok:
        raise SandboxError(f"could not restore the work tree: {done.status} {done.stderr[-300:]}")


def open_at(tree: Sequence[Mapping[str, Any]], backend: str | None = None, *, purpose: str = "verify") -> Session:
    """A fresh session whose work dir holds the initial ``tree``."""
    shell = open_session(backend, purpose=purpose)
    try:
        shell.unpack(build_archive(tree))  # a trusted tree: unpacked from the host side, nothing runs inside
    except BaseException:
        shell.close()
        raise
    return shell


@dataclass(frozen=True)
class ScriptRun:
    """The final tree after a script ran (``archive``) and how the script ended."""

    archive: bytes
    status: str
    exit_code: int | None
    stdout: str
    stderr: str
    wall_s: float


def run_script(tree: Sequence[Mapping[str, Any]], script: str, *, backend: str | None = None,
               timeout_s: float = SCRIPT_TIMEOUT_S) -> ScriptRun:
    """Runs ``script`` (as one bash program, from the work dir) in a fresh session at ``tree``."""
    with open_at(tree, backend) as shell:
        result = shell.exec(script, timeout_s=timeout_s) if script.strip() else None
        archive = shell.archive()
    if result is None:
        return ScriptRun(archive, "ok", 0, "", "", 0.0)
    return ScriptRun(archive, result.status, result.exit_code, result.stdout, result.stderr, result.wall_s)


def inputs_archive(inputs: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, text in sorted(inputs.items()):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def run_command_test(archive: bytes, spec: Mapping[str, Any], *, backend: str | None = None) -> dict[str, Any]:
    """One command test in a fresh sandbox built from the final tree; its result, judged outside."""
    with open_session(backend) as shell:
        restored = shell.exec(RESTORE, stdin=archive, timeout_s=30)
        if restored.status not in ("ok", "error"):  # tar's complaints about odd entries do not void the run
            raise SandboxError(f"could not restore the work tree: {restored.status} {restored.stderr[-300:]}")
        if spec.get("inputs"):
            placed = shell.exec(f"mkdir -p {INPUTS_DIR} && tar -xf - -C {INPUTS_DIR}", stdin=inputs_archive(spec["inputs"]), timeout_s=30)
            if not placed.ok:
                raise SandboxError(f"could not place the test inputs: {placed.stderr[-300:]}")
        result = shell.exec(spec["run"], stdin=str(spec.get("stdin", "")), timeout_s=float(spec.get("timeout_s", COMMAND_TIMEOUT_S)))
    return {"status": result.status, "exit_code": result.exit_code, "stdout": result.stdout, "stderr": result.stderr[-2000:]}
