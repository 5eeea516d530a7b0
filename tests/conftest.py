"""Test-wide settings: offline hubs, the real interpreter for subprocesses, the skip policy;
shared fixtures."""

import os
import sys

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# helpers (_required, _skip_policy, task modules) import by name under any --import-mode
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

pytest_plugins = ["_skip_policy"]


@pytest.fixture
def hang_task():
    """``testing/hang`` (module ``_hang_task``, importable by worker processes through sys.path),
    registered only while a test needs it (other tests list the registry)."""
    if TESTS not in sys.path:  # pytest's importlib mode does not add it; worker processes inherit sys.path
        sys.path.insert(0, TESTS)
    import _hang_task

    from assay.registry import _REGISTRY, get_task, register_task

    register_task(_hang_task.Hang)  # again: an earlier test may have unregistered it
    try:
        yield get_task("testing/hang")
    finally:
        _REGISTRY.pop("testing/hang", None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` run first (a stable sort: the rest keep their order), so that under
    pytest-xdist no worker starts a minute-long test when the others are nearly done."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
