"""The project's own pages (docs/*.md) stay true: every ``>>>`` example on them runs, and every page
they link to exists."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md"))


def test_there_are_pages() -> None:
    names = {page.name for page in PAGES}
    assert {"README.md", "architecture.md", "verdicts.md", "math.md", "graph.md", "sql.md", "code.md", "terminal.md", "sandbox.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_examples_run(page: Path) -> None:
    text = re.sub(r"^```.*$", "", page.read_text(encoding="utf-8"), flags=re.M)  # a fence ends an example's output
    test = doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0, f"examples on {page.name} failed"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_links_to_pages_resolve(page: Path) -> None:
    for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text(encoding="utf-8")):
        assert (page.parent / target).is_file(), f"{page.name} links to missing {target}"
