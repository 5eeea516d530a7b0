"""terminal/text_replace: replace a version string in some files of a tree with sed, leaving the others."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class TextReplace(TerminalTask):
    id = "terminal/text_replace"
    description = "Replace an exact version string (dots are literal) in the .md and .conf files of a tree; other files stay."
    verification = "Each file's bytes after the edit are compared exactly with the expected text, edited or untouched."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        old = f"{rng.randrange(1, 4)}.{rng.randrange(0, 10)}.{rng.randrange(0, 10)}"
        new = f"{rng.randrange(4, 9)}.{rng.randrange(0, 10)}.{rng.randrange(0, 10)}"
        decoy = old.replace(".", "x", 1)  # matches an unescaped regex dot
        extensions = ("md", "conf", "txt", "py")
        tree, tests = [], []
        for index in range(config.items):
            ext = extensions[index % len(extensions)]
            folder = f"{word(rng)}/" if config.steps >= 2 and index % 2 else ""
            name = f"site/{folder}{word(rng)}{index}.{ext}"
            lines = [f"{word(rng)} version {old} {word(rng)}", f"requires >= {old}"]
            if config.traps:
                lines += [f"build {decoy} and {old}0"]
            if config.traps >= 2:
                lines += [f"naïve {old}"]
            text = "\n".join(lines) + "\n"
            tree.append(file_entry(name, text))
            if ext in ("md", "conf"):
                edited = text.replace(old + "0", "\0").replace(old, new).replace("\0", old + "0")
            else:
                edited = text
            tests.append({"kind": "file", "path": name, "equals": edited, "compare": "exact", "name": name})
        instruction = (
            f"In every file ending in .md or .conf under /work/site (subfolders included), replace each occurrence of the "
            f"version {old} with {new}. Only the exact text {old} counts: not when it is directly followed by another "
            f"digit (as in {old}0), and the dots are literal dots. Files with other extensions must not change."
        )
        pattern = old.replace(".", "\\.")
        reference = f"find site -type f \\( -name '*.md' -o -name '*.conf' \\) -exec sed -i -E 's/{pattern}([^0-9]|$)/{new}\\1/g' {{}} +"
        return Spec(instruction, tree, tests, reference)
