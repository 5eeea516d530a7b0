"""terminal/create_archive: make a .tar.gz of the config files of a tree, paths relative to its root."""

from __future__ import annotations

import hashlib
import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import unique_names, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class CreateArchive(TerminalTask):
    id = "terminal/create_archive"
    description = "Create backup.tar.gz holding exactly the *.conf files under etc/, with paths relative to etc/."
    verification = ("The archive is read in the grader as a stream (capped unpacked size): it must be gzip, and its file "
                    "members must be exactly the .conf files with their bytes; with traps one of them is hidden.")
    version = 2  # v2: with traps a hidden .conf file at every seed (v1: drawn, often absent, so find without dotfiles passed)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        names = unique_names(rng, config.items * 2, config.traps, ("conf", "conf.bak", "txt", "conf~"))
        if config.traps and not any(name.startswith(".") and name.endswith(".conf") for name in names):
            names.append(f".{word(rng)}_hidden.conf")  # the instruction says hidden files are included: one always is
        folders = ["", f"{word(rng)}/", f"{word(rng)}.d/"]
        tree, members = [], {}
        for name in names:
            path = f"{rng.choice(folders)}{name}"
            text = f"# {path}\n{word(rng)} = {rng.randrange(100)}\n"
            tree.append(file_entry(f"etc/{path}", text))
            if name.endswith(".conf"):
                members[path] = hashlib.sha256(text.encode()).hexdigest()
        if not members:
            tree.append(file_entry("etc/main.conf", "main = 1\n"))
            members["main.conf"] = hashlib.sha256(b"main = 1\n").hexdigest()
        clean = ""
        if config.steps >= 2:
            clean = " Then delete those .conf files from etc/ (keep the folders and the other files)."
        instruction = (
            "Create the gzip-compressed tar archive /work/backup.tar.gz containing every regular file under /work/etc whose "
            "name ends in .conf (at any depth, hidden files included), stored with paths relative to etc (etc/a/x.conf is "
            f"stored as a/x.conf), and nothing else besides folders.{clean}"
        )
        tests = [{"kind": "archive", "path": "backup.tar.gz", "members": members, "compression": "gzip", "name": "backup members"}]
        reference = "(cd etc && find . -type f -name '*.conf' -print0 | tar --null -czf ../backup.tar.gz -T -)"
        if config.steps >= 2:
            tests += [{"kind": "absent", "path": f"etc/{p}"} for p in sorted(members)[:5]]
            kept = sorted(e["path"][4:] for e in tree if not e["path"].endswith(".conf"))
            tests.append({"kind": "listing", "path": "etc", "names": kept, "name": "other files kept"})
            reference += "\nfind etc -type f -name '*.conf' -delete"
        return Spec(instruction, tree, tests, reference)
