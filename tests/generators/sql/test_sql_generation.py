"""SQL generation at corpus scale: the cheap key of a draw is exactly its prompt, and a corpus that
skips the builds of repeated draws is the corpus that builds them all."""

from __future__ import annotations

import pytest

import assay
from assay.corpus import build_corpus
from assay.executors.generation import RepeatedDraws, generate_jobs
from assay.generators.sql._base import SqlTask
from assay.registry import get_task
from assay.suite import parse_suite

SQL_TASKS = assay.list_tasks("sql")


@pytest.mark.parametrize("task_id", SQL_TASKS)
def test_the_dedup_key_is_the_prompt_of_the_draw(task_id):
    task = get_task(task_id)
    assert task.exact_dedup_key
    for seed, difficulty in ((0, 1), (1, 2), (2, 3), (3, None)):
        assert task.dedup_key(seed, difficulty=difficulty) == task.generate(seed, difficulty=difficulty).prompt, (seed, difficulty)


@pytest.mark.parametrize("task_id", ["sql/join", "sql/window_rank"])
def test_the_dedup_key_is_the_prompt_of_a_duckdb_draw(task_id):
    task = get_task(task_id)
    assert task.dedup_key(3, difficulty=2, dialect="duckdb") == task.generate(3, difficulty=2, dialect="duckdb").prompt


def test_repeated_draws_of_a_stream_are_not_built_and_the_others_are_unchanged():
    jobs = [("sql/anti_join", seed, 1, {}) for seed in (3, 7, 3, 8, 7)]  # three different prompts
    built = generate_jobs(jobs)
    memory = RepeatedDraws()
    first = memory.generate(jobs[:3], ("entry", 0))
    later = memory.generate(jobs[3:], ("entry", 3))  # a later chunk of the same stream remembers the first
    assert [p is None for p in first + later] == [False, False, True, False, True]
    assert [p.id for p in first + later if p is not None] == [built[i].id for i in (0, 1, 3)]
    # the same draw at an earlier index of another stream, or at the same index again, is built
    assert memory.generate(jobs[:1], ("other entry", 7))[0] is not None
    assert memory.generate(jobs[:1], ("entry", 0))[0] is not None


def test_a_corpus_with_repeats_is_the_same_with_and_without_skipping_them(monkeypatch):
    # sql/anti_join has 16 questions: 9 of them take about half as many draws again
    suite = parse_suite({"n": 12, "seed": 5, "test_size": 0.25, "tasks": [
        {"task": "sql/anti_join", "difficulty": 1, "weight": 3}, {"task": "sql/window_rank", "weight": 1}]})
    builds = []
    original = SqlTask.build

    def counted(self, rng, config):  # type: ignore[no-untyped-def]
        builds.append(self.id)
        return original(self, rng, config)

    monkeypatch.setattr(SqlTask, "build", counted)
    skipping = build_corpus(suite, executor="inline")
    assert sum(r.duplicates for r in skipping.reports) > 0
    built_skipping = len(builds)
    pooled = build_corpus(suite, executor="process", workers=2)
    monkeypatch.setattr(SqlTask, "exact_dedup_key", False)
    builds.clear()
    building_all = build_corpus(suite, executor="inline")
    # every draw is built (the accepted ones, repeats, and a few made ahead and not needed) ...
    assert len(builds) >= sum(r.draws for r in building_all.reports)
    # ... where the fast path built only the draws that came first in their stream
    assert len(skipping) <= built_skipping < len(builds)
    for corpus in (pooled, building_all):
        assert [p.to_row() for p in corpus.train] == [p.to_row() for p in skipping.train]
        assert [p.to_row() for p in corpus.test] == [p.to_row() for p in skipping.test]
        assert corpus.reports == skipping.reports


def test_a_build_after_its_key_resumes_the_first_phase_and_gives_the_same_problem():
    task = get_task("sql/join")
    expected = {seed: task.generate(seed, difficulty=2).to_row() for seed in range(4)}
    task.dedup_key(0, difficulty=2)
    assert task.generate(1, difficulty=2).to_row() == expected[1]  # another seed: built from scratch
    task.dedup_key(2, difficulty=1)
    assert task.generate(2, difficulty=2).to_row() == expected[2]  # another level
    task.dedup_key(0, difficulty=2)
    task.dedup_key(3, difficulty=2)
    assert task.generate(3, difficulty=2).to_row() == expected[3]  # the key just drawn: resumed


def test_the_first_phase_check_does_not_depend_on_the_duckdb_problems_built_before():
    # a DuckDB problem's checks load whole scripts (tables with foreign keys) on their own connection:
    # the first phase's check of a later problem on the same domain must not meet those tables
    task = get_task("sql/join")
    first = [task.generate(seed, difficulty=2, domain="clinic").to_row() for seed in range(3)]
    task.generate(3, difficulty=2, dialect="duckdb", domain="clinic")
    assert [task.generate(seed, difficulty=2, domain="clinic").to_row() for seed in range(3)] == first
