"""Task capacity: measured (and cached) or declared per level; a mixture never asks a task for
more than it can give, hands the rest to the others by weight and says so; --strict keeps the
error."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import ClassVar

import pytest

from assay.capacity import Space, capacity_table, draw_limit, entry_limit, estimate_space, level_capacity, level_space, plan_counts
from assay.cli import main
from assay.datasets import build_corpus
from assay.errors import DatasetError
from assay.registry import Draft, Task, TaskConfig, register_task, unregister_task
from assay.suite import Suite, SuiteEntry, parse_suite
from assay.types import Problem, Verdict

ARITH = "math/arithmetic"
TINY = {"operands": 2, "magnitude": 2, "depth": 0, "division": False}  # 12 problems at level 1


@dataclass(frozen=True)
class PickConfig(TaskConfig):
    pass


class Pick(Task):
    """Five problems at level 1, declared; 40 at level 2, measured."""

    id = "captest/pick"
    description = "Repeat a number (tests only)."
    levels: ClassVar[dict[int, PickConfig]] = {1: PickConfig(), 2: PickConfig()}  # five numbers, forty numbers
    answer_format = "the number"
    verification = "exact"
    Config = PickConfig
    capacity: ClassVar[dict[int, int]] = {1: 5}

    def build(self, rng: random.Random, config: PickConfig) -> Draft:
        number = rng.randrange(5 if self.difficulty == 1 else 40)
        return Draft(prompt=f"Say {number}.", answer=str(number), data={"n": number})

    def generate(self, seed: int, *, difficulty: int | None = None, **config) -> Problem:
        self.difficulty = difficulty or 1
        return super().generate(seed, difficulty=difficulty, **config)

    def check(self, problem: Problem, completion: str) -> Verdict:
        return Verdict.correct() if completion.strip() == problem.answer else Verdict.fail("wrong_answer")


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSAY_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "capacity.json"


@pytest.fixture
def pick():
    register_task(Pick)
    try:
        yield
    finally:
        unregister_task(Pick.id)


@pytest.mark.parametrize(
    ("draws", "distinct", "expected", "why"),
    [
        (512, 12, 12, "every problem seen many times over: the count itself"),
        (512, 512, None, "no repeat: larger than the draws can tell"),
        (512, 128, 128, "a quarter: each seen four times on average, all seen"),
        (512, 400, 799, "some repeats: an estimate that errs small (about 1000 by the mean)"),
    ],
)
def test_space_estimates(draws, distinct, expected, why):
    assert estimate_space(draws, distinct) == expected, why


def test_capacity_is_declared_or_measured_once_and_cached(pick, cache):
    assert capacity_table("captest/pick") == {1: 5, 2: 40}
    stored = json.loads(cache.read_text())
    assert list(stored["entries"]) == ["captest/pick@1:2:{}"]  # level 1 was declared
    entry = stored["entries"]["captest/pick@1:2:{}"]
    assert entry["size"] == 40 and entry["draws"] == 512 and sum(t * k for t, k in entry["profile"]) == 512
    entry["size"] = 39  # the cache is what a second call reads
    cache.write_text(json.dumps(stored))
    assert level_capacity("captest/pick", 2) == 39
    assert level_capacity(ARITH, 1, TINY) == 12


def test_limits_follow_the_draw_budget():
    # 12 problems drawn evenly: a budget of 4 draws each plus 100 finds them all
    assert entry_limit(SuiteEntry(ARITH, difficulty=1, config=TINY)) == 12
    assert entry_limit(SuiteEntry(ARITH, difficulty=3)) is None


def test_a_mixture_hands_what_a_task_cannot_give_to_the_others():
    suite = parse_suite({"n": 60, "seed": 2, "test_size": 0.2, "tasks": [
        {"task": ARITH, "difficulty": 1, "config": TINY, "weight": 2}, {"task": ARITH, "difficulty": 2, "weight": 3},
        {"task": ARITH, "difficulty": 3, "weight": 1}]})
    assert suite.counts() == [20, 30, 10]
    plan = plan_counts(suite)
    assert plan.counts == [12, 36, 12]  # 8 more, shared 3:1
    assert plan.notices == [
        ('math/arithmetic (difficulty 1, config {"depth":0,"division":false,"magnitude":2,"operands":2}) '
         "can yield about 12 distinct problems: 20 -> 12"),
        "the 8 problems they cannot give go to 2 other entries by weight (2 to 6 more each: math/arithmetic, math/arithmetic)"]
    corpus = build_corpus(suite, executor="inline")
    assert len(corpus) == 60 and [r.requested for r in corpus.reports] == [12, 36, 12]
    with pytest.raises(DatasetError, match="cannot yield 20 distinct problems"):
        build_corpus(suite, executor="inline", strict=True)


def test_a_mixture_that_cannot_be_filled_is_an_error():
    suite = parse_suite({"n": 30, "tasks": [{"task": ARITH, "difficulty": 1, "config": TINY}] * 2})
    with pytest.raises(DatasetError, match="cannot yield 30 distinct problems in all"):
        plan_counts(suite)


def test_a_mixture_within_capacity_is_unchanged():
    suite = Suite((SuiteEntry(ARITH, difficulty=1, config=TINY), SuiteEntry(ARITH, difficulty=2)), n=20)
    assert plan_counts(suite).counts == suite.counts() == [10, 10] and not plan_counts(suite).notices


def test_cli_prints_the_notice_and_strict_keeps_the_error(tmp_path, capsys):
    mix = tmp_path / "mix.yaml"
    mix.write_text(f"n: 40\ntasks:\n  - {{task: {ARITH}, difficulty: 1, config: {json.dumps(TINY)}}}\n"
                   f"  - {{task: {ARITH}, difficulty: 2}}\n")
    assert main(["generate", "--mix", str(mix), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "notice: mixture rebalanced: math/arithmetic (difficulty 1" in err and "20 -> 12" in err
    assert err.count("mixture rebalanced") == 2  # the capped entry, then one line for the others
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["counts"] == {"train": 36, "test": 4}
    assert main(["generate", "--mix", str(mix), "--out", str(tmp_path / "strict"), "--strict"]) == 2
    assert "cannot yield 20 distinct problems" in capsys.readouterr().err


def test_list_capacity(pick, capsys):
    assert main(["list", "captest", "--capacity"]) == 0
    assert "captest/pick  1: 5  2: 40" in capsys.readouterr().out


def test_the_shipped_table_matches_fresh_measurements():
    from assay.capacity import _shipped
    from assay.registry import get_task, list_tasks

    shipped = _shipped()
    tasks = set(list_tasks())
    stale = [key for key in shipped if key.split("@")[0] not in tasks
             or key.split("@")[1].split(":")[0] != str(get_task(key.split("@")[0]).version)]
    assert not stale, f"remake assay/capacity.json with `python -m assay.capacity`: {stale[:5]}"
    for task_id, level in (("math/trig_values", 2), ("graph/shortest_path", 1), ("math/arithmetic", 1), ("sql/join", 1)):
        key = f"{task_id}@{get_task(task_id).version}:{level}:{{}}"
        assert shipped[key] == level_space(task_id, level, cache=False).to_json(), key


def test_a_mixture_of_built_in_tasks_plans_without_probing(monkeypatch):
    from assay import capacity

    def no_probe(*args, **kwargs):
        raise AssertionError("probed a task the shipped table covers")

    monkeypatch.setattr(capacity, "_repeats_early", no_probe)
    monkeypatch.setattr(capacity, "estimate_space", no_probe)
    suite = Suite.of(["graph", "math"], n=50000)
    plan = plan_counts(suite)
    assert sum(plan.counts) == 50000 and any("math/trig_values" in line for line in plan.notices)
    every = Suite.of(["graph", "math", "sql", "code", "terminal"], n=10000)  # sql/join's share: 63
    plan = plan_counts(every)
    assert sum(plan.counts) == 10000 and plan.notices[0].startswith("sql/join (mixed difficulty) can yield about")


def test_sql_tasks_measure_their_question_space():
    # a corpus tells SQL problems apart by prompt (schema and question), and some families have
    # only a few questions: the shipped table says so per level, and the probe draws exactly the
    # prompts that generate draws (without building the K databases)
    from assay.capacity import _shipped
    from assay.registry import get_task

    shipped = _shipped()
    def size(key: str) -> int:
        return Space.from_json(shipped[key]).size  # type: ignore[return-value]

    assert [size(f"sql/string_functions@2:{level}:{{}}") for level in (1, 2, 3)] == [47, 50, 49]
    assert size("sql/string_functions@2:1+2+3:{}") == 57  # mostly the same questions at every level
    # anti_join (version 3) grows with the level: 16 questions at level 1, hundreds above
    assert [size(f"sql/anti_join@3:{level}:{{}}") for level in (1, 2, 3)] == [16, 377, 471]
    assert size("sql/anti_join@3:1+2+3:{}") == 669
    assert size("sql/correlated_subquery@3:1:{}") == 11 and size("sql/filter_comparison@2:3:{}") > 1000
    task = get_task("sql/anti_join")
    for level in (1, 2, 3):
        assert [task.dedup_key(seed, difficulty=level) for seed in range(3)] == [
            task.generate(seed, difficulty=level).prompt for seed in range(3)]


def test_a_sql_mixture_hands_what_a_family_cannot_give_to_the_others():
    # sql/correlated_subquery has 11 questions at level 1: asked for 12 it used to fail the whole corpus
    suite = parse_suite({"n": 24, "seed": 0, "test_size": 0.25, "tasks": [
        {"task": "sql/correlated_subquery", "difficulty": 1}, {"task": "sql/filter_comparison", "difficulty": 1}]})
    corpus = build_corpus(suite, executor="inline")
    # 11 questions, not drawn evenly: the draws a corpus allows are expected to yield 10 of them
    assert len(corpus) == 24 and [r.requested for r in corpus.reports] == [10, 14]
    assert corpus.notices[0] == "sql/correlated_subquery (difficulty 1) can yield about 10 distinct problems: 12 -> 10"
    assert len({p.prompt for p in corpus.train + corpus.test}) == 24


def test_a_task_that_favours_some_problems_still_fills_its_capped_share():
    # trig_values draws some of its ~550 problems far more often than others: the limit comes
    # from the probe's profile of how often it drew each, and a rebalanced entry may draw up to
    # 16 per problem
    suite = parse_suite({"n": 1000, "seed": 0, "tasks": ["math/trig_values", ARITH]})
    corpus = build_corpus(suite, executor="inline")
    trig = corpus.reports[0]
    assert len(corpus) == 1000 and trig.requested < 500 and trig.draws > 2 * trig.requested
    assert "math/trig_values (mixed difficulty) can yield about" in corpus.notices[0]
    with pytest.raises(DatasetError, match="cannot yield 500 distinct problems"):
        build_corpus(suite, executor="inline", strict=True)


def test_a_skewed_space_is_not_asked_for_what_its_draws_rarely_reach():
    """sql/string_functions measures 57 problems at mixed difficulty, but some are drawn rarely
    (900 draws gave 54): a mixture that asked it for 55 failed after its whole draw budget."""
    suite = Suite((SuiteEntry("sql/string_functions"), SuiteEntry(ARITH, difficulty=3)), n=120, seed=0)
    plan = plan_counts(suite)
    assert plan.counts[0] < 55 and sum(plan.counts) == 120 and plan.notices
    corpus = build_corpus(suite, executor="inline")
    assert [r.requested for r in corpus.reports] == plan.counts and len(corpus) == 120


@pytest.mark.parametrize("common", [5, 20, 60])
def test_a_skewed_space_is_asked_only_for_what_its_budget_yields(common):
    """A space where half the problems are drawn 24 times as often as the other half: the limit
    from the probe's profile is reached by its draw budget in all but a few of 400 simulated
    corpora, where the even-draw model of the same size asks for more than most of them reach."""
    rng = random.Random(common)
    population = list(range(common)) * 24 + list(range(common, 2 * common))
    probe = Space.from_keys([rng.choice(population) for _ in range(512)])
    assert probe.size is not None and probe.size <= 2 * common
    limit, even = draw_limit([probe]), draw_limit([Space(probe.size)])
    assert limit is not None and even is not None and limit < even

    def reached(count: int) -> float:
        draws = 4 * count + 100  # the corpus's budget for an entry
        return sum(len({rng.choice(population) for _ in range(draws)}) >= count for _ in range(400)) / 400

    assert reached(limit) >= 0.98
    assert reached(even) < 0.5


def test_every_computed_cache_shares_one_folder_and_images_stay_put(tmp_path, monkeypatch):
    """Capacities, card samples and terminal checks live in one folder (``ASSAY_CACHE``, else
    ``ASSAY_CACHE_DIR``); the terminal checks once read only ``ASSAY_CACHE_DIR``, so a run given a
    fresh ``ASSAY_CACHE`` still found its terminal checks cached."""
    from assay.capacity import cache_folder
    from assay.generators.terminal._base import _cache_dir
    from assay.sandbox.images import cache_dir as images_dir

    monkeypatch.delenv("ASSAY_CACHE", raising=False)
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "all"))
    assert cache_folder() == tmp_path / "all" and _cache_dir() == tmp_path / "all" / "terminal-solvable"
    assert images_dir() == tmp_path / "all" / "sandbox"
    monkeypatch.setenv("ASSAY_CACHE", str(tmp_path / "fresh"))
    assert cache_folder() == tmp_path / "fresh" and _cache_dir() == tmp_path / "fresh" / "terminal-solvable"
    assert images_dir() == tmp_path / "all" / "sandbox"  # the built images are kept
