"""Datasets: building a corpus (splits, duplicates, executors), writing every format and reading
it back through pyarrow, Hugging Face datasets and assay itself, with the manifest."""

from __future__ import annotations

import hashlib
import json

import pyarrow.parquet as pq
import pytest
from _required import required_module

import assay
from assay.corpus import Corpus
from assay.datasets import (
    build_corpus,
    content_hash,
    generate_corpus,
    read_corpus,
    read_manifest,
    read_problems,
    write_corpus,
)
from assay.errors import ConfigError, DatasetError
from assay.executors import ray as ray_executor
from assay.generators.terminal import _base
from assay.suite import parse_suite
from assay.types import ROW_FIELDS, Problem

ARITH = "math/arithmetic"
# math/arithmetic with two operands in {1, 2} and + - *: exactly 12 distinct problems
TINY = {"operands": 2, "magnitude": 2, "depth": 0, "division": False}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    suite = parse_suite({"n": 60, "seed": 5, "test_size": 0.2, "tasks": [
        {"task": ARITH, "weight": 2}, {"task": ARITH, "weight": 1, "difficulty": 4}]})
    return build_corpus(suite, executor="inline")


def _all(corpus: Corpus) -> list[Problem]:
    return list(corpus.train + corpus.test)


def test_splits_are_disjoint_and_free_of_duplicates(corpus):
    assert (len(corpus.train), len(corpus.test)) == (48, 12)
    problems = _all(corpus)
    assert len({p.id for p in problems}) == len(problems)
    assert len({p.prompt for p in problems}) == len(problems)
    assert not {p.id for p in corpus.train} & {p.id for p in corpus.test}


@pytest.mark.parametrize(
    ("counts", "test_size", "expected", "why"),
    [
        ([100], 0.1, [10], "one entry"),
        ([15], 0.1, [2], "1.5 rounds half up"),
        ([4] * 10, 0.1, [1, 1, 1, 1, 0, 0, 0, 0, 0, 0], "many small tasks: 4 test problems in all, not 0"),
        ([30, 10], 0.25, [8, 2], "7.5 and 2.5: the one left over goes to the earlier tie"),
        ([5, 5], 0.0, [0, 0], "no test split"),
        ([1, 1], 0.9, [1, 1], "never more than an entry has"),
    ],
)
def test_test_split_is_shared_by_entries(counts, test_size, expected, why):
    from assay.datasets import held_out_counts

    assert held_out_counts(counts, test_size) == expected, why


def test_difficulty_and_config_are_honoured():
    corpus = build_corpus(ARITH, n=12, seed=1, difficulty=3, config={"operands": 7}, executor="inline")
    assert {p.meta["difficulty"] for p in _all(corpus)} == {3}
    assert {p.meta["config"]["operands"] for p in _all(corpus)} == {7}
    with pytest.raises(ConfigError, match="operandz"):
        build_corpus(ARITH, n=5, config={"operandz": 7})
    with pytest.raises(ConfigError, match="difficulty"):
        build_corpus(ARITH, n=5, difficulty=11)


def test_duplicates_are_skipped_until_the_space_is_exhausted():
    corpus = build_corpus(ARITH, n=12, seed=0, difficulty=1, config=TINY, test_size=0.25, executor="inline")
    problems = _all(corpus)
    assert len({p.prompt for p in problems}) == 12
    report = corpus.reports[0]
    assert report.duplicates > 0 and report.draws == 12 + report.duplicates
    with pytest.raises(DatasetError, match=r"cannot yield 13 distinct problems at difficulty 1.*12 distinct after"):
        build_corpus(ARITH, n=13, seed=0, difficulty=1, config=TINY, executor="inline")


