"""Datasets: build a corpus, write it as parquet / jsonl / a Hugging Face DatasetDict / verl's
parquet layout with a manifest and a data card, and read any of these back as Problems.

Typical use::

    from assay.datasets import build_corpus, load_suite, read_corpus, write_corpus
    corpus = build_corpus(["math/arithmetic", "graph"], n=1000, seed=0, test_size=0.1)  # "graph": all its tasks
    write_corpus(corpus, "out/mixed")                # train.parquet, test.parquet, manifest.json, README.md
    splits = read_corpus("out/mixed")                 # {"train": [Problem, ...], "test": [...]}
    corpus = build_corpus(load_suite("suite.yaml"))   # a weighted mixture

A suite file (``assay generate --mix suite.yaml --out DIR``)::

    n: 10000
    seed: 0
    test_size: 0.1
    format: parquet              # parquet | jsonl | hf | verl
    tasks:
      - {task: math/arithmetic, weight: 2, difficulty: 3}
      - {task: math/arithmetic, weight: 1, difficulty: [4, 5], config: {operands: 12}}
      - graph                    # a domain, weight 1 shared by its tasks; levels drawn per problem
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from assay.corpus import (
    Corpus,
    CorpusGenerator,
    CorpusSummary,
    EntryReport,
    build_corpus,
    held_out_counts,
    stream_seed,
)
from assay.errors import ConfigError, DatasetError
from assay.executors.generation import generate_jobs, read_record, row_record
from assay.manifest import (
    MANIFEST_NAME,
    PASS_AT_K_FOLDER,
    README_NAME,
    CorpusStats,
    RowDigest,
    content_hash,
    corpus_card,
    make_manifest,
)
from assay.randomness import rng_for
from assay.suite import FORMATS, Suite, SuiteEntry, load_suite, parse_suite
from assay.types import ROW_FIELDS, Problem

logger = logging.getLogger(__name__)

__all__ = [
    "FORMATS",
    "Corpus",
    "CorpusSummary",
    "EntryReport",
    "Suite",
    "SuiteEntry",
    "build_corpus",
    "content_hash",
    "data_files",
    "generate_corpus",
    "generate_jobs",
    "held_out_counts",
    "load_suite",
    "parse_suite",
    "read_corpus",
    "read_manifest",
    "read_problems",
    "stream_seed",
    "verl_row",
    "write_corpus",
]

SPLIT_NAMES = ("train", "test", "validation")
ROW_GROUP = 4096
_EXTENSIONS = {"parquet": "parquet", "verl": "parquet", "jsonl": "jsonl", "hf": None}


def data_files(format: str, splits: Iterable[str]) -> dict[str, str]:
    """The data file (or file pattern) of each split inside a corpus folder of ``format``.

    >>> data_files("parquet", ["train", "test"])
    {'train': 'train.parquet', 'test': 'test.parquet'}
    >>> data_files("hf", ["train"])
    {'train': 'train/data-*.arrow'}
    """
    if format not in FORMATS:
        raise ConfigError("format", f"must be one of {', '.join(FORMATS)}", format)
    extension = _EXTENSIONS[format]
    return {split: f"{split}/data-*.arrow" if extension is None else f"{split}.{extension}" for split in splits}


def verl_row(problem: Problem, split: str, index: int) -> dict[str, Any]:
    """A problem as a row of verl's RL parquet layout; ``reward_model.ground_truth`` is the Assay row.

    >>> from assay import generate
    >>> row = verl_row(generate("math/arithmetic", 1)[0], "train", 0)
    >>> row["data_source"], row["prompt"][0]["role"], row["reward_model"]["style"]
    ('math/arithmetic', 'user', 'rule')
    """
    difficulty = problem.meta.get("difficulty")
    return {
        "data_source": problem.task,
        "prompt": [{"role": "user", "content": problem.prompt}],
        "ability": problem.task.split("/", 1)[0],
        "reward_model": {"style": "rule", "ground_truth": json.dumps(problem.to_row(), ensure_ascii=False)},
        "extra_info": {
            "split": split,
            "index": index,
            "id": problem.id,
            "task": problem.task,
            "difficulty": difficulty if isinstance(difficulty, int) and not isinstance(difficulty, bool) else None,
        },
    }


def _row_schema() -> Any:
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in ROW_FIELDS])


def _verl_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("data_source", pa.string()),
        ("prompt", pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))),
        ("ability", pa.string()),
        ("reward_model", pa.struct([("style", pa.string()), ("ground_truth", pa.string())])),
        ("extra_info", pa.struct([
            ("split", pa.string()), ("index", pa.int64()), ("id", pa.string()), ("task", pa.string()),
            ("difficulty", pa.int64()),
        ])),
    ])


def _write_parquet(path: Path, rows: list[dict[str, Any]], schema: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP)


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_hf(folder: Path, splits: Mapping[str, Sequence[Problem]], progress: bool) -> None:
    try:
        from datasets import Dataset, DatasetDict, Features, Value
    except ImportError:  # pragma: no cover - datasets is a core dependency
        from assay.errors import DependencyMissing

        raise DependencyMissing("datasets", "all") from None
    features = Features({name: Value("string") for name in ROW_FIELDS})
    parts = {}
    for split, problems in splits.items():
        rows = [problem.to_row() for problem in problems]
        columns = {name: [row[name] for row in rows] for name in ROW_FIELDS}
        parts[split] = Dataset.from_dict(columns, features=features, split=split)
    from datasets.utils import logging as hf_logging

    shown = hf_logging.is_progress_bar_enabled()
    if shown and not progress:
        hf_logging.disable_progress_bar()
    try:
        DatasetDict(parts).save_to_disk(str(folder))
    finally:
        if shown and not progress:
            hf_logging.enable_progress_bar()


def _clear_previous(folder: Path) -> None:
    """Remove what an earlier ``write_corpus`` left in ``folder``; refuse to touch a foreign folder."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise DatasetError(f"{folder} exists and is not a folder")
    entries = list(folder.iterdir())
    if not entries:
        return
    if not (folder / MANIFEST_NAME).is_file():
        raise DatasetError(f"refusing to write into {folder}: it is not empty and holds no Assay corpus ({MANIFEST_NAME})")
    ours = {MANIFEST_NAME, README_NAME, "dataset_dict.json", "cards", PASS_AT_K_FOLDER}
    ours |= {f"{split}.{ext}" for split in SPLIT_NAMES for ext in ("parquet", "jsonl")}
    ours |= set(SPLIT_NAMES)
    for entry in entries:
        if entry.name not in ours:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def write_corpus(
    corpus: Corpus, out: str | Path, format: str | None = None, *, cards: bool = True, progress: bool = False
) -> Path:
    """Write a corpus into the folder ``out``: data files, ``manifest.json`` and a ``README.md`` card.

    ``format`` (default: the suite's) is "parquet" (``train.parquet``/``test.parquet`` whose
    columns are exactly ``Problem.to_row()``'s), "jsonl", "hf" (``DatasetDict.save_to_disk``) or
    "verl" (verl's RL parquet layout). ``cards=True`` also writes each task's card under
    ``cards/`` for the README to link to. A folder from an earlier run is replaced; any other
    non-empty folder is refused. ``progress`` lets ``datasets`` show its saving bar ("hf").

    >>> import tempfile
    >>> folder = write_corpus(build_corpus("math/arithmetic", n=4, test_size=0.25), tempfile.mkdtemp(), cards=False)
    >>> sorted(path.name for path in folder.iterdir())
    ['README.md', 'manifest.json', 'test.parquet', 'train.parquet']
    """
    format = format or corpus.suite.format
    if format not in FORMATS:
        raise ConfigError("format", f"must be one of {', '.join(FORMATS)}", format)
    folder = Path(out)
    _clear_previous(folder)
    folder.mkdir(parents=True, exist_ok=True)
    splits = corpus.splits()
    if format == "parquet":
        for split, problems in splits.items():
            _write_parquet(folder / f"{split}.parquet", [p.to_row() for p in problems], _row_schema())
    elif format == "jsonl":
        for split, problems in splits.items():
            _write_jsonl(folder / f"{split}.jsonl", [p.to_row() for p in problems])
    elif format == "verl":
        for split, problems in splits.items():
            rows = [verl_row(problem, split, index) for index, problem in enumerate(problems)]
            _write_parquet(folder / f"{split}.parquet", rows, _verl_schema())
    else:
        _write_hf(folder, splits, progress)
    manifest = make_manifest(corpus, format)
    _write_sidecars(folder, corpus, manifest, format, list(splits), cards)
    logger.info("wrote %d problems to %s as %s", len(corpus), folder, format)
    return folder


