"""Suites: splitting n by weight, YAML suite files and their validation errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.datasets import build_corpus
from assay.errors import ConfigError
from assay.registry import list_tasks
from assay.suite import Suite, SuiteEntry, load_suite, parse_suite

ARITH = "math/arithmetic"


@pytest.mark.parametrize(
    ("weights", "n", "expected", "why"),
    [
        ([1, 1, 1], 10, [4, 3, 3], "equal weights: the remainder goes to the first entries"),
        ([1, 1, 1], 2, [1, 1, 0], "fewer problems than entries"),
        ([3, 1], 8, [6, 2], "exact proportions"),
        ([2, 1], 10, [7, 3], "6.67 and 3.33: the larger remainder wins the last problem"),
        ([0.5, 0.25, 0.25], 7, [3, 2, 2], "quotas 3.5, 1.75, 1.75: the two larger remainders win"),
        ([1, 1, 2], 2, [1, 0, 1], "quotas 0.5, 0.5, 1: the one left over goes to the earlier tie"),
        ([1, 1, 2], 3, [1, 1, 1], "quotas 0.75, 0.75, 1.5: the two larger remainders win"),
        ([1, 1, 2], 4, [1, 1, 2], "quotas 1, 1, 2: exact"),
        ([1], 1, [1], "a single entry takes everything"),
    ],
)
def test_counts_split_n_by_weight(weights, n, expected, why):
    suite = Suite(tuple(SuiteEntry(ARITH, Fraction(w)) for w in weights), n=n)
    assert suite.counts() == expected, why
    assert sum(suite.counts()) == n


def test_suite_of_task_ids_and_domains():
    suite = Suite.of(["math"], n=10)
    assert [e.task for e in suite.entries] == list_tasks("math")
    assert sum(suite.counts()) == 10
    assert Suite.of([ARITH, ARITH], n=3).entries == (SuiteEntry(ARITH),)  # duplicates collapse


def test_parse_suite_forms_and_defaults():
    suite = parse_suite({
        "n": 40, "seed": 3, "test_size": 0.25, "format": "jsonl", "difficulty": 2,
        "tasks": [ARITH, {"task": ARITH, "weight": 3, "difficulty": 5, "config": {"operands": 4}}],
    })
    assert (suite.n, suite.seed, suite.test_size, suite.format) == (40, 3, 0.25, "jsonl")
    assert suite.entries[0] == SuiteEntry(ARITH, Fraction(1), 2, {})
    assert suite.entries[1] == SuiteEntry(ARITH, Fraction(3), 5, {"operands": 4})
    assert suite.counts() == [10, 30]


def test_domain_weight_is_shared_by_its_tasks():
    suite = parse_suite({"n": 100, "tasks": [{"task": "math", "weight": 2}, {"task": ARITH, "weight": 2}]})
    math_tasks = list_tasks("math")
    assert len(suite.entries) == len(math_tasks) + 1
    assert sum(e.weight for e in suite.entries[:-1]) == 2
    assert suite.entries[-1].weight == 2


@pytest.mark.parametrize(
    ("spec", "field", "why"),
    [
        ({"n": 10}, "tasks", "no tasks"),
        ({"tasks": []}, "tasks", "an empty task list"),
        ({"tasks": [ARITH], "nn": 10}, "nn", "an unknown top-level key"),
        ({"tasks": [{"task": ARITH, "wieght": 2}]}, "tasks[0].wieght", "a misspelt entry key"),
        ({"tasks": [{"task": ARITH, "weight": -1}]}, "tasks[0].weight", "a negative weight"),
        ({"tasks": [{"task": ARITH, "weight": 0}]}, "tasks[0].weight", "a zero weight"),
        ({"tasks": [{"task": ARITH, "weight": "heavy"}]}, "tasks[0].weight", "a non-numeric weight"),
        ({"tasks": [{"task": ARITH, "weight": "1/0"}]}, "tasks[0].weight", "a fraction dividing by zero"),
        ({"tasks": [{"task": ARITH, "weight": "-1/2"}]}, "tasks[0].weight", "a negative fraction"),
        ({"tasks": [{"task": ARITH, "difficulty": "hard"}]}, "tasks[0].difficulty", "a non-integer level"),
        ({"tasks": [{"task": ARITH, "difficulty": 9}]}, "tasks[0] (math/arithmetic).difficulty", "no such level"),
        ({"tasks": [{"task": ARITH, "difficulty": [1, 9]}]}, "tasks[0] (math/arithmetic).difficulty", "a list with a bad level"),
        ({"tasks": [{"task": ARITH, "difficulty": []}]}, "tasks[0].difficulty", "an empty list of levels"),
        ({"tasks": [{"task": ARITH, "difficulty": [1, "2"]}]}, "tasks[0].difficulty", "a list with a non-integer"),
        ({"tasks": [ARITH], "difficulty": "easy"}, "difficulty", "a bad default difficulty"),
        ({"tasks": [{"task": "math/arithmetc"}]}, "tasks[0].task", "an unknown task"),
        ({"tasks": [{"weight": 2}]}, "tasks[0].task", "an entry without a task"),
        ({"tasks": [7]}, "tasks[0]", "an entry that is neither an id nor a mapping"),
        ({"tasks": [{"task": ARITH, "config": {"operandz": 3}}]}, "tasks[0] (math/arithmetic).config.operandz", "unknown setting"),
        ({"tasks": [{"task": ARITH, "config": {"operands": 1}}]}, "tasks[0] (math/arithmetic).config.operands", "invalid value"),
        ({"tasks": [{"task": ARITH, "config": [1]}]}, "tasks[0].config", "config not a mapping"),
        ({"tasks": [ARITH], "n": 0}, "n", "n must be positive"),
        ({"tasks": [ARITH], "seed": -1}, "seed", "seed must be non-negative"),
        ({"tasks": [ARITH], "test_size": 1.5}, "test_size", "test_size must be a fraction"),
        ({"tasks": [ARITH], "format": "csv"}, "format", "unknown format"),
        ([ARITH], "suite", "a list instead of a mapping"),
    ],
)
def test_parse_suite_errors_name_the_field(spec, field, why):
    with pytest.raises(ConfigError) as caught:
        parse_suite(spec)
    assert caught.value.field == field, why


def test_unknown_keys_get_a_suggestion():
    with pytest.raises(ConfigError, match="did you mean 'weight'"):
        parse_suite({"tasks": [{"task": ARITH, "wieght": 2}]})
    with pytest.raises(ConfigError, match="did you mean 'math/arithmetic'"):
        parse_suite({"tasks": ["math/arithmetc"]})


def test_load_suite_errors_name_the_file(tmp_path):
    path = tmp_path / "suite.yaml"
    path.write_text("tasks:\n  - {task: math/arithmetic, weight: -2}\n")
    with pytest.raises(ConfigError) as caught:
        load_suite(path)
    assert str(caught.value).startswith(f"{path}: tasks[0].weight: must be a positive number")
    path.write_text("tasks: [unclosed\n")
    with pytest.raises(ConfigError, match="is not valid YAML"):
        load_suite(path)
    with pytest.raises(ConfigError, match="cannot read suite file"):
        load_suite(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), ("1-3", (1, 2, 3)), ("2,2,5", (2, 2, 5)), ("4-4", 4), (" 1 - 2 ", (1, 2))],
)
def test_command_line_difficulty(text, expected):
    from assay.suite import parse_difficulty

    assert parse_difficulty(text) == expected


@pytest.mark.parametrize("text", ["", "hard", "3-1", "1-", "1,,2", "1.5"])
def test_bad_command_line_difficulty(text):
    from assay.suite import parse_difficulty

    with pytest.raises(ConfigError, match="a level .3., a range .1-3. or a list"):
        parse_difficulty(text)


def test_a_list_of_levels_is_drawn_per_problem():
    suite = parse_suite({"n": 200, "seed": 1, "tasks": [{"task": ARITH, "difficulty": [2, 4, 4]}]})
    assert suite.entries[0].difficulty == (2, 4, 4)
    problems = build_corpus(suite, executor="inline")
    levels = [p.meta["difficulty"] for p in problems.train + problems.test]
    assert set(levels) == {2, 4}
    assert 40 < levels.count(2) < 95  # a third of 200 expected; a repeated level counts twice
    assert parse_suite({"tasks": [{"task": ARITH, "difficulty": [3]}]}).entries[0].difficulty == 3


def test_yaml_round_trip(tmp_path):
    suite = parse_suite({"n": 50, "seed": 9, "tasks": [{"task": ARITH, "weight": 3, "difficulty": 2},
                                                       {"task": ARITH, "config": {"operands": 4}},
                                                       {"task": ARITH, "weight": "1/3"}, {"task": ARITH, "weight": 0.5},
                                                       {"task": ARITH, "difficulty": 1}, {"task": ARITH, "difficulty": [1, 5]}]})
    assert [e.weight for e in suite.entries] == [3, 1, Fraction(1, 3), Fraction(1, 2), 1, 1]
    path = tmp_path / "suite.yaml"
    path.write_text(suite.to_yaml())
    assert load_suite(path) == suite


def test_built_mixture_respects_weights_and_settings():
    suite = parse_suite({"n": 40, "seed": 2, "test_size": 0.25, "tasks": [
        {"task": ARITH, "weight": 3, "difficulty": 1},
        {"task": ARITH, "weight": 1, "difficulty": 5, "config": {"operands": 9}},
    ]})
    corpus = build_corpus(suite, executor="inline")
    problems = corpus.train + corpus.test
    by_level = {1: 0, 5: 0}
    for problem in problems:
        by_level[problem.meta["difficulty"]] += 1
    assert by_level == {1: 30, 5: 10}
    assert all(p.meta["config"]["operands"] == 9 for p in problems if p.meta["difficulty"] == 5)
    assert [(r.train, r.test) for r in corpus.reports] == [(22, 8), (8, 2)]  # 10 test problems in all
    # The same task twice draws from two streams: no shared seeds.
    seeds = [p.meta["seed"] for p in problems]
    assert len(set(seeds)) == len(seeds)
