"""terminal/find_large_files: list the files above a size under a folder (find -size), sorted."""

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
class FindLargeFiles(TerminalTask):
    id = "terminal/find_large_files"
    description = "List every regular file under a folder larger than a size, as sorted relative paths (find -size)."
    verification = ("The final tree is copied out of the sandbox; large.txt must list exactly the files above the "
                    "size, one per line in byte order; with more steps a folder is skipped and a total is written. Three "
                    "files outside skipped folders are 1 byte under, at and 1 byte over the size (an off-by-one fails).")
    version = 2  # v2: three files of exactly size - 1, size and size + 1 bytes (v1: drawn, and the text missed the size);
    # data/big_link points to the one above the size (find -L lists the link)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        threshold = rng.choice((500, 1000, 2000, 4096))
        folders = ["data", "data/" + word(rng), f"data/{word(rng)}/{word(rng)}"]
        if config.steps >= 2:
            folders.append(f"data/{word(rng)}/cache")
        names = unique_names(rng, config.items, config.traps)
        tree, large, sizes = [], [], []
        for index, name in enumerate(names):
            folder = rng.choice(folders[:3] if index < 3 else folders)  # the boundary files are never skipped
            size = threshold + (-1, 0, 1)[index] if index < 3 else rng.randrange(0, threshold * 3)
            path = f"{folder}/{name}"
            tree.append(file_entry(path, ((word(rng) + "\n") * (size // 4 + 1))[:size]))  # exactly size bytes (ASCII)
            real = len(tree[-1]["text"].encode())
            skipped = config.steps >= 2 and "/cache" in folder
            if real > threshold and not skipped:
                large.append(path)
                sizes.append(real)
        tree.append({"path": "data/big_link", "type": "link", "target": tree[2]["path"].split("/", 1)[1]})  # to a large file
        where = "under data/ (at any depth, hidden files included; symbolic links are not files)"
        steps = ""
        if config.steps >= 2:
            steps += " Skip everything inside folders named cache."
        if config.steps >= 3:
            steps += " Then write the total size in bytes of the listed files, as one integer, to /work/large_total.txt."
        instruction = (
            f"Write to /work/large.txt the path of every regular file {where} whose size is strictly greater than "
            f"{threshold} bytes, relative to /work (for example data/a/b.txt), one per line, sorted in byte order "
            f"(as LC_ALL=C sort does).{steps} If no file qualifies, large.txt must still exist, empty."
        )
        expected = "".join(p + "\n" for p in sorted_names(large))
        tests = [{"kind": "file", "path": "large.txt", "equals": expected, "compare": "text", "name": "large.txt lists the files"}]
        prune = "-type d -name cache -prune -o " if config.steps >= 2 else ""
        reference = f"find data {prune}-type f -size +{threshold}c -print | LC_ALL=C sort > large.txt"
        if config.steps >= 3:
            tests.append({"kind": "file", "path": "large_total.txt", "equals": str(sum(sizes)), "compare": "text", "name": "total size"})
            reference += f"\nfind data {prune}-type f -size +{threshold}c -printf '%s\\n' | awk '{{s += $1}} END {{print s + 0}}' > large_total.txt"
        return Spec(instruction, tree, tests, reference)
