"""terminal/organize_by_extension: move files into folders named after their lower-cased extension."""

from __future__ import annotations

import random
from typing import Any

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import unique_names
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class OrganizeByExtension(TerminalTask):
    id = "terminal/organize_by_extension"
    description = "Move every file of a folder into a subfolder named by its lower-case extension (no extension: other/)."
    verification = "The listing of downloads/ must be exactly the moved paths and each moved file keeps its bytes."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        extensions = ("pdf", "PDF", "jpg", "Png", "txt", "zip") if config.traps else ("pdf", "jpg", "txt", "zip")
        names = unique_names(rng, config.items, config.traps, extensions, newline_ok=True)
        if config.steps >= 2:
            names += ["Makefile", "LICENSE"]
        tests: list[dict[str, Any]]
        tree, after, tests = [], [], []
        for name in names:
            content = f"content of {name}\n"
            tree.append(file_entry(f"downloads/{name}", content))
            stem, dot, ext = name.rpartition(".")
            folder = ext.lower() if dot and stem else "other"
            after.append(f"{folder}/{name}")
            tests.append({"kind": "file", "path": f"downloads/{folder}/{name}", "equals": content, "compare": "exact"})
        instruction = (
            "Move every regular file directly inside /work/downloads into a subfolder of downloads named after its "
            "extension in lower case (report.PDF goes to downloads/pdf/report.PDF; the extension is the text after the "
            "last dot of the name). Files without an extension go to downloads/other/. Keep the file names unchanged. "
            "Names may contain spaces, leading dots or newlines."
        )
        tests = [{"kind": "listing", "path": "downloads", "names": sorted(after), "name": "downloads/ listing"}] + tests[:6]
        reference = (
            "cd downloads\nfind . -maxdepth 1 -type f -print0 | while IFS= read -r -d '' f; do\n  name=\"${f#./}\"\n"
            "  stem=\"${name%.*}\"\n  if [[ \"$name\" == *.* && -n \"$stem\" ]]; then dir=\"${name##*.}\"; dir=\"${dir,,}\"; else dir=other; fi\n"
            "  mkdir -p -- \"$dir\" && mv -- \"$name\" \"$dir/\"\ndone"
        )
        return Spec(instruction, tree, tests, reference)
