"""terminal/cron_schedule: read a crontab-like schedule file and list the jobs due in a given hour."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


def hour_field(rng: random.Random, traps: int) -> str:
    kinds = ["n", "n", "star", "list", "range"] + (["step"] if traps else [])
    kind = rng.choice(kinds)
    if kind == "n":
        return str(rng.randrange(24))
    if kind == "star":
        return "*"
    if kind == "list":
        return ",".join(str(h) for h in sorted(rng.sample(range(24), 3)))
    if kind == "range":
        start = rng.randrange(20)
        return f"{start}-{start + rng.randrange(1, 4)}"
    return f"*/{rng.choice((2, 3, 4, 6))}"


def matches(field: str, hour: int) -> bool:
    for part in field.split(","):
        if part == "*":
            return True
        if part.startswith("*/"):
            if hour % int(part[2:]) == 0:
                return True
        elif "-" in part:
            low, high = map(int, part.split("-"))
            if low <= hour <= high:
                return True
        elif int(part) == hour:
            return True
    return False


@register_task
class CronSchedule(TerminalTask):
    id = "terminal/cron_schedule"
    description = "List the commands of a crontab file whose hour field matches a given hour (numbers, *, lists, ranges, steps)."
    verification = ("due.txt must hold exactly the due commands in file order (computed by the generator's cron matcher), "
                    "compared as lines: the final newline, CRs before LF and trailing blanks are free.")
    version = 2  # v2: due.txt compared as text (v1: byte for byte, so a file without its final newline failed)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        hour = rng.randrange(24)
        lines, due = ["# m h dom mon dow command", "SHELL=/bin/bash"], []
        for index in range(config.items + 3):
            field = str(hour) if index == 0 else hour_field(rng, config.traps)
            command = f"/opt/jobs/{word(rng)}.sh --id {index}" + (" > /dev/null 2>&1" if config.traps and rng.random() < 0.3 else "")
            lines.append(f"{rng.randrange(60)} {field} * * * {command}")
            if config.traps and rng.random() < 0.2:
                lines.append(f"# {rng.randrange(60)} {hour} * * * /opt/jobs/disabled.sh")
            if matches(field, hour):
                due.append(command)
        instruction = (
            "/work/jobs.cron is a crontab: lines 'MINUTE HOUR DAY MONTH WEEKDAY COMMAND' (the command is the rest of the "
            "line), comment lines starting with # and variable lines like SHELL=/bin/bash. The HOUR field is a number, "
            "*, a comma-separated list of numbers or ranges like 3-5, or */N (every hour divisible by N). Write to "
            f"/work/due.txt the COMMAND of every job whose HOUR field matches hour {hour}, one per line, in file order."
        )
        tests = [{"kind": "file", "path": "due.txt", "equals": "".join(c + "\n" for c in due), "compare": "text", "name": "due.txt"}]
        reference = (
            "python3 - <<'PY'\n"
            f"hour = {hour}\n"
            "def ok(field):\n    for part in field.split(','):\n        if part == '*': return True\n"
            "        if part.startswith('*/'):\n            if hour % int(part[2:]) == 0: return True\n"
            "        elif '-' in part:\n            a, b = map(int, part.split('-'))\n            if a <= hour <= b: return True\n"
            "        elif int(part) == hour: return True\n    return False\n"
            "out = []\nfor line in open('jobs.cron'):\n    line = line.rstrip('\\n')\n"
            "    if not line.strip() or line.startswith('#') or '=' in line.split()[0]: continue\n"
            "    parts = line.split(None, 5)\n    if ok(parts[1]): out.append(parts[5])\n"
            "open('due.txt', 'w').write(''.join(c + '\\n' for c in out))\nPY"
        )
        return Spec(instruction, [file_entry("jobs.cron", "\n".join(lines) + "\n")], tests, reference)
