"""What sits beside a written corpus: ``manifest.json`` (versions, seeds, counts, content hash) and
the corpus data card ``README.md`` (a Hugging Face dataset card whose header lists the data files).

Neither holds a time stamp, a path or a worker count, so the same arguments give the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from collections import Counter
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring as _encode_string  # what json.dumps(..., ensure_ascii=False) writes a str as
from typing import TYPE_CHECKING, Any

from assay.types import ROW_FIELDS, canonical_json

if TYPE_CHECKING:
    from assay.corpus import Corpus, CorpusSummary
    from assay.types import Problem

MANIFEST_NAME = "manifest.json"
README_NAME = "README.md"
PASS_AT_K_FOLDER = "pass_at_k"  # the pass@k plots of the card, beside it (written by `assay eval --card`)
MANIFEST_VERSION = 1
KEY_PACKAGES = ("datasets", "pyarrow", "networkx", "sqlglot", "sympy", "duckdb")
_SORTED_FIELDS = tuple(sorted(ROW_FIELDS))


def content_hash(splits: Mapping[str, Sequence[Problem]]) -> str:
    """SHA-256 over the rows of every split in order: the same for every format of one corpus.

    >>> from assay import generate
    >>> len(content_hash({"train": generate("math/arithmetic", 2)}))
    71
    """
    digest = RowDigest()
    for split, problems in splits.items():
        digest.split(split, len(problems))
        for problem in problems:
            digest.row(problem.to_row())
    return digest.value()


class RowDigest:
    """``content_hash`` fed one split header and one row at a time, as a streamed corpus is written.

    >>> from assay import generate
    >>> problems = generate("math/arithmetic", 2)
    >>> digest = RowDigest(); digest.split("train", 2)
    >>> for p in problems: digest.row(p.to_row())
    >>> digest.value() == content_hash({"train": problems})
    True
    """

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def split(self, name: str, count: int) -> None:
        self._digest.update(f"split {name} {count}\n".encode())

    def row(self, row: Mapping[str, str]) -> None:
        if len(row) == len(_SORTED_FIELDS) and all(type(row.get(name)) is str for name in _SORTED_FIELDS):
            # canonical_json of a row of strings, without building an encoder per row (the same bytes)
            text = "{" + ",".join(f'"{name}":{_encode_string(row[name])}' for name in _SORTED_FIELDS) + "}"
        else:
            text = canonical_json(row)
        self._digest.update(text.encode("utf-8"))
        self._digest.update(b"\n")

    def value(self) -> str:
        return "sha256:" + self._digest.hexdigest()


class CorpusStats:
    """The manifest's counts, gathered one accepted problem at a time (any order), and the content
    hash once the rows are written (see ``RowDigest``)."""

    def __init__(self) -> None:
        self.by_split: Counter[str] = Counter()
        self.by_task: Counter[tuple[str, str]] = Counter()  # (split, task)
        self.by_level: Counter[tuple[str, str]] = Counter()  # (task, difficulty)
        self.content_hash = ""

    @classmethod
    def of(cls, splits: Mapping[str, Sequence[Problem]]) -> CorpusStats:
        stats = cls()
        for split, problems in splits.items():
            for problem in problems:
                stats.add(split, problem)
        stats.content_hash = content_hash(splits)
        return stats

    def add(self, split: str, problem: Problem) -> None:
        self.count(split, problem.task, str(problem.meta.get("difficulty")))

    def count(self, split: str, task: str, difficulty: str) -> None:
        """Count one problem of ``task`` at ``difficulty`` (as text) in ``split``."""
        self.by_split[split] += 1
        self.by_task[(split, task)] += 1
        self.by_level[(task, difficulty)] += 1

    def splits(self) -> list[str]:
        """The non-empty splits, train first."""
        return [split for split in ("train", "test") if self.by_split[split]]

    def counts_by_task(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for split in self.splits():
            for task, count in sorted((task, count) for (s, task), count in self.by_task.items() if s == split):
                out.setdefault(task, {})[split] = count
        return dict(sorted(out.items()))

    def difficulty_counts(self) -> dict[str, dict[str, int]]:
        """Problems per task per difficulty level, over all splits."""
        out: dict[str, dict[str, int]] = {}
        for (task, level), count in sorted(self.by_level.items()):
            out.setdefault(task, {})[level] = count
        return out


def package_versions() -> dict[str, str | None]:
    """Versions of the packages that shape generated rows (None where not installed)."""
    versions: dict[str, str | None] = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def make_manifest(corpus: Corpus | CorpusSummary, format: str, stats: CorpusStats | None = None) -> dict[str, Any]:
    """The manifest of a corpus as written in ``format`` (``stats``: its counts and content hash,
    gathered while it streamed to disk; by default computed from the corpus's rows)."""
    from assay import __version__

    if stats is None:
        if not hasattr(corpus, "splits"):
            raise TypeError("a CorpusSummary has no rows: pass the stats gathered while writing it")
        stats = CorpusStats.of(corpus.splits())
    tasks = []
    for report in corpus.reports:
        entry = report.entry
        tasks.append({
            "task": entry.task,
            "version": report.version,
            "weight": entry.to_dict()["weight"],
            "difficulty": entry.to_dict()["difficulty"],
            "config": dict(entry.config),
            "stream_seed": report.stream_seed,
            "requested": report.requested,
            "counts": {"train": report.train, "test": report.test},
            "draws": report.draws,
            "duplicates_skipped": report.duplicates,
        })
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": "assay",
        "assay_version": __version__,
        "python": platform.python_version(),
        "packages": package_versions(),
        "format": format,
        "n": corpus.suite.n,
        "seed": corpus.suite.seed,
        "test_size": corpus.suite.test_size,
        "splits": stats.splits(),
        "counts": {split: stats.by_split[split] for split in stats.splits()},
        "counts_by_task": stats.counts_by_task(),
        "difficulty_counts": stats.difficulty_counts(),
        "tasks": tasks,
        "seeding": (
            "entry stream seed = derive_seed('corpus', seed, task, occurrence) >> 1; item i seed = "
            "assay.scoring.item_seed(stream seed, i); candidates whose id or prompt repeats are skipped"
        ),
        "content_hash": stats.content_hash,
    }


