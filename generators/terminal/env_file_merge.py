"""terminal/env_file_merge: merge .env files (defaults overridden by local values) into one sorted .env."""

from __future__ import annotations

import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry

NAMES = ("APP_NAME", "APP_PORT", "DB_HOST", "DB_PORT", "DB_USER", "LOG_LEVEL", "CACHE_TTL", "FEATURE_X", "REGION", "WORKERS")


@register_task
class EnvFileMerge(TerminalTask):
    id = "terminal/env_file_merge"
    description = "Merge .env.defaults and .env.local into .env: local wins, comments and blanks dropped, keys sorted."
    verification = ".env is compared line by line with the merged KEY=VALUE lines in key order (the final newline is free)."
    version = 2  # v2: .env compared as text (v1: byte for byte, so a file without its final newline failed)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        keys = rng.sample(NAMES, min(len(NAMES), 4 + config.items // 4))
        defaults = {k: str(rng.randrange(1, 1000)) if "PORT" in k else word(rng) for k in keys}
        local_keys = rng.sample(keys, len(keys) // 2) + ([f"EXTRA_{word(rng).upper()}"] if config.steps >= 2 else [])
        local = {k: word(rng) + str(rng.randrange(10)) for k in local_keys}
        if config.traps:
            local[keys[0]] = "a=b c"  # a value holding '=' and a space
        merged = {**defaults, **local}

        def render(values: dict[str, str], comment: str) -> str:
            out = [f"# {comment}"]
            for key, value in values.items():
                out.append(f"{key}={value}")
                if config.traps and rng.random() < 0.3:
                    out.append("")
            return "\n".join(out) + "\n"

        instruction = (
            "Merge /work/.env.defaults and /work/.env.local into /work/.env. Both hold KEY=VALUE lines (the value is "
            "everything after the first '='), comment lines starting with # and blank lines. The result has one "
            "KEY=VALUE line per key found in either file, the value from .env.local when it has the key, sorted by key "
            "in byte order, with no comments or blank lines."
        )
        expected = "".join(f"{k}={merged[k]}\n" for k in sorted(merged))
        tests = [{"kind": "file", "path": ".env", "equals": expected, "compare": "text", "name": ".env"}]
        reference = (
            "cat .env.local .env.defaults | grep -v '^#' | grep -v '^$' | awk -F= '!seen[$1]++' | LC_ALL=C sort -t= -k1,1 > .env"
        )
        tree = [file_entry(".env.defaults", render(defaults, "defaults")), file_entry(".env.local", render(local, "local overrides"))]
        return Spec(instruction, tree, tests, reference)
