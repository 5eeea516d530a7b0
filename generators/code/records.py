"""code/record_aggregation: a function grouping (name, amount) records into a dict (sums, counts,
maxima), then optionally filtering it or ranking its keys.
"""

from __future__ import annotations

import random

from assay.generators.code._base import CodeConfig, FunctionTask, Spec
from assay.registry import register_task

NAMES = ("ann", "bob", "cy", "dee", "eve", "fay", "gus")

GROUPS = (
    ("the sum of its amounts", "totals[name] = totals.get(name, 0) + amount",
     "if name not in totals:\n            totals[name] = 0\n        totals[name] += amount"),
    ("the number of records it has", "totals[name] = totals.get(name, 0) + 1",
     "if name not in totals:\n            totals[name] = 0\n        totals[name] += 1"),
    ("its largest amount", "totals[name] = max(totals.get(name, amount), amount)",
     "if name not in totals or amount > totals[name]:\n            totals[name] = amount"),
)


@register_task
class RecordAggregation(FunctionTask):
    id = "code/record_aggregation"
    description = "Write a function aggregating (name, amount) records into a dict by name, then filtering or ranking it."

    def make_spec(self, rng: random.Random, config: CodeConfig) -> Spec:
        text, code, alt = rng.choice(GROUPS)
        name = rng.choice(("aggregate", "summarize", "group_records"))
        threshold = rng.randint(-config.magnitude // 2, config.magnitude // 2)
        ending = "return totals"
        alt_ending = "return dict(totals)"
        words = "Return that dict."
        if config.steps >= 2:
            ending = f"return {{k: v for k, v in totals.items() if v > {threshold}}}"
            alt_ending = f"out = {{}}\n    for k in totals:\n        if totals[k] > {threshold}:\n            out[k] = totals[k]\n    return out"
            words = f"Return the dict without the names whose value is {threshold} or less."
        if config.steps >= 3:
            ending = "return sorted(totals, key=lambda k: (-totals[k], k))"
            alt_ending = "pairs = sorted((-v, k) for k, v in totals.items())\n    return [k for _, k in pairs]"
            words = "Return the list of names ordered by value, largest first; equal values in alphabetical order."
        source = f"def {name}(records):\n    totals = {{}}\n    for name, amount in records:\n        {code}\n    {ending}\n"
        alternative = f"def {name}(records):\n    totals = {{}}\n    for record in records:\n        name, amount = record[0], record[1]\n        {alt}\n    {alt_ending}\n"
        m = config.magnitude

        def records() -> list:
            return [(rng.choice(NAMES), rng.randint(-m, m)) for _ in range(rng.randint(2, config.size))]

        inputs: list[tuple] = [([],), ([("ann", 0)],), ([("bob", -m), ("bob", -1)],), ([("cy", 5), ("ann", 5), ("cy", 5)],)]
        inputs += [(records(),) for _ in range(config.tests - len(inputs))]
        description = (
            f"It takes a list `records` of (name, amount) tuples (name a str, amount an int). Build a dict that maps "
            f"each name to {text}. {words}"
        )
        return Spec(name, f"{name}(records: list[tuple[str, int]])", description, source, alternative, inputs)
