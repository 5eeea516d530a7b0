"""terminal/env_script: a script configured by environment variables, with defaults and validation."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class EnvScript(TerminalTask):
    id = "terminal/env_script"
    description = "Write a script that prints a line built from environment variables, with a default and (more steps) validation."
    verification = ("The script runs in fresh sandboxes built from the final tree with hidden variable values; stdout and exit "
                    "code are judged outside (stdout as text: the final newline is free; the error message must be on stderr).")
    version = 2  # v2: stdout compared as text (v1: byte for byte, so printf without a final newline failed), and the
    # error messages checked on stderr (v1: an exit status without the message passed)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        prefix = rng.choice(("APP", "SVC", "JOB"))
        default_port = rng.choice((8080, 3000, 5000, 9000))
        instruction = (
            f"Create an executable bash script /work/start.sh that prints exactly one line: '<{prefix}_NAME> listening on "
            f"port <{prefix}_PORT>', taking both values from the environment; when {prefix}_PORT is unset or empty it uses "
            f"{default_port}. When {prefix}_NAME is unset or empty it prints 'error: {prefix}_NAME is required' to stderr "
            "and exits with status 1."
        )
        runs = [(word(rng), str(rng.randrange(1024, 65535))), (f"{word(rng)}-{word(rng)}", ""), (f"{word(rng)} {word(rng)}", None)]
        tests = [{"kind": "mode", "path": "start.sh", "executable": True, "name": "start.sh is executable"}]
        for index, (name, port) in enumerate(runs):
            env = f"{prefix}_NAME={name!r}" + ("" if port is None else f" {prefix}_PORT={port!r}")
            tests.append({"kind": "command", "run": f"env -u {prefix}_PORT {env} ./start.sh", "exit_code": 0,
                          "stdout": f"{name} listening on port {port or default_port}\n", "compare": "text", "name": f"run {index}"})
        tests.append({"kind": "command", "run": f"env -u {prefix}_NAME ./start.sh", "exit_code": 1, "stdout": "", "compare": "text",
                      "stderr_contains": f"error: {prefix}_NAME is required", "name": "name missing"})
        if config.steps >= 2:
            instruction += f" When {prefix}_PORT is set but is not a whole number from 1 to 65535 it prints 'error: bad port' to stderr and exits with status 2."
            tests.append({"kind": "command", "run": f"{prefix}_NAME=x {prefix}_PORT=70000 ./start.sh", "exit_code": 2, "stdout": "", "compare": "text", "stderr_contains": "error: bad port", "name": "bad port"})
            tests.append({"kind": "command", "run": f"{prefix}_NAME=x {prefix}_PORT=80a ./start.sh", "exit_code": 2, "stdout": "", "compare": "text", "stderr_contains": "error: bad port", "name": "bad port text"})
        suffix = ""
        if config.steps >= 3:
            instruction += f" When {prefix}_ENV is set and not empty, the line ends with ' ({prefix}_ENV value)' in parentheses, e.g. 'api listening on port 80 (prod)'."
            tests.append({"kind": "command", "run": f"{prefix}_NAME=api {prefix}_PORT=81 {prefix}_ENV=staging ./start.sh", "exit_code": 0,
                          "stdout": "api listening on port 81 (staging)\n", "compare": "text", "name": "env suffix"})
            suffix = f'${{{prefix}_ENV:+ (${prefix}_ENV)}}'
        check = ""
        if config.steps >= 2:
            check = ('if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then echo "error: bad port" >&2; exit 2; fi\n')
        body = (
            "#!/bin/bash\n"
            f'if [ -z "${{{prefix}_NAME:-}}" ]; then echo "error: {prefix}_NAME is required" >&2; exit 1; fi\n'
            f'port="${{{prefix}_PORT:-{default_port}}}"\n' + check +
            f'echo "${prefix}_NAME listening on port $port{suffix}"\n'
        )
        reference = f"cat > start.sh <<'EOF'\n{body}EOF\nchmod +x start.sh"
        return Spec(instruction, [file_entry("README.txt", f"Write start.sh here ({word(rng)}).\n")], tests, reference)
