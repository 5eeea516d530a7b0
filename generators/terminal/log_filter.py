"""terminal/log_filter: the lines of one level inside a time window of an application log."""

from __future__ import annotations

import random
import time

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import timestamp, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry

LEVELS = ("DEBUG", "INFO", "WARN", "ERROR")


def stamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


@register_task
class LogFilter(TerminalTask):
    id = "terminal/log_filter"
    description = "Copy the ERROR (and with more steps WARN) lines of a log inside a time window to a file, in order."
    verification = ("errors.txt in the final tree must hold exactly the matching lines in log order; lines that mention "
                    "ERROR in their message at another level, or fall outside the window, must not appear. The first and "
                    "last seconds of the window and the entries just outside it are ERROR lines (an off-by-one fails).")
    version = 2  # v2: ERROR lines on both bounds and just outside them (v1: the bounds' levels were drawn)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        count = config.items * 4
        seconds = sorted(timestamp(rng) for _ in range(count))
        low, high = count // 4, (3 * count) // 4
        start, end = seconds[low], seconds[high]
        # the entries at the bounds and the nearest ones outside the window are ERROR lines
        outside = [i for i in range(low) if seconds[i] < start][-1:] + [i for i in range(high + 1, count) if seconds[i] > end][:1]
        bounds = {low, high, *outside}
        wanted = {"ERROR"} | ({"WARN"} if config.steps >= 2 else set())
        lines, expected = [], []
        for index, moment in enumerate(seconds):
            level = rng.choice(LEVELS) if index % 3 else rng.choice(("ERROR", "WARN"))
            if index in bounds:
                level = "ERROR"
            message = f"{word(rng)} {rng.choice(('failed', 'started', 'retrying', 'done'))} id={rng.randrange(1000)}"
            if config.traps >= 1 and rng.random() < 0.2:
                message += " (previous ERROR cleared)"
            if config.traps >= 2 and rng.random() < 0.1:
                message += " naïve café ✓"
            line = f"{stamp(moment)} {level} [{word(rng)}] {message}"
            lines.append(line)
            if level in wanted and start <= moment <= end:
                expected.append(line)
            if config.traps >= 1 and rng.random() < 0.1:
                lines.append("")
        levels_text = " or ".join(sorted(wanted))
        instruction = (
            "The file /work/logs/app.log has one entry per line: 'YYYY-MM-DD HH:MM:SS LEVEL [component] message' "
            f"(times in UTC; LEVEL is one of {', '.join(LEVELS)}). Write to /work/errors.txt every line whose LEVEL "
            f"field is {levels_text} and whose time lies between {stamp(start)} and {stamp(end)} inclusive, unchanged, "
            "in the order they appear in the log. Leave app.log as it is."
        )
        log_text = "\n".join(lines) + "\n"
        tests = [
            {"kind": "file", "path": "errors.txt", "equals": "".join(e + "\n" for e in expected), "compare": "text", "name": "errors.txt"},
            {"kind": "file", "path": "logs/app.log", "equals": log_text, "compare": "exact", "name": "app.log unchanged"},
        ]
        pattern = "|".join(sorted(wanted))
        reference = (
            f"awk -v s='{stamp(start)}' -v e='{stamp(end)}' '($3 ~ /^({pattern})$/) && ($1 \" \" $2 >= s) && ($1 \" \" $2 <= e)' "
            "logs/app.log > errors.txt"
        )
        return Spec(instruction, [file_entry("logs/app.log", log_text)], tests, reference)
