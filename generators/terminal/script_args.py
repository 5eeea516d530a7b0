"""terminal/script_args: write an executable script that takes a file argument and prints statistics."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


def numbers_file(rng: random.Random, count: int, traps: int) -> tuple[str, list[int]]:
    values, lines = [], []
    for _ in range(count):
        value = rng.randrange(-500, 1000)
        values.append(value)
        lines.append(str(value))
        if traps >= 1 and rng.random() < 0.2:
            lines.append("")
    return "\n".join(lines) + "\n", values


@register_task
class ScriptArgs(TerminalTask):
    id = "terminal/script_args"
    description = "Write an executable script taking a file of integers as its argument, printing their sum and maximum."
    verification = ("The script is run on hidden input files in a fresh sandbox built from the final tree (never in the "
                    "grader); its stdout (and, with more steps, its exit code on a missing argument) is judged outside.")

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        script = rng.choice(("bin/stats.sh", "tools/numstat", "stats"))
        sample, _ = numbers_file(rng, 5, config.traps)
        instruction = (
            f"Create an executable script /work/{script} (bash) that takes one argument, the path of a text file with one "
            "integer per line (possibly negative; blank lines are to be ignored), and prints two lines: "
            "'sum=<the sum>' and 'max=<the largest value>'. It will be run from /work as "
            f"./{script} FILE with other files than the example /work/numbers.txt, whose own result does not matter."
        )
        tests = [{"kind": "mode", "path": script, "executable": True, "name": "the script is executable"}]
        for index in range(2):
            text, values = numbers_file(rng, config.items + index * 3, config.traps)
            tests.append({"kind": "command", "run": f"./{script} {'/tmp/assay-in/in' + str(index) + '.txt'}",
                          "inputs": {f"in{index}.txt": text}, "stdout": f"sum={sum(values)}\nmax={max(values)}\n",
                          "compare": "text", "name": f"run on hidden input {index}"})
        usage = ""
        if config.steps >= 2:
            instruction += " Run with no argument, it must print a usage line to stderr and exit with status 2."
            tests.append({"kind": "command", "run": f"./{script}", "exit_code": 2, "stdout": "", "name": "no argument: exit 2"})
            usage = '[ $# -ge 1 ] || { echo "usage: $0 FILE" >&2; exit 2; }\n'
        body = (
            "#!/bin/bash\n" + usage +
            "awk 'NF { s += $1; if (!seen || $1 > m) { m = $1; seen = 1 } } END { print \"sum=\" s + 0; print \"max=\" m }' \"$1\"\n"
        )
        folder = script.rsplit("/", 1)[0] if "/" in script else ""
        reference = (f"mkdir -p {folder}\n" if folder else "") + f"cat > {script} <<'EOF'\n{body}EOF\nchmod +x {script}"
        return Spec(instruction, [file_entry("numbers.txt", sample)], tests, reference)
