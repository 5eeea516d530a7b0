"""code/intervals: a function over closed integer intervals [start, end]: merging, covered length,
deepest overlap, or the gaps inside a range.
"""

from __future__ import annotations

import random

from assay.generators.code._base import CodeConfig, FunctionTask, Spec
from assay.registry import register_task

MERGE = '''def {name}(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]{touch}:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
'''
MERGE_ALT = '''def {name}(intervals):
    items = sorted([list(i) for i in intervals], key=lambda i: (i[0], i[1]))
    out = []
    i = 0
    while i < len(items):
        start, end = items[i]
        j = i + 1
        while j < len(items) and items[j][0] <= end{touch}:
            end = max(end, items[j][1])
            j += 1
        out.append([start, end])
        i = j
    return out
'''
COVER = '''def {name}(intervals):
    total = 0
    current = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = [start, end]
        else:
            current[1] = max(current[1], end)
    if current is not None:
        total += current[1] - current[0]
    return total
'''
COVER_ALT = '''def {name}(intervals):
    events = sorted([(s, 1) for s, e in intervals] + [(e, -1) for s, e in intervals], key=lambda p: (p[0], -p[1]))
    depth, total, opened = 0, 0, None
    for x, step in events:
        if depth == 0 and step == 1:
            opened = x
        depth += step
        if depth == 0:
            total += x - opened
    return total
'''
DEPTH = '''def {name}(intervals):
    events = sorted([(s, 0) for s, e in intervals] + [(e, 1) for s, e in intervals])
    best = depth = 0
    for _, kind in events:
        depth += 1 if kind == 0 else -1
        best = max(best, depth)
    return best
'''
DEPTH_ALT = '''def {name}(intervals):
    points = {{p for s, e in intervals for p in (s, e)}}
    return max((sum(1 for s, e in intervals if s <= p <= e) for p in points), default=0)
'''

VARIANTS = (
    ("merge", "Merge overlapping intervals{touch_text} and return the merged intervals as a list of [start, end] lists sorted by start.", MERGE, MERGE_ALT),
    ("cover", "Return the total length covered by the union of the intervals (an interval [s, e] has length e - s; overlaps count once).", COVER, COVER_ALT),
    ("depth", "Return the largest number of intervals that contain one common point (intervals are closed: [1, 3] and [3, 5] share 3; 0 for no intervals).", DEPTH, DEPTH_ALT),
)


@register_task
class Intervals(FunctionTask):
    id = "code/intervals"
    description = "Write a function over closed integer intervals: merge them, measure their union, or find the deepest overlap."

    def make_spec(self, rng: random.Random, config: CodeConfig) -> Spec:
        kind, text, source, alternative = VARIANTS[rng.randrange(len(VARIANTS))] if config.steps > 1 else VARIANTS[0]
        touch = " + 1" if rng.random() < 0.5 else ""
        touch_text = " (intervals that overlap or touch end to start, like [1, 2] and [3, 4], merge too)" if touch else " (two intervals overlap when they share at least one point)"
        name = rng.choice(("merge_intervals", "solve_intervals", "interval_query")) if kind == "merge" else rng.choice(("covered_length", "interval_query", "overlap_depth"))
        m = config.magnitude

        def interval() -> tuple[int, int]:
            a = rng.randint(-m, m)
            return (a, a + rng.randint(0, max(1, m // 4)))

        inputs: list[tuple] = [([],), ([(0, 0)],), ([(1, 2), (3, 4)],), ([(5, 9), (1, 5), (2, 3)],), ([(-m, m), (0, 1)],)]
        inputs += [([interval() for _ in range(rng.randint(2, config.size))],) for _ in range(config.tests - len(inputs))]
        description = f"It takes a list `intervals` of (start, end) integer pairs with start <= end, in any order. {text.format(touch_text=touch_text)}"
        return Spec(name, f"{name}(intervals: list[tuple[int, int]])", description,
                    source.format(name=name, touch=touch), alternative.format(name=name, touch=touch), inputs)
