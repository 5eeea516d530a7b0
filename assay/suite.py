"""Corpus specifications: which tasks, in what proportions, at which difficulty and config.

A Suite comes from task ids on the command line or from a YAML suite file (``--mix``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from assay.config import require_choice, require_int, require_number
from assay.errors import AssayError, ConfigError, suggest
from assay.registry import get_task, resolve_tasks
from assay.types import canonical_json

FORMATS = ("parquet", "jsonl", "hf", "verl")
# A level, several levels drawn per problem (repeat one to weight it), or None: all the task's levels.
Difficulty = int | tuple[int, ...] | None
SUITE_KEYS = ("n", "seed", "test_size", "format", "difficulty", "tasks")
ENTRY_KEYS = ("task", "weight", "difficulty", "config")


@dataclass(frozen=True)
class SuiteEntry:
    """One task of a suite: its id, its share of ``n`` (by weight), difficulty and config overrides.

    ``difficulty=None`` draws each problem's level from its seed, uniformly over the task's levels;
    a tuple of levels draws uniformly from those (a repeated level counts twice).
    """

    task: str
    weight: Fraction = Fraction(1)
    difficulty: Difficulty = None
    config: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        difficulty = list(self.difficulty) if isinstance(self.difficulty, tuple) else self.difficulty
        return {"task": self.task, "weight": weight_value(self.weight), "difficulty": difficulty,
                "config": dict(self.config)}


def weight_value(weight: Fraction) -> int | float | str:
    """A weight as plain data that reads back exactly: 2, 0.5, or "1/3".

    >>> weight_value(Fraction(2)), weight_value(Fraction(1, 2)), weight_value(Fraction(1, 3))
    (2, 0.5, '1/3')
    """
    if weight.denominator == 1:
        return int(weight)
    if Fraction(float(weight)) == weight:
        return float(weight)
    return f"{weight.numerator}/{weight.denominator}"


@dataclass(frozen=True)
class Suite:
    """What to generate: entries (task ids, never domains) and corpus-wide settings.

    >>> suite = Suite.of(["math/arithmetic"], n=10, seed=3)
    >>> [(e.task, count) for e, count in zip(suite.entries, suite.counts())]
    [('math/arithmetic', 10)]
    """

    entries: tuple[SuiteEntry, ...]
    n: int = 1000
    seed: int = 0
    test_size: float = 0.1
    format: str = "parquet"

    def __post_init__(self) -> None:
        require_int("n", self.n, 1)
        require_int("seed", self.seed, 0)
        require_number("test_size", self.test_size, 0, below=1, what="a fraction")
        require_choice("format", self.format, FORMATS)
        if not self.entries:
            raise ConfigError("tasks", "must name at least one task")

    @classmethod
    def of(
        cls,
        tasks: str | Sequence[str],
        *,
        n: int = 1000,
        seed: int = 0,
        difficulty: int | Sequence[int] | None = None,
        config: Mapping[str, Any] | None = None,
        test_size: float = 0.1,
        format: str = "parquet",
    ) -> Suite:
        """Equal shares of ``n`` for the given task ids and domains (a domain means all its tasks).

        >>> Suite.of("math", n=5).entries[0].task
        'math/arithmetic'
        """
        selectors = [tasks] if isinstance(tasks, str) else list(tasks)
        if not selectors:
            raise ConfigError("tasks", "must name at least one task or domain")
        level = _difficulty("difficulty", difficulty if isinstance(difficulty, (int, type(None))) else list(difficulty))
        entries = tuple(
            SuiteEntry(task_id, Fraction(1), level, dict(config or {})) for task_id in resolve_tasks(selectors)
        )
        suite = cls(entries, n=n, seed=seed, test_size=test_size, format=format)
        suite.validate()
        return suite

    def with_settings(self, **settings: Any) -> Suite:
        """A copy with corpus-wide settings replaced (None values are ignored)."""
        return replace(self, **{k: v for k, v in settings.items() if v is not None})

    def counts(self) -> list[int]:
        """How many problems each entry gets: ``n`` split by weight, largest remainders first.

        Ties go to the earlier entry, so equal weights give the first ``n % len`` entries one more.

        >>> entry = SuiteEntry("math/arithmetic")
        >>> Suite((entry, entry, entry), n=5).counts()
        [2, 2, 1]
        >>> Suite((entry, SuiteEntry("math/arithmetic", weight=Fraction(3))), n=10).counts()
        [3, 7]
        """
        total = sum(entry.weight for entry in self.entries)
        quotas = [self.n * entry.weight / total for entry in self.entries]
        counts = [math.floor(q) for q in quotas]
        left = self.n - sum(counts)
        order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - counts[i]), i))
        for i in order[:left]:
            counts[i] += 1
        return counts

    def validate(self) -> None:
        """Check every entry's difficulty and config against its task (ConfigError naming the field)."""
        for index, entry in enumerate(self.entries):
            label = f"tasks[{index}] ({entry.task})"
            task = get_task(entry.task)
            levels: list[int] = list(entry.difficulty) if isinstance(entry.difficulty, tuple) else [entry.difficulty] if entry.difficulty is not None else []
            if entry.difficulty is not None and any(level not in task.levels for level in levels):
                raise ConfigError(f"{label}.difficulty", f"must be one of {sorted(task.levels)}", entry.difficulty)
            try:
                canonical_json(dict(entry.config))
            except (TypeError, ValueError):
                raise ConfigError(f"{label}.config", "must hold JSON values only", dict(entry.config)) from None
            for level in sorted(set(levels)) if entry.difficulty is not None else sorted(task.levels):
                try:
                    task.make_config(level, **entry.config)
                except ConfigError as error:
                    raise ConfigError(f"{label}.config.{error.field}", error.rule, error.value) from None
                except TypeError as error:  # a value of the wrong type reaching a dataclass
                    raise ConfigError(f"{label}.config", str(error), dict(entry.config)) from None

    def to_dict(self) -> dict[str, Any]:
        """The suite as plain data (the shape of a suite YAML file; entries omit default settings)."""
        tasks = []
        for entry in self.entries:
            item: dict[str, Any] = {"task": entry.task}
            if entry.weight != 1:
                item["weight"] = weight_value(entry.weight)
            if entry.difficulty is not None:
                item["difficulty"] = entry.to_dict()["difficulty"]
            if entry.config:
                item["config"] = dict(entry.config)
            tasks.append(item)
        return {"n": self.n, "seed": self.seed, "test_size": self.test_size, "format": self.format, "tasks": tasks}

    def to_yaml(self) -> str:
        """The suite as a YAML file that ``load_suite`` reads back to an equal suite."""
        import yaml

        return yaml.safe_dump(self.to_dict(), sort_keys=False, default_flow_style=None, allow_unicode=True)


