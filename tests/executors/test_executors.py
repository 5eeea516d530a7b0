"""The executor table: every name verify_batch accepts resolves, and the core reaches its
executors without importing the envs layer."""

from __future__ import annotations

import subprocess
import sys

import pytest

import assay
from assay.executors import VERIFY_EXECUTORS, verify_executor
from assay.scoring import EXECUTORS


def test_every_executor_name_resolves_to_a_verify_items():
    assert set(EXECUTORS) == set(VERIFY_EXECUTORS) == {"process", "inline", "ray"}
    for name in VERIFY_EXECUTORS:
        assert callable(verify_executor(name))


def test_inline_and_process_give_the_same_verdicts():
    problems = assay.generate("math/arithmetic", 12, seed=3)
    completions = [f"<answer>{p.answer}</answer>" if i % 2 else "<answer>0.5</answer>" for i, p in enumerate(problems)]
    inline = assay.verify_batch(problems, completions, executor="inline")
    assert assay.verify_batch(problems, completions, executor="process", workers=2) == inline
    assert [v.passed for v in inline] == [bool(i % 2) for i in range(12)]


@pytest.mark.parametrize("module", ["assay", "assay.scoring", "assay.corpus", "assay.datasets", "assay.executors.ray",
                                    "assay.executors.pool", "assay.cli"])
def test_the_core_never_imports_envs(module):
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('assay.envs')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
