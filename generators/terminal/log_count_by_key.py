"""terminal/log_count_by_key: count access-log requests per status code (or per path), sorted by count."""

from __future__ import annotations

import random
from collections import Counter

from assay.generators.terminal._base import Spec, TerminalConfig, TerminalTask
from assay.generators.terminal._data import word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry

STATUSES = (200, 200, 200, 201, 301, 304, 400, 403, 404, 404, 500, 503)


@register_task
class LogCountByKey(TerminalTask):
    id = "terminal/log_count_by_key"
    description = "Count access-log requests per HTTP status (with more steps: the top paths of failed requests)."
    verification = "status_counts.txt must hold 'count status' lines sorted by count descending then status ascending."

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        paths = [f"/{word(rng)}" + (f"/{word(rng)}" if rng.random() < 0.5 else "") for _ in range(6)]
        if config.traps:
            paths.append("/search?q=a b")  # a space inside the quoted request: field positions shift
        statuses: Counter[int]
        failed: Counter[str]
        lines, statuses, failed = [], Counter(), Counter()
        for index in range(config.items * 5):
            status = rng.choice(STATUSES)
            path = rng.choice(paths)
            ip = f"10.0.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            agent = "curl/8.0" if index % 2 else "Mozilla/5.0 (X11; Linux x86_64)"
            lines.append(f'{ip} - - [01/Mar/2024:10:{index % 60:02d}:00 +0000] "GET {path} HTTP/1.1" {status} {rng.randrange(100, 5000)} "-" "{agent}"')
            statuses[status] += 1
            if status >= 400:
                failed[path] += 1
        ordered = sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))
        instruction = (
            "The file /work/access.log is a web server log in the combined format: "
            "'IP - - [time] \"METHOD PATH PROTOCOL\" STATUS BYTES \"referer\" \"user agent\"' (a path may contain a space). "
            "Write to /work/status_counts.txt one line per HTTP status code that occurs, as 'COUNT STATUS' (a single space), "
            "sorted by COUNT from high to low and, for equal counts, by STATUS from low to high."
        )
        tests = [{"kind": "file", "path": "status_counts.txt", "equals": "".join(f"{c} {s}\n" for s, c in ordered), "name": "status counts"}]
        reference = (
            "python3 - <<'PY'\nimport re, collections\nc = collections.Counter()\np = collections.Counter()\n"
            "for line in open('access.log'):\n    m = re.search(r'\"[A-Z]+ (.*) HTTP/[0-9.]+\" ([0-9]{3}) ', line)\n"
            "    if m:\n        c[int(m.group(2))] += 1\n        if int(m.group(2)) >= 400:\n            p[m.group(1)] += 1\n"
            "with open('status_counts.txt', 'w') as out:\n    for s, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):\n"
            "        out.write(f'{n} {s}\\n')\n"
        )
        if config.steps >= 2:
            top = sorted(failed.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            instruction += (" Also write to /work/top_failed.txt the (at most) three paths with the most requests whose status "
                            "is 400 or above, as 'COUNT PATH' lines, by count descending then path in byte order.")
            tests.append({"kind": "file", "path": "top_failed.txt", "equals": "".join(f"{n} {p}\n" for p, n in top), "name": "top failed"})
            reference += ("with open('top_failed.txt', 'w') as out:\n    for q, n in sorted(p.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:3]:\n"
                          "        out.write(f'{n} {q}\\n')\n")
        reference += "PY"
        return Spec(instruction, [file_entry("access.log", "\n".join(lines) + "\n")], tests, reference)
