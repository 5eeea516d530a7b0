"""terminal/csv_group_sum: total a CSV column per group into a new CSV (awk, or a CSV-aware tool)."""

from __future__ import annotations

import random
from decimal import Decimal

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import REGIONS, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if ("," in text or '"' in text) else text


@register_task
class CsvGroupSum(TerminalTask):
    id = "terminal/csv_group_sum"
    description = "Sum a CSV amount column per region (empty amounts count as 0) into totals.csv, sorted by region."
    verification = ("totals.csv must have the header and one row per region with the exact total to two decimals "
                    "(compared as CSV rows); with more steps also a count column and a grand-total file.")

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        regions = rng.sample(REGIONS, min(len(REGIONS), 2 + config.steps))
        rows = ["date,region,product,amount"]
        totals: dict[str, Decimal] = {r: Decimal(0) for r in regions}
        counts: dict[str, int] = {r: 0 for r in regions}
        for _ in range(config.items * 3):
            region = rng.choice(regions)
            product = word(rng)
            if config.traps >= 1 and rng.random() < 0.25:
                product = f"{word(rng)}, {word(rng)} edition"
            if config.traps >= 2 and rng.random() < 0.2:
                product = f"crème {word(rng)}"
            amount = "" if config.traps >= 1 and rng.random() < 0.15 else f"{Decimal(rng.randrange(1, 100000)) / 100:.2f}"
            totals[region] += Decimal(amount or 0)
            counts[region] += 1
            rows.append(f"2024-03-{rng.randrange(1, 29):02d},{region},{quoted(product)},{amount}")
        used = sorted(r for r in regions if counts[r])
        with_count = config.steps >= 2
        header = "region,total" + (",count" if with_count else "")
        expected = [header] + [f"{r},{totals[r]:.2f}" + (f",{counts[r]}" if with_count else "") for r in used]
        count_text = " and count (the number of rows of that region)" if with_count else ""
        instruction = (
            "The file /work/sales.csv has a header line and the columns date,region,product,amount (a field that holds "
            "a comma is double-quoted; an empty amount counts as 0). Write /work/totals.csv with the header line "
            f"'{header}' and one row per region that appears, sorted by region name: the region, the sum of its amounts "
            f"with exactly two decimals{count_text}."
        )
        tests = [{"kind": "file", "path": "totals.csv", "equals": "\n".join(expected) + "\n", "compare": "csv", "name": "totals.csv"}]
        if config.steps >= 3:
            grand = sum(totals.values(), Decimal(0))
            instruction += " Also write the sum of all amounts, with two decimals, to /work/grand_total.txt."
            tests.append({"kind": "file", "path": "grand_total.txt", "equals": f"{grand:.2f}", "compare": "text", "name": "grand total"})
        reference = (
            "python3 - <<'PY'\nimport csv\nfrom decimal import Decimal\n"
            "totals, counts = {}, {}\n"
            "with open('sales.csv', newline='') as f:\n"
            "    for row in csv.DictReader(f):\n"
            "        r = row['region']\n"
            "        totals[r] = totals.get(r, Decimal(0)) + Decimal(row['amount'] or 0)\n"
            "        counts[r] = counts.get(r, 0) + 1\n"
            "with open('totals.csv', 'w', newline='') as out:\n"
            f"    out.write('{header}\\n')\n"
            "    for r in sorted(totals):\n"
            f"        out.write(f'{{r}},{{totals[r]:.2f}}' + (f',{{counts[r]}}' if {with_count} else '') + '\\n')\n"
            + ("with open('grand_total.txt', 'w') as g:\n    g.write(f'{sum(totals.values(), Decimal(0)):.2f}\\n')\n" if config.steps >= 3 else "")
            + "PY"
        )
        return Spec(instruction, [file_entry("sales.csv", "\n".join(rows) + "\n")], tests, reference)