def test_duplicates_are_skipped_across_entries():
    # The same tiny task twice: the second entry may not repeat the first's prompts.
    suite = parse_suite({"n": 12, "tasks": [{"task": ARITH, "difficulty": 1, "config": TINY}] * 2})
    problems = _all(build_corpus(suite, executor="inline"))
    assert len({p.prompt for p in problems}) == 12
    with pytest.raises(DatasetError, match="cannot yield 7 distinct"):
        build_corpus(suite.with_settings(n=14), executor="inline")


def test_worker_processes_give_the_same_corpus(corpus):
    in_processes = build_corpus(corpus.suite, workers=2, executor="process")
    assert in_processes == corpus


def test_ray_executor_gets_jobs_and_its_problems_are_used(corpus, monkeypatch):
    calls = []

    def map_generate(jobs, workers=None):
        calls.append(list(jobs))
        return [assay.get_task(task).generate(seed, difficulty=difficulty, **config) for task, seed, difficulty, config in jobs]

    monkeypatch.setattr(ray_executor, "map_generate", map_generate)
    assert build_corpus(corpus.suite, executor="ray") == corpus
    task, seed, difficulty, config = calls[0][0]
    assert task == ARITH and isinstance(seed, int) and difficulty is None and config == {}


def test_real_ray_executor_gives_the_same_corpus():
    ray = required_module("ray")

    started_here = not ray.is_initialized()
    try:
        corpus = build_corpus(ARITH, n=40, seed=8, executor="ray", workers=1)
    finally:
        ray_executor.shutdown()
        if started_here:
            ray.shutdown()
    assert corpus == build_corpus(ARITH, n=40, seed=8, executor="inline")


@pytest.fixture
def broken_tasks():
    """Register the broken test tasks for one test only (other tests list the registry)."""
    import _generation_tasks

    from assay import registry

    yield _generation_tasks
    for task_id in _generation_tasks.IDS:
        registry._REGISTRY.pop(task_id, None)


def test_windows_made_ahead_stay_bounded(monkeypatch):
    # Entries that repeat themselves ask for more draws "urgently". Those used to add to the windows
    # outstanding for good: over a 1M-row mixture the pool ran windows dozens of entries ahead, held
    # them in the calling process (its memory grew past 400 MB) and queued the caller's next window
    # behind them (the corpus stalled on one entry for minutes).
    from assay import corpus as corpus_module

    seen = {"pending": 0, "done": 0}
    get = corpus_module._Draws.get

    def watched(self, j, index):
        problem = get(self, j, index)
        seen["pending"] = max(seen["pending"], len(self.pending))
        seen["done"] = max(seen["done"], len(self.generator.pool._done))
        return problem

    monkeypatch.setattr(corpus_module._Draws, "get", watched)
    suite = parse_suite({"n": 5000, "seed": 0, "tasks": [{"task": "math"}]})
    with corpus_module.CorpusGenerator(suite, workers=2, packed=True) as generator:
        rows = sum(1 for _ in generator.stream())
        extra = sum(report.duplicates for report in generator.reports)
        ahead = generator.ahead
    assert rows == 5000 and extra > 100  # entries did ask for more draws
    assert seen["pending"] <= ahead + 1 and seen["done"] <= ahead + 1, (seen, ahead)


def test_generator_failures_in_workers_are_reported(broken_tasks):
    with pytest.raises(RuntimeError, match="ValueError: generator bug on purpose"):
        build_corpus("selftest/raising_generator", n=10, workers=2)
    with pytest.raises(RuntimeError, match=r"generation worker died \(exit status 3\)"):
        build_corpus("selftest/dying_generator", n=10, workers=2)
    with pytest.raises(ValueError, match="generator bug on purpose"):
        build_corpus("selftest/raising_generator", n=10, executor="inline")


def test_seed_changes_the_corpus():
    first = build_corpus(ARITH, n=10, seed=0, executor="inline")
    second = build_corpus(ARITH, n=10, seed=1, executor="inline")
    assert not {p.id for p in _all(first)} & {p.id for p in _all(second)}


