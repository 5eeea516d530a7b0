"""Verdicts on real answers that differ from the reference, near misses and cheats, for generated
terminal problems (a representative table; bench/terminal_adversarial.py is the wide sweep).

Each row once paid the wrong reward: a right answer refused (output without its final newline,
a completion with CRLF line breaks) or a near miss paid because the drawn data never reached the
boundary it was meant to test (so the off-by-one scored 1 at about half the seeds).
"""

from __future__ import annotations

import json
import re

import pytest

import assay
from assay.generators.terminal._base import fence
from assay.types import Problem
from assay.verifiers.terminal import verify


def problem(family: str, level: int, seed: int = 3) -> Problem:
    return assay.get_task(f"terminal/{family}").generate(seed, difficulty=level, check_solvable=False)


def found(pattern: str, item: Problem) -> str:
    match = re.search(pattern, item.data["instruction"])
    assert match, pattern
    return match.group(1)


def log_window(item: Problem, low: str = ">=", high: str = "<=") -> str:
    start, end = re.search(r"between (\S+ \S+) and (\S+ \S+) inclusive", item.data["instruction"]).groups()  # type: ignore[union-attr]
    return ("python3 - <<'PY'\nout = []\nfor line in open('logs/app.log', encoding='utf-8'):\n    p = line.split(' ')\n"
            f"    if len(p) > 3 and p[2] == 'ERROR' and p[0] + ' ' + p[1] {low} {start!r} and p[0] + ' ' + p[1] {high} {end!r}:\n"
            "        out.append(line)\nopen('errors.txt', 'w', encoding='utf-8').write(''.join(out))\nPY")


def large(item: Problem, op: str) -> str:
    size = found(r"strictly greater than (\d+) bytes", item)
    return f"find data -type f -size {op}{size}c -print | LC_ALL=C sort > large.txt"


# (family, level, script from the problem, expected, why)
ROWS = [
    ("cron_schedule", 2, lambda p: p.answer.replace("''.join(c + '\\n' for c in out)", "'\\n'.join(out)"), True,
     "due.txt without its final newline (the instruction says one per line, not how the file ends)"),
    ("cron_schedule", 1, lambda p: p.answer + "\nsed -i 's/$/\\r/' due.txt", True, "due.txt with CRLF line ends"),
    ("cron_schedule", 3, lambda p: p.answer + "\nsed -i '$d' due.txt", False, "the last due job missing"),
    ("env_file_merge", 2, lambda p: p.answer.strip() + "\nprintf '%s' \"$(cat .env)\" > /tmp/e && cat /tmp/e > .env", True,
     ".env without its final newline"),
    ("env_file_merge", 2, lambda p: p.answer.replace("cat .env.local .env.defaults", "cat .env.defaults .env.local"), False,
     "the defaults win over the local values"),
    ("env_script", 1, lambda p: p.answer.replace('echo "$', "printf '%s' \"$", 1), True,
     "start.sh prints its one line without a final newline"),
    ("env_script", 2, lambda p: p.answer.replace("is required\" >&2", "missing\" >&2"), False,
     "the right exit status with another error message than the one asked for"),
    ("env_script", 2, lambda p: p.answer.replace("echo \"error: bad port\" >&2; exit 2", "exit 2"), False,
     "a bad port refused silently (the message is asked for on stderr)"),
    ("find_large_files", 1, lambda p: large(p, "+"), True, "find -size +Nc (no sort flags beyond LC_ALL=C)"),
    ("find_large_files", 1, lambda p: large(p, "+$((-1+") + ")", False, "off by one: sizes at least N, not above N"),
    ("find_large_files", 2, lambda p: p.answer.replace("find data", "find -L data"), False,
     "find -L lists data/big_link, a link to a large file (links are not files here)"),
    ("find_recent_files", 1, lambda p: re.sub(r"-newermt @\d+", "-newermt " + found(r"at or after (\S+) ", p), p.answer), False,
     "find -newermt DATE is strictly after: the file modified at the cutoff is missed"),
    ("log_filter", 1, log_window, True, "python string comparison of the timestamps, both bounds inclusive"),
    ("log_filter", 1, lambda p: log_window(p, low=">"), False, "the start of the window exclusive"),
    ("log_filter", 1, lambda p: log_window(p, high="<"), False, "the end of the window exclusive"),
    ("json_filter", 1, lambda p: p.answer.replace(".age >= ", ".age > "), False, "age above the minimum, not at least"),
    ("json_filter", 2, lambda p: p.answer.replace(" and .email != null", ""), False,
     "the email condition left out: a null and a missing email print null"),
    ("json_filter", 2, lambda p: p.answer.replace(".email != null", "(.email | type) == \"string\""), True, "email tested by its type"),
    ("create_archive", 2, lambda p: p.answer.replace("-name '*.conf'", "-name '[!.]*.conf'"), False,
     "hidden .conf files left out (the instruction includes them)"),
    ("create_archive", 2, lambda p: "find etc -type f -name '*.conf' -printf '%P\\0' | tar -C etc --null -T - -czf backup.tar.gz\n"
     "find etc -type f -name '*.conf' -exec rm -f {} +", True, "find -printf %P into tar -C etc"),
    ("log_rotate", 1, lambda p: p.answer.replace("if [ $((n + 1)) -le", "if [ 0 -le"), False,
     "every generation shifted up, the one past the limit not deleted"),
    ("log_rotate", 2, lambda p: p.answer.replace("gzip -n -c", "gzip -9 -c"), True, "gzip with a name and time in its header"),
    ("fix_permissions", 2, lambda p: "find deploy -type f -exec chmod u=rw,go=r {} \\;\nfind deploy -name '*.sh' -exec chmod a+x {} +\n"
     "find deploy \\( -name '*.key' -o -name '*.pem' \\) -exec chmod go= {} +", True, "symbolic modes, one chmod per file"),
    ("fix_permissions", 2, lambda p: "for f in deploy/* deploy/*/*; do [ -f \"$f\" ] || continue; case $f in *.sh) chmod 755 \"$f\";; "
     "*.key|*.pem) chmod 600 \"$f\";; *) chmod 644 \"$f\";; esac; done", False, "a glob without dotglob skips the hidden files"),
]


