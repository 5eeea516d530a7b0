"""Every docstring example in the package runs (as sqlglot's tests/test_docs.py does)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import assay

# run-as-program modules
SKIP = {"assay.__main__", "assay.executors.pool_worker", "assay.executors.generation_worker", "assay.sandbox._zygote"}


def modules() -> list[str]:
    names = ["assay"]
    for package in ("assay", "assay.generators", "assay.verifiers", "assay.sandbox", "assay.envs"):
        module = importlib.import_module(package)
        names += [m.name for m in pkgutil.walk_packages(module.__path__, package + ".") if m.name not in SKIP]
    return sorted(set(names))


def examples(name: str) -> list[doctest.DocTest]:
    """The docstring examples of module ``name`` (only docstrings that hold at least one)."""
    return [test for test in doctest.DocTestFinder(exclude_empty=True).find(importlib.import_module(name), name) if test.examples]


# only modules that hold examples: a module without one would be a test that cannot fail
WITH_EXAMPLES = [name for name in modules() if examples(name)]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = examples(name)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 1, f"every example of {name} is skipped (+SKIP): nothing runs"
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {name}"


def test_public_functions_have_examples():
    missing = []
    for name in ("generate", "verify", "verify_batch", "list_tasks", "get_task"):
        doc = getattr(assay, name).__doc__ or ""
        if ">>>" not in doc:
            missing.append(name)
    assert not missing