def _verify_rows(rows, count):
    problems = [Problem.from_row(row) for row in rows]
    assert len(problems) == count
    for problem in problems:
        verdict = assay.verify(problem, f"<answer>{problem.answer}</answer>")
        assert verdict.passed, (problem.id, verdict)
        assert not assay.verify(problem, "<answer></answer>").passed


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "hf", "verl"])
def test_round_trip_every_format(corpus, fmt, tmp_path):
    import datasets

    cache = str(tmp_path / "hf-cache")  # datasets caches a local folder by its file names
    folder = write_corpus(corpus, tmp_path / fmt, fmt)
    back = read_corpus(folder)
    assert back == {"train": list(corpus.train), "test": list(corpus.test)}
    assert read_manifest(folder)["format"] == fmt
    if fmt == "parquet":
        assert pq.read_schema(folder / "train.parquet").names == list(ROW_FIELDS)
        loaded = datasets.load_dataset("parquet", data_files={"train": str(folder / "train.parquet"),
                                                              "test": str(folder / "test.parquet")}, cache_dir=cache)
        assert loaded["train"].column_names == list(ROW_FIELDS)
        _verify_rows(loaded["train"], 48)
        _verify_rows(datasets.load_dataset(str(folder), cache_dir=cache)["test"], 12)  # via the card's data_files header
    elif fmt == "jsonl":
        lines = (folder / "train.jsonl").read_text(encoding="utf-8").splitlines()
        assert list(json.loads(lines[0])) == list(ROW_FIELDS)
        _verify_rows(datasets.load_dataset("json", data_files=str(folder / "test.jsonl"), cache_dir=cache)["train"], 12)
        _verify_rows(datasets.load_dataset(str(folder), cache_dir=cache)["train"], 48)
    elif fmt == "hf":
        loaded = datasets.load_from_disk(str(folder))
        assert set(loaded) == {"train", "test"}
        assert read_corpus(folder / "test") == {"test": list(corpus.test)}  # one split's folder
        _verify_rows(loaded["test"], 12)
        _verify_rows(datasets.load_dataset(str(folder), cache_dir=cache)["train"], 48)  # the arrow files, via the card
    else:
        loaded = datasets.load_dataset("parquet", data_files={"train": str(folder / "train.parquet")}, cache_dir=cache)["train"]
        assert loaded.column_names == ["data_source", "prompt", "ability", "reward_model", "extra_info"]
        row = loaded[0]
        assert row["data_source"] == ARITH and row["ability"] == "math"
        assert row["prompt"] == [{"role": "user", "content": corpus.train[0].prompt}]
        assert row["reward_model"]["style"] == "rule"
        assert row["extra_info"] == {"split": "train", "index": 0, "id": corpus.train[0].id, "task": ARITH,
                                     "difficulty": corpus.train[0].meta["difficulty"]}
        _verify_rows([json.loads(r["ground_truth"]) for r in loaded["reward_model"]], 48)


def test_single_files_read_back(corpus, tmp_path):
    folder = write_corpus(corpus, tmp_path / "c", "jsonl", cards=False)
    assert read_corpus(folder / "test.jsonl") == {"test": list(corpus.test)}
    verl = write_corpus(corpus, tmp_path / "v", "verl", cards=False)
    assert read_problems(verl / "train.parquet") == list(corpus.train)


