"""Terminal verifier fixtures: the sandbox backends terminal tasks run on (docker, bwrap)."""

from __future__ import annotations

import os

import pytest

from assay.sandbox import backends, close_all

TERMINAL_BACKENDS = ("docker", "bwrap")


@pytest.fixture(params=TERMINAL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param not in backends():
        if os.environ.get("ASSAY_REQUIRE_SANDBOXES") == "1":
            pytest.fail(f"backend {request.param} is required (ASSAY_REQUIRE_SANDBOXES=1) but unusable here")
        pytest.skip(f"backend {request.param} unusable here")
    yield request.param
    close_all()
