"""How many distinct problems a task can yield per difficulty level, and mixtures that respect it.

A task may declare ``capacity = {level: count}``; otherwise its capacity at a level is measured
once from 512 seeded draws (the number of distinct de-duplication keys among them, prompts or ids
as ``Task.dedup_key`` gives them, says how large the space is) and cached on disk per task
version, level and config. Levels may share problems (an SQL question reads the same at every
level; only its data differ), so an entry over several levels is also measured over all of them
together (``union_capacity``). The built-in tasks' measurements ship
in ``capacity.json`` beside this module (``python -m assay.capacity`` remakes it), so a first
mixture does not pay for them. A mixture never asks an entry for more
than its draws can give; the rest goes to the other entries in proportion to their weights.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from assay.errors import DatasetError
from assay.randomness import derive_seed
from assay.registry import get_task
from assay.scoring import item_seed
from assay.suite import Suite, SuiteEntry
from assay.types import canonical_json

logger = logging.getLogger(__name__)

PROBE_DRAWS = 512
CACHE_ENV = "ASSAY_CACHE"
CACHE_VERSION = 2
# A corpus gives a task that keeps repeating itself this many draws per requested problem, plus a
# slack, before it gives up: enough for a coupon collector to fill a small problem space. An entry
# is asked for no more than its draws in that budget are expected to yield (and a rebalanced
# mixture then allows it four times the draws, for the estimate's error).
DRAWS_PER_PROBLEM = 4
DRAW_SLACK = 100
LARGE = 10**9


@dataclass(frozen=True)
class Space:
    """A problem space as the capacity probe saw it: its estimated ``size`` (None: too large for the
    probe to tell), the probe's ``draws``, and its ``profile``: ``(times, keys)`` pairs saying how
    many distinct problems the probe drew exactly that many times (empty for a declared size).

    Spaces are not drawn evenly (sql/string_functions measures 57 problems at mixed difficulty, yet
    900 draws gave 54: several come once in a thousand draws), so what a budget of draws yields is
    estimated from the profile, not from the size alone.
    """

    size: int | None
    draws: int = 0
    profile: tuple[tuple[int, int], ...] = ()

    @classmethod
    def from_keys(cls, keys: Sequence[Any]) -> Space:
        """The space of a probe that drew ``keys`` (one per draw).

        >>> Space.from_keys(["a", "b", "a", "c", "a", "b"] * 10)
        Space(size=3, draws=60, profile=((10, 1), (20, 1), (30, 1)))
        """
        times = Counter(Counter(keys).values())
        return cls(estimate_space(len(keys), sum(times.values())), len(keys), tuple(sorted(times.items())))

    def to_json(self) -> Any:
        return None if self.size is None else {"size": self.size, "draws": self.draws, "profile": [list(p) for p in self.profile]}

    @classmethod
    def from_json(cls, value: Any) -> Space:
        if value is None:
            return cls(None)
        return cls(int(value["size"]), int(value["draws"]), tuple((int(t), int(k)) for t, k in value["profile"]))

    def yields(self, draws: float) -> tuple[float, float]:
        """The mean and variance of the number of distinct problems ``draws`` draws give.

        Each problem the probe saw ``t`` times is drawn with probability ``t / probe draws``, scaled
        down by the mass of the problems it never saw; those (the estimated size less the ones seen)
        share that unseen mass, estimated as the share of problems seen once (Good and Turing).
        A declared size is drawn evenly.

        >>> even = Space(100)
        >>> round(even.yields(100)[0], 1)  # 100 (1 - (1 - 1/100)^100)
        63.4
        >>> skewed = Space.from_keys([0] * 900 + list(range(1, 101)))  # one favourite and 100 rare ones
        >>> round(skewed.yields(1000)[0], 1)
        64.2
        """
        if self.size is None:
            return draws, 0.0
        classes: list[tuple[float, float]] = []  # (probability of each problem, how many problems)
        if not self.profile:
            classes.append((1 / self.size, float(self.size)))
        else:
            seen = sum(keys for _, keys in self.profile)
            once = sum(keys for times, keys in self.profile if times == 1)
            unseen = max(0, self.size - seen)
            missing = min(once / self.draws, 0.5) if unseen else 0.0
            classes.extend(((1 - missing) * times / self.draws, float(keys)) for times, keys in self.profile)
            if unseen:
                classes.append((missing / unseen, float(unseen)))
        mean = variance = 0.0
        for probability, count in classes:
            absent = math.exp(draws * math.log1p(-probability)) if probability < 1 else 0.0
            mean += count * (1 - absent)
            variance += count * absent * (1 - absent)
        return mean, variance


SHIPPED = Path(__file__).with_name("capacity.json")


@functools.cache
def _shipped() -> dict[str, Any]:
    """The shipped table (read once: it is part of the installed package; callers never change it)."""
    try:
        data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("entries", {}) if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


def cache_folder() -> Path:
    """Where Assay keeps what it computes once (capacities, card samples, terminal solvability
    checks): ``$ASSAY_CACHE``, else Assay's cache folder: ``$ASSAY_CACHE_DIR`` (which also holds the
    sandbox's built images), ``$XDG_CACHE_HOME/assay`` or ``~/.cache/assay``. So ``ASSAY_CACHE`` gives
    a run fresh computed caches while it keeps the images."""
    return Path(os.environ.get(CACHE_ENV) or os.environ.get("ASSAY_CACHE_DIR")
                or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "assay"))


def _cache_path() -> Path:
    return cache_folder() / "capacity.json"


def _load_cache() -> dict[str, Any]:
    try:
        data = json.loads(_cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


def _save_cache(entries: Mapping[str, Any]) -> None:
    path = _cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"version": CACHE_VERSION, "entries": dict(entries)}, sort_keys=True), encoding="utf-8")
        temporary.replace(path)
    except OSError:  # a read-only home: measure again next time
        logger.debug("could not write the capacity cache at %s", path, exc_info=True)


def estimate_space(draws: int, distinct: int) -> int | None:
    """A cautious size of a problem space in which ``draws`` uniform draws found ``distinct``
    different problems: None when it is too large for the draws to tell (few repeats).

    >>> estimate_space(512, 12), estimate_space(512, 512)
    (12, None)
    """
    repeats = draws - distinct
    if repeats == 0:
        return None
    if 4 * distinct <= draws:  # every problem was drawn about four times over: the space is all seen
        return distinct
    # count a few fewer distinct problems than were seen, so the estimate errs small
    cautious = max(1, distinct - 2 * math.isqrt(repeats) - 2)
    low, high = cautious, LARGE
    while low < high:  # the space S whose expected distinct count S(1 - e^(-draws/S)) is `cautious`
        middle = (low + high) // 2
        if middle * -math.expm1(-draws / middle) < cautious:
            low = middle + 1
        else:
            high = middle
    return None if low >= LARGE else low


def level_capacity(task_id: str, level: int, config: Mapping[str, Any] | None = None, *, cache: bool = True) -> int | None:
    """Distinct problems ``task_id`` can yield at ``level`` (with ``config``): the task's declared
    capacity, or measured from PROBE_DRAWS draws and cached; None means effectively unlimited.

    >>> level_capacity("math/arithmetic", 1, {"operands": 2, "magnitude": 2, "depth": 0, "division": False}, cache=False)
    12
    """
    return level_space(task_id, level, config, cache=cache).size


def level_space(task_id: str, level: int, config: Mapping[str, Any] | None = None, *, cache: bool = True) -> Space:
    """The ``Space`` behind ``level_capacity``: a declared size, or the probe's measurement."""
    task = get_task(task_id)
    declared = getattr(task, "capacity", None)
    if declared is not None and not config and level in declared:
        return Space(declared[level])
    return _measured(task_id, [level], config, cache=cache)