def test_manifest_describes_the_corpus(corpus, tmp_path):
    folder = write_corpus(corpus, tmp_path / "c")
    manifest = read_manifest(folder)
    assert manifest["assay_version"] == assay.__version__
    assert manifest["python"].count(".") == 2
    assert manifest["packages"]["pyarrow"] and manifest["packages"]["datasets"]
    assert (manifest["n"], manifest["seed"], manifest["test_size"]) == (60, 5, 0.2)
    assert manifest["counts"] == {"train": 48, "test": 12}
    assert manifest["counts_by_task"] == {ARITH: {"train": 48, "test": 12}}
    assert [(t["task"], t["version"], t["difficulty"], t["counts"]) for t in manifest["tasks"]] == [
        (ARITH, 1, None, {"train": 32, "test": 8}), (ARITH, 1, 4, {"train": 16, "test": 4})]
    assert sum(manifest["difficulty_counts"][ARITH].values()) == 60
    assert manifest["difficulty_counts"][ARITH]["4"] >= 20
    assert manifest["content_hash"] == content_hash({"train": corpus.train, "test": corpus.test})
    card = (folder / "README.md").read_text()
    assert card.startswith("---\nconfigs:\n- config_name: default\n")
    assert "[card](cards/math/arithmetic.md)" in card and (folder / "cards/math/arithmetic.md").is_file()
    assert "| `math/arithmetic` | 1 | 2 | mixed | 32 | 8 |" in card


def test_content_hash_is_the_same_for_every_format(corpus, tmp_path):
    hashes = {read_manifest(write_corpus(corpus, tmp_path / fmt, fmt, cards=False))["content_hash"]
              for fmt in ("parquet", "jsonl", "verl")}
    assert len(hashes) == 1


def test_tampered_rows_are_detected(corpus, tmp_path):
    folder = write_corpus(corpus, tmp_path / "c", "jsonl", cards=False)
    path = folder / "test.jsonl"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(DatasetError, match="content hash"):
        read_corpus(folder)
    assert len(read_corpus(folder, check=False)["test"]) == 11


def test_output_folder_rules(corpus, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(DatasetError, match="refusing to write"):
        write_corpus(corpus, foreign)
    folder = write_corpus(corpus, tmp_path / "c", "jsonl", cards=False)
    (folder / "keep.txt").write_text("user file")
    write_corpus(corpus, folder, "parquet", cards=False)  # a previous corpus is replaced, format and all
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "keep.txt", "manifest.json", "test.parquet", "train.parquet"]


def test_no_test_split(tmp_path):
    corpus = build_corpus(ARITH, n=5, test_size=0, executor="inline")
    folder = write_corpus(corpus, tmp_path / "c", cards=False)
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "manifest.json", "train.parquet"]
    assert list(read_corpus(folder)) == ["train"]
    assert "path: test" not in (folder / "README.md").read_text()


def test_bad_inputs_are_clear_errors(tmp_path):
    with pytest.raises(DatasetError, match="no dataset"):
        read_corpus(tmp_path / "missing")
    (tmp_path / "rows.jsonl").write_text('{"id": "x"}\n')
    with pytest.raises(DatasetError, match="row 0.*lacks"):
        read_corpus(tmp_path / "rows.jsonl")
    with pytest.raises(ConfigError, match="executor"):
        build_corpus(ARITH, n=5, executor="threads")
    with pytest.raises(ConfigError, match="workers"):
        build_corpus(ARITH, n=5, workers=0)


def _files(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "verl"])
def test_streamed_corpus_is_byte_identical_to_the_in_memory_one(fmt, tmp_path):
    # duplicates (a 12-problem space), several entries and levels, a test split, more rows than a
    # parquet row group, and worker processes on the streamed side
    suite = parse_suite({"n": 4600, "seed": 11, "test_size": 0.15, "format": fmt, "tasks": [
        {"task": ARITH, "weight": 90, "difficulty": [1, 2]}, {"task": ARITH, "weight": 0.2, "config": TINY},
        {"task": "graph/shortest_path", "weight": 10}]})
    in_memory = write_corpus(build_corpus(suite, executor="inline"), tmp_path / "memory")
    streamed = generate_corpus(suite, tmp_path / "streamed", workers=2, executor="process")
    expected = _files(in_memory)
    assert _files(tmp_path / "streamed") == expected
    assert dict(streamed.counts) == {"train": 3910, "test": 690} and len(streamed) == 4600
    assert sum(r.duplicates for r in streamed.reports) > 0
    assert not [p for p in (tmp_path / "streamed").iterdir() if p.name.startswith(".assay-spill")]


