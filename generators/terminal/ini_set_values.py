"""terminal/ini_set_values: edit an INI file in place: set keys in one section, leave every other line."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry

KEYS = ("port", "host", "timeout", "workers", "log_level", "enabled", "path", "retries")


@register_task
class IniSetValues(TerminalTask):
    id = "terminal/ini_set_values"
    description = "Set keys of one [section] of an INI file (same key names exist in other sections), adding missing ones."
    verification = "app.ini is compared line by line with the expected edit: other sections, comments and order unchanged."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        sections = rng.sample(("server", "database", "cache", "worker", "auth"), 3)
        target = sections[1]
        content: dict[str, list[str]] = {}
        for section in sections:
            keys = rng.sample(KEYS, 4)
            content[section] = keys
        changes = {k: str(rng.randrange(1, 9999)) for k in rng.sample(content[target], min(2, config.steps + 1))}
        missing = next(k for k in KEYS if k not in content[target])
        if config.steps >= 2:
            changes[missing] = word(rng)
        values = {(s, k): str(rng.randrange(1, 500)) for s in sections for k in content[s]}
        lines, expected = ["; generated config", ""], ["; generated config", ""]
        last_key = 0
        for section in sections:
            lines.append(f"[{section}]")
            expected.append(f"[{section}]")
            for key in content[section]:
                sep = " = " if not config.traps or rng.random() < 0.5 else "="
                lines.append(f"{key}{sep}{values[(section, key)]}")
                expected.append(f"{key}{sep}{changes[key]}" if section == target and key in changes else lines[-1])
                if section == target:
                    last_key = len(expected)
                if config.traps and rng.random() < 0.3:
                    comment = f"# {key} = old value, keep this comment"
                    lines.append(comment)
                    expected.append(comment)
            if section == target and missing in changes:
                expected.insert(last_key, f"{missing} = {changes[missing]}")
            lines.append("")
            expected.append("")
        assignments = ", ".join(f"{k} to {v}" for k, v in changes.items())
        instruction = (
            f"Edit /work/app.ini in place: in the section [{target}] set {assignments}. A key already in that section keeps "
            "its line and its own spacing around '=' with only the value replaced; a key not yet in the section is added "
            "as 'key = value' right after the section's last key line (before the blank line that ends it). Nothing else "
            "in the file may change: other sections have keys with the same names, and comments stay."
        )
        tests = [{"kind": "file", "path": "app.ini", "equals": "\n".join(expected) + "\n", "compare": "exact", "name": "app.ini"}]
        program = [
            "import re", f"target = {target!r}", f"changes = {changes!r}", "lines = open('app.ini').read().split('\\n')",
            "out, section, seen, last = [], None, set(), None",
            "for line in lines:",
            "    m = re.match(r'^\\[(.*)\\]$', line)",
            "    if m:",
            "        section = m.group(1)",
            "    elif section == target and re.match(r'^[A-Za-z_]+ ?= ?', line):",
            "        key, sep, _ = re.match(r'^([A-Za-z_]+)( ?= ?)(.*)$', line).groups()",
            "        if key in changes:",
            "            line = key + sep + changes[key]",
            "            seen.add(key)",
            "        out.append(line)",
            "        last = len(out)",
            "        continue",
            "    out.append(line)",
            "extra = [k + ' = ' + v for k, v in changes.items() if k not in seen]",
            "out[last:last] = extra",
            "open('app.ini', 'w').write('\\n'.join(out))",
        ]
        reference = "python3 - <<'PY'\n" + "\n".join(program) + "\nPY"
        return Spec(instruction, [file_entry("app.ini", "\n".join(lines) + "\n")], tests, reference)