def union_capacity(task_id: str, levels: Sequence[int], config: Mapping[str, Any] | None = None, *, cache: bool = True) -> int | None:
    """Distinct problems ``task_id`` can yield over ``levels`` drawn alike (as a mixed-difficulty
    entry draws them): less than the levels' sum where levels share problems (an SQL question
    reads the same at every level; only its data differ). Measured and cached as level_capacity.

    >>> union_capacity("sql/string_functions", [1, 2, 3])  # the shipped figure (levels 47, 50, 49)
    57
    """
    return _measured(task_id, sorted(levels), config, cache=cache).size


def _measured(task_id: str, levels: list[int], config: Mapping[str, Any] | None, *, cache: bool) -> Space:
    """The keys of PROBE_DRAWS draws per level over ``levels`` (each draw's level from its seed, as
    a corpus entry draws it), from the shipped table, the cache, or a fresh probe (then cached)."""
    task = get_task(task_id)
    label = "+".join(str(level) for level in levels)
    key = f"{task_id}@{task.version}:{label}:{canonical_json(dict(config or {}))}"
    shipped = _shipped() if cache else {}
    if key in shipped:
        return Space.from_json(shipped[key])
    stored = _load_cache() if cache else {}
    entries = dict(stored.get("entries", {}))
    if key in entries:
        return Space.from_json(entries[key])
    salt: int | str = levels[0] if len(levels) == 1 else label
    stream = derive_seed("capacity", task_id, salt, canonical_json(dict(config or {}))) >> 1
    keys = []
    for i in range(PROBE_DRAWS * len(levels)):  # as many draws per level as a level's own probe
        seed = item_seed(stream, i)
        level = levels[derive_seed("level", seed) % len(levels)]
        keys.append(task.dedup_key(seed, difficulty=level, **dict(config or {})))
    space = Space.from_keys(keys)
    if cache:
        entries[key] = space.to_json()
        _save_cache(entries)
    return space


