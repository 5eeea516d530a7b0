"""assay.sandbox: run model-written programs contained (bwrap, docker or process), fast.

`run_python` for code, `run` for any command, `session` for multi-turn shells; `backends()` says what works here.
"""

from __future__ import annotations

from assay.sandbox.api import (
    BACKENDS,
    backends,
    close_all,
    enforcement,
    gc,
    on_close_all,
    prestart,
    run,
    run_python,
    run_python_many,
    session,
)
from assay.sandbox.base import STATUSES, ExecResult, Limits
from assay.sandbox.session import Session

__all__ = [
    "BACKENDS",
    "STATUSES",
    "ExecResult",
    "Limits",
    "Session",
    "backends",
    "close_all",
    "enforcement",
    "gc",
    "on_close_all",
    "prestart",
    "run",
    "run_python",
    "run_python_many",
    "session",
]