def _write_sidecars(
    folder: Path, corpus: Corpus | CorpusSummary, manifest: dict[str, Any], format: str, split_names: list[str], cards: bool
) -> None:
    """``manifest.json``, the ``README.md`` card and (with ``cards``) each task's card."""
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    card_links: dict[str, str] = {}
    if cards:
        from assay.cards import cached_sample_levels, render_card

        for report in corpus.reports:
            task_id = report.entry.task
            if task_id in card_links:
                continue
            card_links[task_id] = f"cards/{task_id}.md"
            path = folder / "cards" / f"{task_id}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_card(task_id, samples=cached_sample_levels(task_id), image=False), encoding="utf-8")
    card = corpus_card(corpus, manifest, data_files(format, split_names), card_links)
    (folder / README_NAME).write_text(card, encoding="utf-8")


def generate_corpus(
    suite: Suite, out: str | Path, *, workers: int | None = None, executor: str = "process",
    cards: bool = True, progress: bool = False, strict: bool = False,
) -> CorpusSummary:
    """Generate a corpus and write it into the folder ``out`` as it is made, in bounded memory:
    the same files, byte for byte, as ``write_corpus(build_corpus(suite, ...), out)``.

    Accepted rows are appended to a spill file per split (with 8 bytes of offset each) beside the
    output; once generation ends the rows are written in the shuffled order, a row group (4096
    rows) or a jsonl line at a time, hashing them for the manifest on the way. De-duplication
    keeps 64-bit hashes (``assay.dedup``). Memory stays near 100 MB plus about 40 bytes per
    problem, whatever ``n``. The "hf" format is built in memory (``datasets`` writes it).
    ``strict``: as in ``build_corpus``; the summary's ``notices`` say how a mixture was rebalanced.

    >>> import tempfile
    >>> from assay.suite import Suite
    >>> summary = generate_corpus(Suite.of("math/arithmetic", n=5, test_size=0.2), tempfile.mkdtemp(), cards=False)
    >>> len(summary), dict(summary.counts)
    (5, {'train': 4, 'test': 1})
    """
    if suite.format == "hf":
        with CorpusGenerator(suite, workers, executor, progress, strict) as generator:
            corpus = generator.build()
        write_corpus(corpus, out, "hf", cards=cards, progress=progress)
        counts = {split: len(rows) for split, rows in corpus.splits().items()}
        return CorpusSummary(corpus.suite, corpus.reports, counts, tuple(generator.notices))
    folder = Path(out)
    with CorpusGenerator(suite, workers, executor, progress, strict, packed=True) as generator:  # checks the options first
        _clear_previous(folder)
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        try:
            reports, stats = _stream_rows(generator, folder, suite)
        except BaseException:
            if created:  # a failed run leaves no half-written folder behind
                shutil.rmtree(folder, ignore_errors=True)
            raise
    summary = CorpusSummary(suite, reports, {split: stats.by_split[split] for split in stats.splits()}, tuple(generator.notices))
    _write_sidecars(folder, summary, make_manifest(summary, suite.format, stats), suite.format, stats.splits(), cards)
    logger.info("wrote %d problems to %s as %s", len(summary), folder, suite.format)
    return summary


