"""terminal/deduplicate_files: delete files whose content duplicates another's, keeping the first name."""

from __future__ import annotations

import random

from assay.generators.terminal._base import (
    Spec,
    TerminalConfig,
    TerminalTask,
    sorted_names,
)
from assay.generators.terminal._data import unique_names, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class DeduplicateFiles(TerminalTask):
    id = "terminal/deduplicate_files"
    description = "Remove duplicate-content files from a folder tree, keeping the path first in byte order of each group."
    verification = "The listing of inbox/ must be exactly the kept paths, each with its original bytes."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        names = unique_names(rng, config.items * 2, config.traps, ("txt", "dat", "md"), newline_ok=True)
        folders = ["", "a/", "b/c/"] if config.steps >= 2 else [""]
        contents = [f"{word(rng)} {word(rng)} {i}\n" for i in range(config.items)]
        groups: dict[str, list[str]] = {}
        tree = []
        for name in names:
            path = rng.choice(folders) + name
            content = rng.choice(contents)
            if config.traps and rng.random() < 0.15:
                content = content.rstrip("\n")  # same text without the final newline: not a duplicate
            tree.append(file_entry(f"inbox/{path}", content))
            groups.setdefault(content, []).append(path)
        kept = sorted_names([sorted_names(paths)[0] for paths in groups.values()])
        where = "anywhere under /work/inbox (subfolders included)" if config.steps >= 2 else "in /work/inbox"
        instruction = (
            f"Some files {where} have exactly the same bytes as others. For every group of identical files keep only the "
            "one whose path relative to inbox/ comes first in byte order (LC_ALL=C), and delete the others. Files whose "
            "content is unique stay. Names may contain spaces, leading dots or even newlines."
        )
        by_path = {entry["path"]: entry["text"] for entry in tree}
        tests = [{"kind": "listing", "path": "inbox", "names": kept, "name": "kept files"}]
        tests += [{"kind": "file", "path": f"inbox/{path}", "equals": by_path[f"inbox/{path}"], "compare": "exact"} for path in kept[:5]]
        reference = (
            "cd inbox\npython3 - <<'PY'\nimport hashlib, os\nseen = {}\npaths = []\nfor root, dirs, files in os.walk('.'):\n"
            "    for f in files:\n        paths.append(os.path.relpath(os.path.join(root, f)))\n"
            "for p in sorted(paths, key=os.fsencode):\n    h = hashlib.sha256(open(p, 'rb').read()).hexdigest()\n"
            "    if h in seen:\n        os.remove(p)\n    else:\n        seen[h] = p\nPY"
        )
        return Spec(instruction, tree, tests, reference)
