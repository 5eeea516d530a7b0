"""terminal/find_recent_files: copy the files modified after a date into another folder, keeping paths."""

from __future__ import annotations

import random
import time
from typing import Any

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import unique_names, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class FindRecentFiles(TerminalTask):
    id = "terminal/find_recent_files"
    description = "Copy every file modified on or after a date (find -newermt) to recent/, keeping relative paths."
    verification = ("recent/ must list exactly the recent files with their bytes; the originals stay in place. One file is "
                    "modified exactly at the cutoff and one a second before it (find -newermt DATE, strictly after, fails).")
    version = 2  # v2: the boundary files are always at the cutoff and one second before (v1: drawn from -1, 0, +1)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        cutoff = 1_709_251_200 + 86_400 * rng.randrange(5, 20)  # a midnight in March 2024, UTC
        names = unique_names(rng, config.items, config.traps, ("txt", "log", "csv"))
        folders = ["", f"{word(rng)}/", f"{word(rng)}/{word(rng)}/"]
        tests: list[dict[str, Any]]
        tree, recent, tests = [], [], []
        for index, name in enumerate(names):
            path = rng.choice(folders) + name
            offset = (0, -1)[index] if index < 2 else rng.randrange(-86_400 * 10, 86_400 * 10)
            mtime = cutoff + offset
            content = f"{name} {mtime}\n"
            tree.append(file_entry(f"projects/{path}", content, mtime=mtime))
            if mtime >= cutoff:
                recent.append(path)
                tests.append({"kind": "file", "path": f"recent/{path}", "equals": content, "compare": "exact"})
        day = time.strftime("%Y-%m-%d", time.gmtime(cutoff))
        instruction = (
            f"Copy every regular file under /work/projects whose modification time is at or after {day} 00:00:00 UTC "
            "into /work/recent, keeping its path relative to projects (projects/a/b.txt becomes recent/a/b.txt). "
            "Leave projects unchanged; create recent even if nothing qualifies."
        )
        tests = [{"kind": "listing", "path": "recent", "names": sorted(recent), "name": "recent/ listing"}] + tests[:6]
        tests.append({"kind": "listing", "path": "projects", "names": sorted(e["path"][len("projects/"):] for e in tree), "name": "projects unchanged"})
        reference = (
            "mkdir -p recent\ncd projects\n"
            f"find . -type f -newermt @{cutoff - 1} -print0 | while IFS= read -r -d '' f; do\n"
            "  mkdir -p -- \"../recent/$(dirname -- \"$f\")\" && cp -p -- \"$f\" \"../recent/$f\"\ndone"
        )
        return Spec(instruction, tree, tests, reference)
