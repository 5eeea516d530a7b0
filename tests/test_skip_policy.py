"""The skip policy (tests/_required.py, tests/_skip_policy.py) on a throwaway test file run by a
real pytest: skips are listed with their reasons, CI turns a missing requirement into a failure,
and more skips than the allowance fail the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

CASES = '''
import pytest
from _required import required_module, unavailable

def test_needs_a_thing():
    unavailable("no frobnicator here")

def test_needs_a_module():
    required_module("assay_no_such_module")

def test_plain_skip():
    pytest.skip("not on this platform")

def test_fine():
    assert True
'''


def run_pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_cases.py").write_text(CASES)
    environment = {k: v for k, v in os.environ.items() if k not in ("ASSAY_REQUIRE_SANDBOXES", "ASSAY_SKIP_ALLOWANCE")}
    environment.update(env, PYTHONPATH=str(TESTS))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "_skip_policy", "--rootdir", str(tmp_path),
               str(tmp_path / "test_cases.py")]
    return subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=False)


def test_locally_every_skip_is_listed_with_its_reason(tmp_path):
    result = run_pytest(tmp_path, ASSAY_SKIP_ALLOWANCE="0")
    assert result.returncode == 0, result.stdout
    assert "skips: 3 (allowance 0, enforced in CI only)" in result.stdout
    for reason in ("no frobnicator here", "assay_no_such_module cannot be imported", "not on this platform"):
        assert reason in result.stdout


def test_in_ci_a_missing_requirement_fails(tmp_path):
    result = run_pytest(tmp_path, ASSAY_REQUIRE_SANDBOXES="1", ASSAY_SKIP_ALLOWANCE="1")
    assert result.returncode == 1, result.stdout
    assert "2 failed, 1 passed, 1 skipped" in result.stdout
    assert "no frobnicator here (ASSAY_REQUIRE_SANDBOXES=1 requires it)" in result.stdout


def test_the_allowance_alone_fails_a_green_run(tmp_path):
    (tmp_path / "test_cases.py").write_text(CASES)
    environment = {**os.environ, "PYTHONPATH": str(TESTS), "ASSAY_REQUIRE_SANDBOXES": "1", "ASSAY_SKIP_ALLOWANCE": "0"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "_skip_policy", "--rootdir", str(tmp_path),
               "-k", "plain_skip or fine", str(tmp_path / "test_cases.py")]
    result = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1 and "1 passed, 1 skipped" in result.stdout, result.stdout
    assert "1 skips exceed the allowance of 0" in result.stdout


def test_the_committed_allowance_is_a_number():
    from _skip_policy import allowance

    assert allowance() >= 0