def _stream_rows(generator: CorpusGenerator, folder: Path, suite: Suite) -> tuple[tuple[EntryReport, ...], CorpusStats]:
    stats = CorpusStats()
    with tempfile.TemporaryDirectory(prefix=".assay-spill-", dir=folder) as spill_folder:
        spills = {split: _Spill(Path(spill_folder) / split) for split in ("train", "test")}
        try:
            with generator:
                for _, held_out, (_, _, task, difficulty, record) in generator.stream():  # packed in the workers
                    split = "test" if held_out else "train"
                    spills[split].append_record(record)
                    stats.count(split, task, difficulty)
            digest = RowDigest()
            for split in stats.splits():
                spill = spills[split]
                spill.close_writing()
                order = array("q", range(len(spill)))  # the permutation that shuffling the rows would make
                rng_for("corpus-order", suite.seed, split).shuffle(order)
                digest.split(split, len(spill))
                _write_rows(folder, split, suite.format, (spill.row(i) for i in order), digest)
        finally:
            for spill in spills.values():
                spill.close()
    stats.content_hash = digest.value()
    return tuple(generator.reports), stats


class _Spill:
    """Rows appended to a file, read back in any order by their recorded offsets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offsets = array("q", [0])
        self._writer: Any = path.open("wb")
        self._fd = -1

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def append(self, row: dict[str, str]) -> None:
        self.append_record(row_record(row))

    def append_record(self, data: bytes) -> None:
        """Append a row as ``assay.executors.generation.row_record`` encoded it."""
        self._writer.write(data)
        self.offsets.append(self.offsets[-1] + len(data))

    def close_writing(self) -> None:
        self._writer.close()
        self._fd = os.open(self.path, os.O_RDONLY)

    def row(self, index: int) -> dict[str, str]:
        start = self.offsets[index]
        return read_record(os.pread(self._fd, self.offsets[index + 1] - start, start))

    def close(self) -> None:
        if not self._writer.closed:
            self._writer.close()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _write_rows(folder: Path, split: str, format: str, rows: Iterable[dict[str, str]], digest: RowDigest) -> None:
    """One split's rows, in order, as ``format``: parquet row groups or jsonl lines as they come."""
    if format == "jsonl":
        with (folder / f"{split}.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
            for row in rows:
                digest.row(row)
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _verl_schema() if format == "verl" else _row_schema()
    with pq.ParquetWriter(folder / f"{split}.parquet", schema, compression="zstd") as writer:
        group: list[dict[str, Any]] = []
        for index, row in enumerate(rows):
            digest.row(row)
            group.append(verl_row(Problem.from_row(row), split, index) if format == "verl" else row)
            if len(group) == ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(group, schema=schema), row_group_size=ROW_GROUP)
                group = []
        if group:
            writer.write_table(pa.Table.from_pylist(group, schema=schema), row_group_size=ROW_GROUP)


