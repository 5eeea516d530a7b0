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
    assert {"README.md", "architecture.md", "verdicts.md", "math.md", "graph.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_examples_run(page: Path) -> None:
    result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} example(s) on {page.name} failed"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_links_to_pages_resolve(page: Path) -> None:
    for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text(encoding="utf-8")):
        assert (page.parent / target).is_file(), f"{page.name} links to missing {target}"