def entry_levels(entry: SuiteEntry) -> list[int]:
    """The levels an entry draws from (each equally likely per draw)."""
    if isinstance(entry.difficulty, tuple):
        return list(entry.difficulty)
    if entry.difficulty is None:
        return sorted(get_task(entry.task).levels)
    return [entry.difficulty]


def _repeats_early(task_id: str, level: int, config: Mapping[str, Any], draws: int) -> bool:
    """Whether the first ``draws`` of the capacity probe's stream repeat a prompt."""
    task = get_task(task_id)
    stream = derive_seed("capacity", task_id, level, canonical_json(dict(config))) >> 1
    keys = {task.dedup_key(item_seed(stream, i), difficulty=level, **dict(config)) for i in range(draws)}
    return len(keys) < draws


def entry_limit(entry: SuiteEntry, count: int | None = None, *, cache: bool = True) -> int | None:
    """The most problems a suite entry may be asked for (None: no limit that matters).

    With ``count``, a level whose first ``2 * count + 16`` probe draws never repeat is taken as
    large enough for it without the full probe (a small share of a mixture stays cheap to check).

    >>> entry_limit(SuiteEntry("math/arithmetic", difficulty=1,
    ...                        config={"operands": 2, "magnitude": 2, "depth": 0, "division": False}), cache=False)
    12
    """
    levels = entry_levels(entry)
    declared = getattr(get_task(entry.task), "capacity", None)
    if declared is not None and not entry.config and all(level in declared for level in levels):
        if all(declared[level] is None for level in levels):
            return None  # declared unlimited: nothing to probe
    elif count is not None and 2 * count + 16 < PROBE_DRAWS:
        known = {**_shipped(), **_load_cache().get("entries", {})} if cache else {}
        version = get_task(entry.task).version
        keys = {level: f"{entry.task}@{version}:{level}:{canonical_json(dict(entry.config))}" for level in levels}
        if all(known.get(key) is None for key in keys.values()) and not any(
                _repeats_early(entry.task, level, entry.config, 2 * count + 16) for level, key in keys.items() if key not in known):
            return None
    spaces = [level_space(entry.task, level, entry.config, cache=cache) for level in levels]
    if all(space.size is None for space in spaces):
        return None
    if len(levels) > 1 and all(space.size is not None for space in spaces) and not (
            declared is not None and not entry.config and all(level in declared for level in levels)):
        union = _measured(entry.task, levels, entry.config, cache=cache)
        if union.size is not None and union.size < sum(space.size for space in spaces):  # type: ignore[misc]
            spaces = [union]  # the levels share problems: one space that every draw goes to

    return draw_limit(spaces)


def draw_limit(spaces: Sequence[Space]) -> int | None:
    """The most problems an entry drawing evenly over the levels of ``spaces`` is expected to get
    within its draw budget (``DRAWS_PER_PROBLEM`` per problem plus ``DRAW_SLACK``): its mean count
    of distinct problems less three standard deviations; None when no space limits it.

    >>> even = Space.from_keys(list(range(40)) * 25)  # 40 problems, each drawn 25 times in 1000
    >>> rare = Space.from_keys(list(range(20)) * 48 + list(range(20, 40)) * 2)  # half of them twice
    >>> draw_limit([even]), draw_limit([rare]), draw_limit([Space(None)])
    (39, 19, None)
    """

    def enough(count: int) -> bool:
        per_level = (DRAWS_PER_PROBLEM * count + DRAW_SLACK) / len(spaces)
        mean = variance = 0.0
        for space in spaces:
            level_mean, level_variance = space.yields(per_level)
            mean += level_mean
            variance += level_variance
        return mean - 3 * math.sqrt(variance) >= count - 0.05

    low, high = 0, LARGE
    while low < high:  # the largest count whose budget is expected to yield it
        middle = (low + high + 1) // 2
        if enough(middle):
            low = middle
        else:
            high = middle - 1
    sizes = [space.size for space in spaces]
    limit = low if None in sizes else min(low, sum(sizes))  # type: ignore[arg-type]
    return None if limit >= LARGE else limit


@dataclass(frozen=True)
class CountPlan:
    """Problems per suite entry after capacity limits, and what changed (one line per entry)."""

    counts: list[int]
    notices: list[str]