def _check_keys(where: str, mapping: Mapping[str, Any], known: Sequence[str]) -> None:
    for key in mapping:
        if key not in known:
            close = suggest(str(key), known)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            raise ConfigError(f"{where}{key}", f"is not a suite setting; {hint}")


def _weight(where: str, value: Any) -> Fraction:
    if isinstance(value, str) and "/" in value:  # an exact fraction such as "1/3"
        try:
            value = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise ConfigError(f"{where}.weight", "must be a positive number or a fraction 'p/q'", value) from None
    return Fraction(require_number(f"{where}.weight", value, above=0))


def _difficulty(where: str, value: Any) -> Difficulty:
    """A difficulty setting: None, a level, or a list of levels (one level alone is that level)."""
    field = where if where == "difficulty" else f"{where}.difficulty"
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        if not value or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise ConfigError(field, "must be a non-empty list of integer levels", value)
        return value[0] if len(value) == 1 else tuple(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(field, "must be an integer level, a list of levels, or omitted for all levels", value)
    return value


def parse_difficulty(text: str) -> Difficulty:
    """A command-line difficulty: ``"3"``, a range ``"1-3"`` or a list ``"1,2,5"``.

    >>> parse_difficulty("3"), parse_difficulty("1-3"), parse_difficulty("1,2,5")
    (3, (1, 2, 3), (1, 2, 5))
    """
    try:
        if "-" in text.strip().lstrip("-"):
            low, high = (int(part) for part in text.split("-", 1))
            if low > high:
                raise ValueError
            return _difficulty("difficulty", list(range(low, high + 1)))
        return _difficulty("difficulty", [int(part) for part in text.split(",")])
    except ValueError:
        raise ConfigError("difficulty", "must be a level (3), a range (1-3) or a list (1,2,5)", text) from None


def parse_suite(spec: Any) -> Suite:
    """A Suite from plain data (a parsed YAML suite file).

    ``tasks`` is a list whose items are a task id or domain (weight 1) or a mapping with ``task``
    and optional ``weight`` (a positive number, or an exact fraction "p/q"), ``difficulty`` (a
    level, or a list of levels drawn per problem) and ``config``; a domain's weight is shared
    evenly by its tasks. A top-level ``difficulty`` is the default of entries without one.

    >>> suite = parse_suite({"n": 30, "tasks": [{"task": "math/arithmetic", "weight": 2, "difficulty": 1},
    ...                                          "math/arithmetic"]})
    >>> suite.counts()
    [20, 10]
    >>> parse_suite({"n": 30, "tasks": [{"task": "math/arithmetic", "weight": -1}]})
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: tasks[0].weight: must be a positive number (got -1)
    """
    if not isinstance(spec, Mapping):
        raise ConfigError("suite", "must be a mapping with a 'tasks' list", type(spec).__name__)
    _check_keys("", spec, SUITE_KEYS)
    if "tasks" not in spec:
        raise ConfigError("tasks", "is required: a list of task ids or {task, weight, difficulty, config}")
    tasks = spec["tasks"]
    if not isinstance(tasks, list) or not tasks:
        raise ConfigError("tasks", "must be a non-empty list", tasks)
    default_difficulty = _difficulty("difficulty", spec.get("difficulty"))
    entries: list[SuiteEntry] = []
    for index, item in enumerate(tasks):
        where = f"tasks[{index}]"
        if isinstance(item, str):
            item = {"task": item}
        if not isinstance(item, Mapping):
            raise ConfigError(where, "must be a task id or a mapping with a 'task' key", item)
        _check_keys(f"{where}.", item, ENTRY_KEYS)
        selector = item.get("task")
        if not isinstance(selector, str) or not selector:
            raise ConfigError(f"{where}.task", "is required: a task id or a domain name", selector)
        weight = _weight(where, item.get("weight", 1))
        difficulty = _difficulty(where, item.get("difficulty", default_difficulty))
        config = item.get("config") or {}
        if not isinstance(config, Mapping) or not all(isinstance(k, str) for k in config):
            raise ConfigError(f"{where}.config", "must be a mapping of setting names to values", config)
        try:
            task_ids = resolve_tasks([selector])
        except AssayError as error:
            raise ConfigError(f"{where}.task", str(error)) from None
        share = weight / len(task_ids)
        entries.extend(SuiteEntry(task_id, share, difficulty, dict(config)) for task_id in task_ids)
    settings = {key: spec[key] for key in ("n", "seed", "test_size", "format") if key in spec}
    suite = Suite(tuple(entries), **settings)
    suite.validate()
    return suite


def load_suite(path: str | Path) -> Suite:
    """Read a YAML suite file; errors name the file and the field.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "suite.yaml")
    >>> _ = open(path, "w").write("n: 100\\nseed: 7\\ntasks:\\n  - {task: math/arithmetic, weight: 3}\\n")
    >>> load_suite(path).counts()
    [100]
    """
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError("mix", f"cannot read suite file {str(path)!r}: {error.strerror}") from None
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(str(path), f"is not valid YAML: {error}") from None
    try:
        return parse_suite(spec)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error.field}", error.rule, error.value) from None
