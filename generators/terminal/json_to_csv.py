"""terminal/json_to_csv: convert JSON Lines records to CSV with a fixed column order (jq -r @csv)."""

from __future__ import annotations

import csv
import io
import json
import random

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import UNICODE, person, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class JsonToCsv(TerminalTask):
    id = "terminal/json_to_csv"
    description = "Convert events.jsonl to CSV with given columns; missing keys become empty cells; quoting as CSV needs."
    verification = "events.csv is compared as parsed CSV rows (any valid quoting), header first, in input order."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        columns = ["id", "user", "action", "value"]
        if config.steps >= 2:
            columns.append("note")
        records, rows = [], [columns]
        for index in range(config.items * 2):
            record = {"id": index + 1, "user": person(rng), "action": rng.choice(("login", "view", "buy", "logout")),
                      "value": rng.randrange(0, 100), "note": f"{word(rng)}"}
            if config.traps and rng.random() < 0.2:
                del record["value"]
            if config.traps and rng.random() < 0.2:
                record["note"] = f'{word(rng)}, "{word(rng)}"'
            if config.traps >= 2 and rng.random() < 0.2:
                record["user"] = rng.choice(UNICODE)
            records.append(record)
            rows.append(["" if record.get(c) is None else str(record[c]) for c in columns])
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        instruction = (
            "Each line of /work/events.jsonl is a JSON object. Write /work/events.csv with the header line "
            f"{','.join(columns)} and one row per object in the same order, with those keys as columns (a missing key "
            "gives an empty cell). Quote fields as CSV requires (a field holding a comma or a quote is double-quoted, "
            "quotes doubled)."
        )
        tests = [{"kind": "file", "path": "events.csv", "equals": buffer.getvalue(), "compare": "csv", "name": "events.csv"}]
        keys = ", ".join(f".{c}" for c in columns)
        reference = f"{{ echo '{','.join(columns)}'; jq -r '[{keys}] | map(if . == null then \"\" else tostring end) | @csv' events.jsonl; }} > events.csv"
        return Spec(instruction, [file_entry("events.jsonl", lines)], tests, reference)