def plan_counts(suite: Suite, *, strict: bool = False, cache: bool = True) -> CountPlan:
    """``suite.counts()``, with any entry asked for more than its limit cut to it and the rest
    handed to the other entries in proportion to their weights (largest remainders first).
    ``strict`` (or a suite of one entry) keeps the counts: generation then fails as it always did.

    >>> tiny = {"operands": 2, "magnitude": 2, "depth": 0, "division": False}
    >>> suite = Suite((SuiteEntry("math/arithmetic", difficulty=1, config=tiny), SuiteEntry("math/arithmetic")), n=40)
    >>> plan = plan_counts(suite, cache=False)
    >>> plan.counts, plan.notices[1]
    ([12, 28], 'the 8 problems they cannot give go to 1 other entries by weight (8 to 8 more each: math/arithmetic)')
    """
    counts = suite.counts()
    if strict or len(suite.entries) < 2:
        return CountPlan(counts, [])
    limits = [entry_limit(entry, count, cache=cache) for entry, count in zip(suite.entries, counts)]
    checked = list(counts)  # the count each limit was found for (a quick check holds up to it only)
    fixed: dict[int, int] = {}
    while True:
        for j, count in enumerate(counts):
            if j not in fixed and limits[j] is None and count > checked[j]:
                limits[j], checked[j] = entry_limit(suite.entries[j], count, cache=cache), count
        over = [j for j, count in enumerate(counts) if j not in fixed and limits[j] is not None and count > limits[j]]  # type: ignore[operator]
        if not over:
            break
        for j in over:
            fixed[j] = limits[j]  # type: ignore[assignment]
        free = [j for j in range(len(counts)) if j not in fixed]
        left = suite.n - sum(fixed.values())
        if not free:
            raise DatasetError(f"the tasks of this mixture cannot yield {suite.n} distinct problems in all "
                               f"(at most {sum(fixed.values())}); ask for fewer problems or add tasks")
        shares = _apportion(left, [suite.entries[j].weight for j in free])
        counts = [fixed.get(j, 0) for j in range(len(counts))]
        for j, share in zip(free, shares):
            counts[j] = share
    original = suite.counts()
    notices = []
    for j in sorted(fixed):
        entry = suite.entries[j]
        notices.append(f"{entry.task} ({_setting(entry)}) can yield about {limits[j]} distinct problems: "
                       f"{original[j]} -> {counts[j]}")
    grown = [j for j in range(len(counts)) if j not in fixed and counts[j] != original[j]]
    if grown:
        extra = [counts[j] - original[j] for j in grown]
        names = ", ".join(suite.entries[j].task for j in grown[:3]) + (f" and {len(grown) - 3} more" if len(grown) > 3 else "")
        notices.append(f"the {sum(extra)} problems they cannot give go to {len(grown)} other entries by weight "
                       f"({min(extra)} to {max(extra)} more each: {names})")
    for line in notices:
        logger.info("mixture rebalanced: %s", line)
    return CountPlan(counts, notices)


def _apportion(total: int, weights: Sequence[Fraction]) -> list[int]:
    """``total`` split by weight, largest remainders first, ties to the earlier (as Suite.counts)."""
    whole = sum(weights)
    quotas = [total * w / whole for w in weights]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _setting(entry: SuiteEntry) -> str:
    difficulty = entry.to_dict()["difficulty"]
    text = "mixed difficulty" if difficulty is None else f"difficulty {difficulty}"
    return text + (f", config {canonical_json(dict(entry.config))}" if entry.config else "")


def capacity_table(task_id: str, *, cache: bool = True) -> dict[int, int | None]:
    """Capacity per difficulty level of one task (None: effectively unlimited).

    >>> capacity_table("math/arithmetic", cache=False)[2] is None
    True
    """
    task = get_task(task_id)
    return {level: level_capacity(task_id, level, cache=cache) for level in sorted(task.levels)}


def write_shipped_table(domains: Sequence[str] = ()) -> int:
    """Measure every registered built-in task at every level (default config) into SHIPPED; with
    ``domains`` (``python -m assay.capacity sql``), only those domains' tasks, keeping the rest."""
    from assay.registry import list_tasks

    entries: dict[str, Any] = {}
    if domains:
        entries.update({key: value for key, value in _shipped().items() if key.split("/", 1)[0] not in domains})
    for task_id in list_tasks():
        if domains and task_id.split("/", 1)[0] not in domains:
            continue
        task = get_task(task_id)
        for level in sorted(task.levels):
            entries[f"{task_id}@{task.version}:{level}:{{}}"] = level_space(task_id, level, cache=False).to_json()
        if len(task.levels) > 1 and all(entries[f"{task_id}@{task.version}:{level}:{{}}"] is not None for level in task.levels):
            levels = sorted(task.levels)
            entries[f"{task_id}@{task.version}:{'+'.join(map(str, levels))}:{{}}"] = _measured(task_id, levels, None, cache=False).to_json()
    SHIPPED.write_text(json.dumps({"version": CACHE_VERSION, "entries": entries}, indent=0, sort_keys=True) + "\n",
                       encoding="utf-8")
    return len(entries)


if __name__ == "__main__":
    import sys

    print(f"measured {write_shipped_table(sys.argv[1:])} task levels into {SHIPPED}")
