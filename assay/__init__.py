"""Assay: verifiable-reward environments and datasets for RL of language models.

The public contract (DESIGN.md section 3) is re-exported here; sub-packages load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from assay.errors import AssayError, ConfigError, DatasetError, DependencyMissing, SandboxError, TaskNotFound
from assay.registry import Draft, Probe, Task, TaskConfig, get_task, list_tasks, register_task, wrap
from assay.scoring import generate, verify, verify_batch
from assay.types import Problem, Verdict

__version__ = "0.1.0"

__all__ = [
    "AssayError", "ConfigError", "DatasetError", "DependencyMissing", "Draft", "Probe", "Problem",
    "SandboxError", "Task", "TaskConfig", "TaskNotFound", "Verdict", "__version__", "generate",
    "get_task", "list_tasks", "register_task", "verify", "verify_batch", "wrap",
]

_SUBPACKAGES = {"generators", "verifiers", "sandbox", "envs"}


def __getattr__(name: str) -> Any:
    # `import assay` then `assay.<sub-package>.<name>` works without importing them all up front
    if name in _SUBPACKAGES:
        return importlib.import_module(f"assay.{name}")
    raise AttributeError(f"module 'assay' has no attribute {name!r}")
