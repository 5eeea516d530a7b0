"""terminal/log_rotate: rotate numbered, gzip-compressed logs by hand, keeping a fixed number."""

from __future__ import annotations

import gzip
import random
from typing import Any

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


def gz(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


@register_task
class LogRotate(TerminalTask):
    id = "terminal/log_rotate"
    description = "Rotate app.log: shift app.log.N.gz up, compress app.log.1, move app.log to .1, drop the oldest, recreate app.log."
    verification = ("The listing of logs/ must be exactly the rotated set; each file's (decompressed) text is checked. "
                    "There are always enough generations that the oldest must be deleted.")
    version = 2  # v2: keep or keep + 1 old generations, so a rotation that only shifts fails (v1: 2 to keep + 1)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        keep = rng.randrange(3, 6)
        existing = rng.randrange(keep, keep + 2)  # app.log.1 .. app.log.<existing> exist: the oldest must be deleted
        texts = {0: "".join(f"{word(rng)} line {i}\n" for i in range(config.items))}
        for n in range(1, existing + 1):
            texts[n] = "".join(f"{word(rng)} old{n} {i}\n" for i in range(config.items))
        tree = [file_entry("logs/app.log", texts[0])]
        for n in range(1, existing + 1):
            tree.append(file_entry(f"logs/app.log.{n}" + (".gz" if n >= 2 else ""), gz(texts[n]) if n >= 2 else texts[n]))
        if config.steps >= 2:
            tree.append(file_entry("logs/other.log", "untouched\n"))
        tests: list[dict[str, Any]]
        after, tests = ["app.log", "app.log.1"], [
            {"kind": "file", "path": "logs/app.log", "equals": "", "compare": "exact", "name": "app.log is empty"},
            {"kind": "file", "path": "logs/app.log.1", "equals": texts[0], "compare": "exact", "name": "app.log.1"},
        ]
        for n in range(2, keep + 1):
            if n - 1 <= existing:
                after.append(f"app.log.{n}.gz")
                tests.append({"kind": "file", "path": f"logs/app.log.{n}.gz", "equals": texts[n - 1], "compare": "exact", "gunzip": True})
        if config.steps >= 2:
            after.append("other.log")
        instruction = (
            "Rotate /work/logs/app.log, keeping at most "
            f"{keep} generations besides the live log: app.log.N.gz becomes app.log.(N+1).gz, app.log.1 (plain text) is "
            "compressed with gzip into app.log.2.gz, app.log becomes app.log.1 (plain), and a new empty app.log is created. "
            f"Any file that would get a number above {keep} is deleted. The contents of every kept log must not change."
        )
        tests.insert(0, {"kind": "listing", "path": "logs", "names": sorted(after), "name": "logs/ listing"})
        reference = (
            f"cd logs\nfor n in $(seq {existing + 1} -1 2); do\n  [ -f app.log.$n.gz ] || continue\n"
            f"  if [ $((n + 1)) -le {keep} ]; then mv app.log.$n.gz app.log.$((n + 1)).gz; else rm -f app.log.$n.gz; fi\ndone\n"
            f"if [ -f app.log.1 ]; then if [ 2 -le {keep} ]; then gzip -n -c app.log.1 > app.log.2.gz; fi; rm app.log.1; fi\n"
            "mv app.log app.log.1\n: > app.log"
        )
        return Spec(instruction, tree, tests, reference)
