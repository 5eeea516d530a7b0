"""Long hostile answers against every verifier (issue 19): every registered task (so a new domain is
covered as soon as it registers) and ``assay.verifiers.math.verify`` called directly.

For each task and each case of ``bench/long_inputs.py`` (a 100,000-letter word, 100,000 digits,
10,000 nested braces and parentheses, letters and spaces alternating, long runs of ``\\``, ``^``,
``_`` and ``{`` inside the answer block) the check returns a Verdict, and doubling the input no
more than about doubles the time: the median of three interleaved repeats at n and 2n, a ratio of
at most 3 (linear is 2, quadratic 4) plus 50 ms of slack for scheduling noise, by the medians
and by the minima; a case over the bar is measured again with more repeats before it fails.

The measuring runs in a child process, one per domain; a case that prints nothing for
``CASE_TIMEOUT_S`` is killed and fails with its name (a hang fails, it never hangs the suite).
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assay.registry import domains, list_tasks

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "long_inputs.py"
CASE_TIMEOUT_S = 90.0  # one case is 8 checks of up to 200,000 characters; minutes mean a hang
MAX_RATIO = 3.0
FLOOR_S = 0.05  # both times under this: noise, not growth


def _run(args: list[str]) -> tuple[list[dict], str | None]:
    """The JSON rows of a bench run, and the case that hung (None when it finished)."""
    process = subprocess.Popen(
        [sys.executable, str(BENCH), "--json", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert process.stdout is not None
    rows: list[dict] = []
    current = None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        while True:
            if not selector.select(timeout=CASE_TIMEOUT_S):
                process.kill()
                return rows, current or "startup"
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("# start "):
                current = line[len("# start "):].strip()
            elif line.startswith("{"):
                rows.append(json.loads(line))
    finally:
        selector.close()
        if process.poll() is None:
            process.kill()
        process.wait()
    if process.returncode != 0:
        raise AssertionError(f"bench/long_inputs.py {' '.join(args)} failed: {process.stderr.read()[-3000:]}")
    return rows, None


def _too_slow(row: dict) -> bool:
    """Over the bar by the medians and by the minima (load only ever adds time, so the minima are
    the machine's best case); FLOOR_S of slack: a quadratic pass over 200,000 characters costs
    seconds, scheduling noise tens of milliseconds. The bench stops repeating a case once a time at
    2n is at most FLOOR_S (``--stop-below``): its minimum at 2n is then at most FLOOR_S, under the
    bar by the minima whatever more repeats would give, so stopping never lets a slow case pass."""
    return all(row[big] > MAX_RATIO * row[small] + FLOOR_S for small, big in (("t_n", "t_2n"), ("min_n", "min_2n")))


# terminal families all inherit one check (the same script extraction and sandbox run, differing only
# in the tests a tree is judged by, which a hostile script never gets past): one family stands for
# them, so the domain costs seconds, not minutes of sandbox runs. Its braces cases once held each
# sandbox to the script timeout (bash's brace expansion is quadratic in a word's length: 100,000
# `{` is minutes of bash), more than CASE_TIMEOUT_S a case; verify now refuses such a word by a
# linear pre-check (assay.verifiers.terminal.shell).
ONE_PER_CHECK = {"terminal"}
# the math domain's run measures ``assay.verifiers.math.verify`` called directly first
# (bench/long_inputs.py targets), so it has no run of its own: that run measured the same cases again
DOMAINS = domains()
# a domain's tasks in runs of at most this many, each its own test: pytest-xdist spreads them over
# the cores instead of one worker measuring every graph task while the others have finished
TASKS_PER_RUN = 18


def _shards() -> list[tuple[str, int, int]]:
    """``(domain, shard, shards)`` for every run of at most TASKS_PER_RUN of a domain's tasks."""
    out = []
    for domain in DOMAINS:
        count = 1 if domain in ONE_PER_CHECK else -(-len(list_tasks(domain)) // TASKS_PER_RUN)
        out.extend((domain, shard, count) for shard in range(count))
    return out


def _shard_args(domain: str, shard: int, shards: int) -> list[str]:
    if shards == 1:
        return ["--domain", domain, *(["--distinct-checks"] if domain in ONE_PER_CHECK else [])]
    tasks = list_tasks(domain)[shard::shards]
    return ["--tasks", *(["math.verify"] if domain == "math" and shard == 0 else []), *tasks]


@pytest.mark.slow
@pytest.mark.parametrize(("domain", "shard", "shards"), _shards(), ids=lambda v: str(v))
def test_every_check_is_linear_in_a_long_hostile_answer(domain: str, shard: int, shards: int) -> None:
    started = time.monotonic()
    rows, hung = _run([*_shard_args(domain, shard, shards), "--stop-below", str(FLOOR_S)])
    assert hung is None, f"killed after {CASE_TIMEOUT_S} s without a verdict: {hung}"
    assert rows, f"no case ran for {domain}"
    targets = {row["target"] for row in rows}
    expected = set(list_tasks(domain)[shard::shards]) if shards > 1 else set()
    assert targets >= expected, f"tasks not measured: {sorted(expected - targets)}"
    if domain == "math" and shard == 0:
        assert "math.verify" in targets, "the math run no longer measures math.verify"
    slow = []
    for row in filter(_too_slow, rows):
        again, hung = _run(["--tasks", row["target"], "--cases", row["case"], "--repeats", "7", "--stop-below", str(FLOOR_S)])
        assert hung is None, f"killed after {CASE_TIMEOUT_S} s without a verdict: {hung}"
        if _too_slow(again[0]):
            slow.append(again[0])
    assert not slow, "time more than about doubles with the input:\n" + "\n".join(
        f"{r['target']} {r['case']}: n={r['n']} {1000 * r['t_n']:.1f} ms -> {1000 * r['t_2n']:.1f} ms" for r in slow
    )
    print(f"{domain} {shard + 1}/{shards}: {len(rows)} cases in {time.monotonic() - started:.0f} s")


def test_the_hang_detector_names_the_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that stops printing is killed and its last case named (the detector can fail)."""
    script = tmp_path / "hang.py"
    script.write_text("import time\nprint('# start demo word', flush=True)\ntime.sleep(60)\n")
    monkeypatch.setattr(sys.modules[__name__], "BENCH", script)
    monkeypatch.setattr(sys.modules[__name__], "CASE_TIMEOUT_S", 2.0)
    started = time.monotonic()
    rows, hung = _run([])
    assert (rows, hung) == ([], "demo word") and time.monotonic() - started < 30


def test_a_case_stopped_under_the_floor_is_never_too_slow_and_a_slow_one_is() -> None:
    """The bench stops repeating once a 2n time is at most FLOOR_S: such a row is under the bar
    whatever its other figures (the stop is safe only while this holds), and a quadratic row is over."""
    stopped = {"t_n": 0.0, "t_2n": 10.0, "min_n": 0.0, "min_2n": FLOOR_S}
    assert not _too_slow(stopped)
    quadratic = {"t_n": 0.5, "t_2n": 2.0, "min_n": 0.5, "min_2n": 2.0}
    assert _too_slow(quadratic)
