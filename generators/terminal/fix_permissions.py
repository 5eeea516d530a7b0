"""terminal/fix_permissions: set file modes by rule: scripts executable, secrets private, the rest 644."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import unique_names, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class FixPermissions(TerminalTask):
    id = "terminal/fix_permissions"
    description = "chmod files under a folder by rule: *.sh 755, *.key and *.pem 600, everything else 644."
    verification = ("Every file's mode in the copied-out tree must be exactly the one the rule gives; every file starts "
                    "with another mode, so a file a script skips (hidden, a space in its name) fails.")
    version = 2  # v2: every file starts with a wrong mode and traps always include a hidden file (v1: skipped files often passed)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        extensions = ("sh", "key", "pem", "txt", "conf") if config.steps >= 2 else ("sh", "txt", "conf")
        names = unique_names(rng, config.items, config.traps, extensions)
        if config.traps and not any(name.startswith(".") for name in names):
            names[-1] = "." + names[-1]  # a hidden file at every seed with traps (a glob without dotglob misses it)
        folders = ["", f"{word(rng)}/"]
        tree, tests = [], []
        for index, name in enumerate(names):
            path = f"deploy/{rng.choice(folders)}{name}"
            ext = name.rsplit(".", 1)[-1]
            mode = 0o755 if ext == "sh" else 0o600 if ext in ("key", "pem") else 0o644
            start = rng.choice([m for m in (0o600, 0o644, 0o666, 0o755, 0o700) if m != mode])  # every file starts wrong
            tree.append(file_entry(path, f"{name}\n", mode=start))
            tests.append({"kind": "mode", "path": path, "mode": mode, "name": f"mode of {path}"})
            tests.append({"kind": "file", "path": path, "equals": f"{name}\n", "compare": "exact"})
        secret = " Files ending in .key or .pem get mode 600." if config.steps >= 2 else ""
        instruction = (
            "Set the permissions of every regular file under /work/deploy (subfolders included, hidden files too): "
            f"files ending in .sh get mode 755.{secret} Every other file gets mode 644. Do not rename, move or change any file."
        )
        reference = (
            "find deploy -type f -exec chmod 644 {} +\nfind deploy -type f -name '*.sh' -exec chmod 755 {} +"
            + ("\nfind deploy -type f \\( -name '*.key' -o -name '*.pem' \\) -exec chmod 600 {} +" if config.steps >= 2 else "")
        )
        return Spec(instruction, tree, tests, reference)