# Recorded before the packed fast path (workers hand back spill records and dedup hashes) and the
# graph generation shortcuts: the same arguments must keep giving these bytes. If a task below gets
# a new version (a deliberate, documented change of its problems), record the new values.
GOLDEN = {
    "train.jsonl": "e7410835d9cb4242b4c9982a9afc4a8fed0cb36530a15bf63dca95572a3dda44",
    "test.jsonl": "58fac814da06a63ce62d218502e3d65fe81519174ed928f5097b689c13138b45",
    "content_hash": "sha256:0cae45bf7213402f829913d366b874a758d7640dbd945fa2cf32ec84634a9617",
}
GOLDEN_VERSIONS = {"graph/shortest_path": 1, "graph/travelling_salesman": 1, "graph/node_count": 1, ARITH: 1}


def test_streamed_corpus_keeps_its_recorded_bytes(tmp_path):
    suite = parse_suite({"n": 240, "seed": 5, "test_size": 0.2, "format": "jsonl", "tasks": [
        {"task": "graph/shortest_path", "weight": 2}, {"task": "graph/travelling_salesman", "difficulty": 1},
        {"task": "graph/node_count", "difficulty": [1, 3], "config": {"encoding": "adjacency"}},
        {"task": ARITH, "weight": 2}]})
    assert {task: assay.get_task(task).version for task in GOLDEN_VERSIONS} == GOLDEN_VERSIONS, "a task's version moved: record GOLDEN again"
    generate_corpus(suite, tmp_path / "out", workers=2, cards=False)
    actual = {name: hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest() for name in ("train.jsonl", "test.jsonl")}
    actual["content_hash"] = read_manifest(tmp_path / "out")["content_hash"]
    assert actual == GOLDEN


def test_a_corpus_with_terminal_tasks_has_the_rows_of_one_by_one_generation(tmp_path, monkeypatch):
    """A corpus makes the draws of a window of one entry and level together (``Task.generate_many``:
    terminal tasks check their solvability in one sandbox round trip per chunk); its rows are those
    of ``generate`` one problem at a time, on the inline and the process executor."""
    monkeypatch.setattr(_base, "_cache_dir", lambda: tmp_path / "batched")  # every check runs
    suite = parse_suite({"n": 16, "seed": 3, "test_size": 0.25, "tasks": [
        {"task": "terminal/log_filter", "difficulty": [1, 2]}, {"task": "terminal/text_replace", "difficulty": 1},
        {"task": ARITH, "difficulty": 1}]})
    inline = build_corpus(suite, executor="inline")
    problems = inline.train + inline.test
    terminal = [p for p in problems if p.task.startswith("terminal/")]
    assert len(terminal) == 11 and len(list((tmp_path / "batched").iterdir())) == len(terminal)
    pooled = build_corpus(suite, workers=2, executor="process")  # checked in the workers (or found in the user's cache)
    assert [p.to_row() for p in pooled.train + pooled.test] == [p.to_row() for p in problems]
    monkeypatch.setattr(_base, "_cache_dir", lambda: tmp_path / "alone")
    for problem in problems:
        alone = assay.get_task(problem.task).generate(problem.meta["seed"], difficulty=problem.meta["difficulty"])
        assert alone.to_row() == problem.to_row()
    assert {str(p.meta["solvability"]) for p in terminal} == {str({"reference": "pass", "nothing": "fail", "shallow": "fail"})}


def test_streaming_reports_a_task_that_runs_dry(tmp_path):
    suite = parse_suite({"n": 13, "tasks": [{"task": ARITH, "difficulty": 1, "config": TINY}]})
    with pytest.raises(DatasetError, match="cannot yield 13 distinct problems"):
        generate_corpus(suite, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # no half-written folder, no spill files
