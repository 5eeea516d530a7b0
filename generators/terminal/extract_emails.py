"""terminal/extract_emails: pull the unique email addresses out of text files with a regular expression."""

from __future__ import annotations

import random

from assay.generators.terminal._base import (
    Spec,
    TerminalConfig,
    TerminalTask,
    sorted_names,
)
from assay.generators.terminal._data import person, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry

DOMAINS = ("example.org", "mail.example.com", "corp.example.net")


@register_task
class ExtractEmails(TerminalTask):
    id = "terminal/extract_emails"
    description = "Extract every distinct email address from the .txt files of a folder, lower-cased and sorted (grep -o)."
    verification = "emails.txt must hold exactly the distinct addresses in byte order, one per line."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        found: set[str] = set()
        tree = []
        for index in range(max(2, config.items // 2)):
            lines = []
            for _ in range(config.items):
                address = f"{person(rng)}.{word(rng)}{rng.randrange(10)}@{rng.choice(DOMAINS)}"
                shown = address.upper() if config.traps and rng.random() < 0.2 else address
                pre, post = rng.choice((("Contact ", "."), ("<", ">"), ("mailto:", ","), ("(", ")")))
                lines.append(f"{word(rng)} {pre}{shown}{post} {word(rng)}")
                found.add(address)
            if config.traps:
                lines.append("not an address: user@localhost or @example.org or a@b")
            tree.append(file_entry(f"mail/{'sub/' if index % 2 and config.steps >= 2 else ''}note{index}.txt", "\n".join(lines) + "\n"))
        tree.append(file_entry("mail/ignore.bak", f"skip {person(rng)}@{DOMAINS[0]}\n"))
        deep = " (subfolders included)" if config.steps >= 2 else ""
        instruction = (
            f"Find every email address in the files ending in .txt under /work/mail{deep} (other files are ignored). An "
            "address here is a user part of letters, digits, dots, underscores, plus or minus signs, an @, and a domain "
            "of dot-separated labels ending in a label of letters (so user@localhost is not one). Write them to "
            "/work/emails.txt in lower case, each once, sorted in byte order."
        )
        expected = "".join(a + "\n" for a in sorted_names(sorted(found)))
        tests = [{"kind": "file", "path": "emails.txt", "equals": expected, "name": "emails.txt"}]
        reference = (
            "find mail -type f -name '*.txt' -exec cat {} + | grep -oE '[A-Za-z0-9._+-]+@([A-Za-z0-9-]+\\.)+[A-Za-z]+' "
            "| tr '[:upper:]' '[:lower:]' | LC_ALL=C sort -u > emails.txt"
        )
        return Spec(instruction, tree, tests, reference)