@pytest.mark.parametrize("family, level, make, expected, why", ROWS, ids=[row[4] for row in ROWS])
def test_adversarial_rows(family, level, make, expected, why):
    item = problem(family, level)
    verdict = verify(fence(make(item)), item.data)
    assert verdict.passed is expected, (why, verdict)


def test_a_completion_with_crlf_line_breaks_runs_as_written():
    item = problem("word_frequency", 2)
    completion = f"I count the words.\r\n```bash\r\n{item.answer.strip()}\r\n```\r\n".replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    assert verify(completion, item.data).passed


@pytest.mark.parametrize("level", (1, 2, 3))
def test_boundary_traps_are_in_every_drawn_problem(level):
    """The data reaches every bound an off-by-one would get wrong, at every seed (not by chance)."""
    for seed in range(6):
        sizes = problem("find_large_files", level, seed)
        threshold = int(found(r"strictly greater than (\d+) bytes", sizes))
        lengths = {len(entry["text"].encode()) for entry in sizes.data["tree"] if entry["type"] == "file"}
        assert {threshold - 1, threshold, threshold + 1} <= lengths, (seed, threshold)

        recent = problem("find_recent_files", level, seed)
        mtimes = {entry["mtime"] for entry in recent.data["tree"] if "mtime" in entry}
        cutoff = int(re.search(r"-newermt @(\d+)", recent.answer).group(1)) + 1  # type: ignore[union-attr]
        assert {cutoff - 1, cutoff} <= mtimes, seed

        logs = problem("log_filter", level, seed)
        start, end = re.search(r"between (\S+ \S+) and (\S+ \S+) inclusive", logs.data["instruction"]).groups()  # type: ignore[union-attr]
        kept = logs.data["tests"][0]["equals"].splitlines()
        lines = logs.data["tree"][0]["text"].splitlines()
        assert any(line.startswith(start) for line in kept) and any(line.startswith(end) for line in kept), seed
        errors = [line for line in lines if line.split(" ")[2:3] == ["ERROR"]]
        assert any(line[:19] < start for line in errors) and any(line[:19] > end for line in errors), seed

        modes = problem("fix_permissions", level, seed)
        files = [entry for entry in modes.data["tree"] if entry["type"] == "file"]
        wanted = {test["path"]: test["mode"] for test in modes.data["tests"] if test["kind"] == "mode"}
        assert all(entry.get("mode", 0o644) != wanted[entry["path"]] for entry in files), seed  # every file must be changed
        assert level == 1 or any(entry["path"].rsplit("/", 1)[-1].startswith(".") for entry in files), seed

        users = problem("json_filter", level, seed)
        minimum = int(found(r"at least (\d+) years", users))
        eligible = [u for u in json.loads(users.data["tree"][0]["text"]) if u["active"] and u.get("email")]
        assert {minimum - 1, minimum} <= {u["age"] for u in eligible}, seed