def read_manifest(folder: str | Path) -> dict[str, Any] | None:
    """The manifest of a corpus folder, or None where there is none."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise DatasetError(f"{path} is not valid JSON: {error}") from None


def _rows_from_parquet(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as error:
        raise DatasetError(f"cannot read {path} as parquet: {error}") from None
    rows = table.to_pylist()
    if "reward_model" in table.column_names:  # verl layout: the Assay row is the ground truth
        out = []
        for index, row in enumerate(rows):
            reward = row.get("reward_model") or {}
            if not isinstance(reward, Mapping) or not isinstance(reward.get("ground_truth"), str):
                raise DatasetError(f"{path} row {index}: reward_model.ground_truth is not an Assay row")
            out.append(reward["ground_truth"])
        return out
    return rows


def _rows_from_jsonl(path: Path) -> list[Any]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except ValueError as error:
                raise DatasetError(f"{path} line {number} is not valid JSON: {error}") from None
    return rows


def _problems(rows: Iterable[Any], source: str) -> list[Problem]:
    problems = []
    for index, row in enumerate(rows):
        try:
            problems.append(Problem.from_row(row))
        except DatasetError as error:
            raise DatasetError(f"{source} row {index}: {error}") from None
    return problems


def read_problems(path: str | Path) -> list[Problem]:
    """Every problem of a corpus folder (any format) or of one parquet/jsonl file, train first.

    >>> import tempfile
    >>> folder = write_corpus(build_corpus("math/arithmetic", n=3, test_size=0), tempfile.mkdtemp(), cards=False)
    >>> len(read_problems(folder / "train.parquet"))
    3
    """
    return [problem for problems in read_corpus(path).values() for problem in problems]


def read_corpus(path: str | Path, *, check: bool = True) -> dict[str, list[Problem]]:
    """Read a corpus back as ``{split: [Problem, ...]}``.

    ``path`` is a folder written by ``write_corpus`` (any format; a folder of ``train.parquet`` /
    ``train.jsonl`` files or a ``save_to_disk`` folder also works) or a single parquet/jsonl file
    (its split is its file name's stem). With ``check``, a folder's rows must match its manifest's
    content hash (DatasetError otherwise).

    >>> import tempfile
    >>> folder = write_corpus(build_corpus("math/arithmetic", n=5, test_size=0.2), tempfile.mkdtemp(), "jsonl", cards=False)
    >>> {split: len(problems) for split, problems in read_corpus(folder).items()}
    {'train': 4, 'test': 1}
    """
    path = Path(path)
    if not path.exists():
        raise DatasetError(f"no dataset at {path}")
    if path.is_file():
        if path.suffix == ".parquet":
            return {path.stem: _problems(_rows_from_parquet(path), str(path))}
        if path.suffix in (".jsonl", ".json"):
            return {path.stem: _problems(_rows_from_jsonl(path), str(path))}
        raise DatasetError(f"{path}: expected a corpus folder, a .parquet or a .jsonl file")
    manifest = read_manifest(path)
    splits: dict[str, list[Problem]] = {}
    if (path / "dataset_dict.json").is_file():
        from datasets import load_from_disk

        loaded = load_from_disk(str(path))
        for split in loaded:
            splits[split] = _problems(loaded[split], f"{path}/{split}")
    elif (path / "state.json").is_file():  # one split of a save_to_disk folder (a datasets.Dataset)
        from datasets import load_from_disk

        splits[path.name] = _problems(load_from_disk(str(path)), str(path))
    else:
        for split in _split_order(path):
            for suffix, reader in ((".parquet", _rows_from_parquet), (".jsonl", _rows_from_jsonl)):
                file = path / f"{split}{suffix}"
                if file.is_file():
                    splits[split] = _problems(reader(file), str(file))
                    break
    if not splits:
        raise DatasetError(f"{path} holds no dataset (no train.parquet, train.jsonl or dataset_dict.json)")
    if check and manifest is not None and manifest.get("content_hash"):
        ordered = {split: splits[split] for split in manifest.get("splits", splits) if split in splits}
        actual = content_hash(ordered)
        if actual != manifest["content_hash"]:
            raise DatasetError(f"{path}: rows do not match the manifest's content hash (modified after writing?)")
    return splits


def _split_order(folder: Path) -> list[str]:
    names = {p.stem for p in folder.iterdir() if p.suffix in (".parquet", ".jsonl") and p.is_file()}
    known = [name for name in SPLIT_NAMES if name in names]
    return known + sorted(names - set(known))