def _yaml_header(files: Mapping[str, str]) -> str:
    lines = ["---", "configs:", "- config_name: default", "  data_files:"]
    for split, path in files.items():
        lines += [f"  - split: {split}", f"    path: {path}"]
    lines += ["tags:", "- assay", "- reinforcement-learning", "- verifiable-rewards", "- synthetic", "---"]
    return "\n".join(lines)


def _bar(count: int, largest: int, width: int = 20) -> str:
    return "#" * max(1, round(width * count / largest)) if count else ""


def corpus_card(
    corpus: Corpus | CorpusSummary, manifest: Mapping[str, Any], files: Mapping[str, str], card_links: Mapping[str, str]
) -> str:
    """The README.md data card of a written corpus."""
    fmt = manifest["format"]
    counts = manifest["counts"]
    task_ids = list(manifest["counts_by_task"])
    split_names = list(files)
    lines = [_yaml_header(files), ""]
    lines.append(f"# Assay corpus: {len(corpus)} problems from {len(task_ids)} task{'s' * (len(task_ids) != 1)}")
    lines.append("")
    lines.append(
        f"Generated by `assay generate` (Assay {manifest['assay_version']}) with seed {manifest['seed']}. "
        f"Every row carries everything its verifier needs: score a completion with "
        f"`assay.verify(row, completion)`, or a file of completions with `assay verify`."
    )
    lines.append("")
    lines.append("| split | problems | file |")
    lines.append("|---|---:|---|")
    for split in split_names:
        lines.append(f"| {split} | {counts.get(split, 0)} | `{files[split]}` |")
    lines += ["", "## Loading", ""]
    if fmt == "hf":
        lines += ["```python", "from datasets import load_from_disk", "", 'corpus = load_from_disk("path/to/this/folder")', "```"]
    else:
        builder = "json" if fmt == "jsonl" else "parquet"
        lines += [
            "```python", "from datasets import load_dataset", "",
            'corpus = load_dataset("path/to/this/folder")  # the header above lists the files',
            '# datasets caches a local folder by its file names: after regenerating into the same folder,',
            '# pass download_mode="force_redownload" (or a fresh cache_dir)',
            f'# or: load_dataset("{builder}", data_files={{"train": "{files.get("train", "train")}"}})',
            "```",
        ]
    lines += ["", "```python", "from assay.datasets import read_corpus", "", 'splits = read_corpus("path/to/this/folder")  # {"train": [Problem, ...], ...}', "```"]
    lines += ["", "## Rows", ""]
    if fmt == "verl":
        lines.append(
            "verl's RL layout: `data_source` (the task id), `prompt` (one user message), `ability` (the "
            "domain), `reward_model` (`style` \"rule\", `ground_truth` = the Assay row as JSON) and "
            "`extra_info` (`split`, `index`, `id`, `task`, `difficulty`)."
        )
    else:
        lines.append(
            "`id` (a content hash of task, prompt and payload), `task`, `prompt` (what the model sees, "
            "answer format included), `answer` (a reference answer the verifier scores 1.0), `data` "
            "(the verifier's payload, JSON) and `meta` (difficulty, seed, task version, config, JSON)."
        )
    lines += ["", "## Tasks", ""]
    header = "| task | version | weight | difficulty | " + " | ".join(split_names) + " | card |"
    lines += [header, "|---|---:|---:|---|" + "---:|" * len(split_names) + "---|"]
    for entry in manifest["tasks"]:
        link = card_links.get(entry["task"])
        card = f"[card]({link})" if link else f"`data_cards/{entry['task']}.md` in Assay"
        difficulty = entry["difficulty"]
        level = "mixed" if difficulty is None else ", ".join(map(str, difficulty)) if isinstance(difficulty, list) else str(difficulty)
        if entry["config"]:
            level += f" ({canonical_json(entry['config'])})"
        cells = " | ".join(str(entry["counts"].get(split, 0)) for split in split_names)
        lines.append(f"| `{entry['task']}` | {entry['version']} | {entry['weight']} | {level} | {cells} | {card} |")
    lines += ["", "## Difficulty", "", "Problems per difficulty level, all splits together.", ""]
    for task, levels in manifest["difficulty_counts"].items():
        largest = max(levels.values())
        lines += [f"`{task}`", "", "```"]
        for level, count in sorted(levels.items(), key=lambda item: (len(item[0]), item[0])):
            lines.append(f"level {level:>4} {count:>7}  {_bar(count, largest)}")
        lines += ["```", ""]
    lines += [
        "## Reproducing", "",
        ("Save this suite as `suite.yaml` and run `assay generate --mix suite.yaml --out DIR` (same Assay "
         "and task versions): the rows are byte-identical, whatever the worker count."), "",
        "```yaml", corpus.suite.with_settings(format=fmt).to_yaml().rstrip(), "```", "",
        f"Content hash of the rows: `{manifest['content_hash']}`.", "",
    ]
    return "\n".join(lines)
