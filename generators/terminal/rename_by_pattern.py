"""terminal/rename_by_pattern: rename camera files IMG_0042.JPG to photo-0042.jpg, leaving the rest."""

from __future__ import annotations

import random
from typing import Any

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import unique_names
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class RenameByPattern(TerminalTask):
    id = "terminal/rename_by_pattern"
    description = "Rename files matching IMG_<digits>.<JPG|jpeg|...> to <prefix>-<digits>.jpg in one folder; others stay."
    verification = "The folder's listing must be exactly the renamed set, and every renamed file keeps its bytes."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        prefix = rng.choice(("photo", "img", "shot", "pic"))
        numbers = rng.sample(range(1, 10000), config.items)
        tests: list[dict[str, Any]]
        tree, after, tests = [], [], []
        for number in numbers:
            ext = rng.choice(("JPG", "jpg", "JPEG", "jpeg")) if config.traps else "JPG"
            old, new = f"IMG_{number:04d}.{ext}", f"{prefix}-{number:04d}.jpg"
            content = f"jpeg-bytes-{number}\n"
            tree.append(file_entry(f"photos/{old}", content))
            after.append(new)
            tests.append({"kind": "file", "path": f"photos/{new}", "equals": content, "compare": "exact", "name": f"content of {new}"})
        others = unique_names(rng, max(2, config.items // 3), config.traps, ("txt", "png"))
        others += ["IMG_12ab.JPG", "notes IMG_0001.JPG.txt"] if config.traps else ["README.txt"]
        for name in others:
            tree.append(file_entry(f"photos/{name}", f"{name}\n"))
            after.append(name)
        sub = ""
        if config.steps >= 2:
            tree.append(file_entry("photos/old/IMG_0007.JPG", "nested\n"))
            after.append("old/IMG_0007.JPG")
            sub = " Files in subfolders of photos/ are left alone."
        instruction = (
            "In /work/photos, rename every file whose name is exactly IMG_ followed by four digits and the extension "
            f"{'.JPG, .jpg, .JPEG or .jpeg' if config.traps else '.JPG'} to {prefix}-<the same four digits>.jpg (for example "
            f"IMG_0042.JPG becomes {prefix}-0042.jpg). Every other file keeps its name.{sub}"
        )
        tests.insert(0, {"kind": "listing", "path": "photos", "names": sorted(after), "name": "photos/ listing"})
        reference = (
            "cd photos\nfor f in IMG_[0-9][0-9][0-9][0-9].*; do\n  [ -f \"$f\" ] || continue\n  ext=\"${f##*.}\"\n"
            "  case \"$ext\" in JPG|jpg|JPEG|jpeg) ;; *) continue ;; esac\n  num=\"${f#IMG_}\"; num=\"${num%%.*}\"\n"
            f"  mv -- \"$f\" \"{prefix}-$num.jpg\"\ndone"
        )
        return Spec(instruction, tree, tests, reference)
