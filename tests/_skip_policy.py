"""A pytest plugin (loaded by tests/conftest.py): every skip is listed with its reason, and under
``ASSAY_REQUIRE_SANDBOXES=1`` (CI) more skips than the committed allowance fail the run.

The allowance is the first number in ``tests/skip_allowance.txt`` (``ASSAY_SKIP_ALLOWANCE``
overrides it). Raising it is a reviewed change with its reason written beside it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ALLOWANCE_FILE = Path(__file__).resolve().parent / "skip_allowance.txt"
_skips: list[tuple[str, str]] = []


def allowance() -> int:
    """The number of skips CI tolerates."""
    if "ASSAY_SKIP_ALLOWANCE" in os.environ:
        return int(os.environ["ASSAY_SKIP_ALLOWANCE"])
    for line in ALLOWANCE_FILE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*(\d+)\s*$", line)
        if match:
            return int(match.group(1))
    raise ValueError(f"no allowance number in {ALLOWANCE_FILE}")


def _enforced() -> bool:
    return os.environ.get("ASSAY_REQUIRE_SANDBOXES") == "1"


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skips.append((report.nodeid, _reason(report)))


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped:
        _skips.append((report.nodeid, _reason(report)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _enforced() and len(_skips) > allowance() and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    limit = allowance()
    enforced = _enforced()
    terminalreporter.section(f"skips: {len(_skips)} (allowance {limit}{'' if enforced else ', enforced in CI only'})")
    for nodeid, reason in _skips:
        terminalreporter.write_line(f"SKIP {nodeid}: {reason}")
    if enforced and len(_skips) > limit:
        terminalreporter.write_line(
            f"FAILED: {len(_skips)} skips exceed the allowance of {limit} in {ALLOWANCE_FILE.name}: make the "
            "machine provide what the skipped tests need, or fix the tests (raise the allowance only with a reason)", red=True)
