"""Fixtures of the envs tests: a task whose verifier hangs, registered only while a test needs it."""

from __future__ import annotations

import os
import sys

import pytest

from assay.registry import _REGISTRY, get_task, register_task


@pytest.fixture
def hang_task():
    """``testing/hang`` (module ``_hang_task``, importable by worker processes through sys.path)."""
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:  # pytest's importlib mode does not add it; worker processes inherit sys.path
        sys.path.insert(0, here)
    import _hang_task

    register_task(_hang_task.Hang)  # again: an earlier test may have unregistered it
    try:
        yield get_task("testing/hang")
    finally:
        _REGISTRY.pop("testing/hang", None)
