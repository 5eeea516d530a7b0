"""What the test suite needs from the machine, and the skips CI does not allow.

Locally a missing sandbox, cgroup or optional package skips the tests that need it, with the
reason. Under ``ASSAY_REQUIRE_SANDBOXES=1`` (CI: a machine that has everything) the same test
fails instead, so a broken host can never pass as a green run.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NoReturn

import pytest

REQUIRED = os.environ.get("ASSAY_REQUIRE_SANDBOXES") == "1"


def unavailable(why: str) -> NoReturn:
    """Skip the running test because ``why``; under ASSAY_REQUIRE_SANDBOXES=1 fail it instead."""
    if REQUIRED:
        pytest.fail(f"{why} (ASSAY_REQUIRE_SANDBOXES=1 requires it)")
    pytest.skip(why)


def required_module(name: str) -> ModuleType:
    """``importlib.import_module(name)``; a missing module is ``unavailable`` (a skip, or in CI a failure)."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        unavailable(f"{name} cannot be imported: {error}")
