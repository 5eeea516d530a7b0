"""The task registry: a decorator that registers a Task class, and look-ups by id and domain.

Built-in tasks live in ``assay.generators``; every module there is imported on the first look-up.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import pkgutil
import random
import threading
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar, cast

from assay.config import require_int
from assay.errors import ConfigError, TaskNotFound, suggest
from assay.randomness import rng_for
from assay.types import AnswerRule, Probe, Problem, Verdict, wrap

__all__ = [
    "ANSWER_INSTRUCTION", "AnswerRule", "ConfigT", "Draft", "Probe", "Task", "TaskConfig", "describe_levels", "domains", "get_task",
    "list_tasks", "register_task", "resolve_tasks", "task_module", "unregister_task", "wrap",
]

logger = logging.getLogger(__name__)

ANSWER_INSTRUCTION = "Put your final answer inside <answer></answer> tags."

@dataclass(frozen=True)
class TaskConfig:
    """Base of every task's frozen config; subclasses validate in ``__post_init__``."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


ConfigT = TypeVar("ConfigT", bound=TaskConfig)


def describe_levels(levels: Mapping[int, TaskConfig]) -> dict[int, str]:
    """Each level's text, derived from its config: the settings that change between levels (the
    first three settings when none does).

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Sizes(TaskConfig):
    ...     items: int = 3
    ...     sorted: bool = False
    >>> describe_levels({1: Sizes(items=3), 2: Sizes(items=8)})
    {1: 'items 3', 2: 'items 8'}
    """
    values = {level: config.to_dict() for level, config in levels.items()}
    first = next(iter(values.values()), {})
    names = [name for name in first if len({repr(v.get(name)) for v in values.values()}) > 1]
    text = {}
    for level, value in values.items():
        shown = names or list(value)[:3]
        text[level] = ", ".join(f"{name} {_setting(value[name])}" for name in shown) or "default settings"
    return text


def _setting(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (list, tuple)):
        return "/".join(map(str, value))
    return str(value)

@dataclass(frozen=True)
class Draft:
    """What a task's ``build`` returns: the parts of a Problem before id and meta are attached."""

    prompt: str
    answer: str
    data: Mapping[str, Any]

class Task(Generic[ConfigT]):
    """A task family, generic over its frozen config. Subclasses set the class attributes
    (``levels`` maps each difficulty to its config: the one definition of a level, whose text
    is derived from it) and implement two methods:

    - ``build(rng, config)``: a Draft (prompt with its answer format, reference answer, payload);
    - ``check(problem, completion)``: a Verdict; pure, deterministic, never executes model text
      in this process.

    and may add ``probes(problem)``: audit probes beyond the registry-wide ones.
    """

    id: ClassVar[str]
    version: ClassVar[int] = 1
    description: ClassVar[str]
    levels: ClassVar[Mapping[int, TaskConfig]]  # difficulty -> its config (an instance of Config)
    answer_format: ClassVar[str]
    verification: ClassVar[str]
    partial_credit: ClassVar[Mapping[str, str]] = {}  # component -> definition (empty: none)
    limitations: ClassVar[tuple[str, ...]] = ()
    # how the final answer is read from a completion (a rule the domain defines; printed on the card),
    # and what decides once it is read; None / "" where the task does not declare them
    answer_rule: ClassVar[AnswerRule | None] = None
    decided_by: ClassVar[str] = ""
    Config: ClassVar[type[TaskConfig]]
    timeout_s: ClassVar[float] = 10.0  # per-item verification budget in verify_batch
    # False where the prompt does not show the whole problem (a terminal task's instruction over its
    # own file tree): a corpus then tells problems apart by id, not by prompt
    prompt_shows_problem: ClassVar[bool] = True
    # True where ``dedup_key(seed, difficulty=d, **config)`` always equals the prompt (or id) of
    # ``generate(seed, difficulty=d, **config)`` and costs much less (difficulty None: drawn as
    # generate draws it): a corpus then skips the build of a draw whose key repeats an earlier one
    exact_dedup_key: ClassVar[bool] = False

    @property
    def domain(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]

    # -- to implement ---------------------------------------------------------------------
    def config_for(self, difficulty: int) -> ConfigT:
        """The config of a difficulty level: ``levels[difficulty]`` unless a task computes it."""
        return cast(ConfigT, self.levels[difficulty])

    def level_text(self, difficulty: int) -> str:
        """What a difficulty level sets, in words (derived from the level configs)."""
        return describe_levels(self.levels)[difficulty]

    def build(self, rng: random.Random, config: ConfigT) -> Draft:
        raise NotImplementedError

    def check(self, problem: Problem, completion: str) -> Verdict:
        raise NotImplementedError

    def probes(self, problem: Problem) -> list[Probe]:
        return []

    # -- provided -------------------------------------------------------------------------
    def make_config(self, difficulty: int, **overrides: Any) -> ConfigT:
        """The config of ``difficulty`` with ``overrides`` applied (unknown names: ConfigError)."""
        if difficulty not in self.levels:
            raise ConfigError("difficulty", f"must be one of {sorted(self.levels)}", difficulty)
        config = self.config_for(difficulty)
        if overrides:
            names = [f.name for f in dataclasses.fields(config)]
            for key in overrides:
                if key not in names:
                    close = suggest(key, names)
                    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(names)}"
                    raise ConfigError(key, f"is not a setting of {self.id}{hint}")
            hints = typing.get_type_hints(type(config))
            for key, value in overrides.items():
                _check_setting(self.id, key, hints.get(key), value)
            try:
                config = dataclasses.replace(config, **overrides)
            except ConfigError:
                raise
            except (TypeError, ValueError, ArithmeticError) as error:  # a config check that did not expect the value
                raise ConfigError(next(iter(overrides)), f"is not valid for {self.id}: {error}", overrides) from None
        return config

    def start_draw(self, seed: int, *, difficulty: int | None = None, **config: Any) -> tuple[random.Random, int, ConfigT]:
        """The rng, level and config a draw of ``seed`` builds from, as ``generate`` starts it (a
        ``dedup_key`` that runs part of the build starts here too, so the two never drift apart).

        >>> task = get_task("math/arithmetic")
        >>> rng, level, settings = task.start_draw(3, difficulty=2)
        >>> level, settings == task.make_config(2)
        (2, True)
        """
        require_int("seed", seed, 0)
        if difficulty is not None and (isinstance(difficulty, bool) or not isinstance(difficulty, int)):
            raise ConfigError("difficulty", f"must be an integer in {sorted(self.levels)}", difficulty)
        rng = rng_for(self.id, self.version, seed)
        if difficulty is None:
            difficulty = rng.choice(sorted(self.levels))
        return rng, difficulty, self.make_config(difficulty, **config)

    def generate(self, seed: int, *, difficulty: int | None = None, **config: Any) -> Problem:
        """One problem, a pure function of (task, version, seed, difficulty, config).

        With ``difficulty=None`` the level is drawn from the seed, uniformly over ``levels``.
        """
        rng, difficulty, settings = self.start_draw(seed, difficulty=difficulty, **config)
        draft = self.build(rng, settings)
        meta = {
            "difficulty": difficulty,
            "seed": seed,
            "version": self.version,
            "domain": self.domain,
            "config": self._config_dict(settings),
        }
        return Problem.create(self.id, draft.prompt, draft.answer, draft.data, meta)

    def generate_many(self, seeds: Sequence[int], *, difficulty: int | None = None, **config: Any) -> list[Problem]:
        """``generate`` of each seed, in order: the same problems. A task whose problems cost less made
        together (terminal tasks check their solvability in one sandbox round trip per chunk)
        overrides it; a corpus generates each run of draws of one entry and level through it.

        >>> task = get_task("math/arithmetic")
        >>> task.generate_many([3, 4], difficulty=1) == [task.generate(3, difficulty=1), task.generate(4, difficulty=1)]
        True
        """
        return [self.generate(seed, difficulty=difficulty, **config) for seed in seeds]

    def _config_dict(self, settings: TaskConfig) -> dict[str, Any]:
        """``settings.to_dict()``, computed once per level config object (a corpus draws the same
        few configs millions of times; Problem.create copies the meta, so sharing it is safe)."""
        cache = self.__dict__.setdefault("_config_dicts", {})
        held = cache.get(id(settings))
        if held is not None and held[0] is settings:
            return held[1]
        value = settings.to_dict()
        if any(settings is level for level in self.levels.values()):  # long-lived: worth keeping
            cache[id(settings)] = (settings, value)
        return value

    def dedup_key(self, seed: int, *, difficulty: int | None, **config: Any) -> str:
        """What a corpus tells this draw apart by: its prompt, or its id where the prompt does not
        show the whole problem. Capacity probes (``assay.capacity``) count distinct keys; a task
        with a slow build may compute the prompt alone, drawn as ``generate`` would draw it.

        >>> from assay.registry import get_task
        >>> task = get_task("math/arithmetic")
        >>> task.dedup_key(3, difficulty=1) == task.generate(3, difficulty=1).prompt
        True
        """
        problem = self.generate(seed, difficulty=difficulty, **config)
        return problem.prompt if self.prompt_shows_problem else problem.id

    def __repr__(self) -> str:
        return f"<Task {self.id} v{self.version}>"

_SETTING_TYPES: dict[type, str] = {bool: "true or false", int: "an integer", float: "a number", str: "text"}


def _check_setting(task_id: str, name: str, annotation: Any, value: Any) -> None:
    """Raise ConfigError when ``value`` is not of the setting's declared type (bool is no int,
    an int is a float); settings of other declared types are left to the config's own checks.

    >>> _check_setting("math/arithmetic", "operands", int, "abc")
    Traceback (most recent call last):
    ...
    assay.errors.ConfigError: operands: setting of math/arithmetic must be an integer (got 'abc', a str)
    """
    allowed = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else (annotation,)
    if not allowed or any(kind not in _SETTING_TYPES and kind is not type(None) for kind in allowed):
        return
    if value is None and type(None) in allowed:
        return
    for kind in allowed:
        if kind is bool and isinstance(value, bool):
            return
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return
        if kind is str and isinstance(value, str):
            return
    wanted = " or ".join(_SETTING_TYPES[kind] for kind in allowed if kind in _SETTING_TYPES)
    raise ConfigError(name, f"setting of {task_id} must be {wanted} (got {value!r}, a {type(value).__name__})")


_REGISTRY: dict[str, Task[Any]] = {}
_LOADED = False
_LOCK = threading.RLock()
T = TypeVar("T", bound=type[Task[Any]])

_REQUIRED = ("id", "description", "levels", "answer_format", "verification", "Config")

def register_task(cls: T) -> T:
    """Class decorator: validate a Task subclass's declaration and register one instance.

    Re-registering the same class (a module reload) replaces it; another class under a taken id
    is an error.
    """
    missing = [name for name in _REQUIRED if not hasattr(cls, name)]
    if missing:
        raise TypeError(f"task {cls.__name__} does not declare {', '.join(missing)}")
    if "/" not in cls.id or cls.id.count("/") != 1 or cls.id != cls.id.strip().lower():
        raise TypeError(f"task id must be 'domain/name' in lower case, got {cls.id!r}")
    if not cls.levels or any(isinstance(k, bool) or not isinstance(k, int) for k in cls.levels):
        raise TypeError(f"task {cls.id} must declare integer difficulty levels")
    if not (isinstance(cls.Config, type) and issubclass(cls.Config, TaskConfig)):
        raise TypeError(f"task {cls.id}: Config must be a TaskConfig subclass, not {cls.Config!r}")
    wrong = sorted(level for level, config in cls.levels.items() if not isinstance(config, cls.Config))
    if wrong:
        raise TypeError(
            f"task {cls.id}: levels {wrong} are not {cls.Config.__name__} instances; levels maps each "
            f"difficulty to its config, e.g. levels = {{1: {cls.Config.__name__}(...)}}"
        )
    with _LOCK:
        existing = _REGISTRY.get(cls.id)
        if existing is not None and type(existing).__qualname__ != cls.__qualname__:
            raise TypeError(f"task id {cls.id!r} is taken by {type(existing).__qualname__}")
        _REGISTRY[cls.id] = cls()
    return cls

def unregister_task(task_id: str) -> None:
    """Remove a task from the registry (for tests and interactive work); unknown ids are ignored."""
    with _LOCK:
        _REGISTRY.pop(task_id, None)


def _load_builtin() -> None:
    global _LOADED
    if _LOADED:
        return
    with _LOCK:
        if _LOADED:
            return
        import assay.generators as package

        # every module, private helpers included (public modules import them anyway): a task in a
        # module named _*.py must not vanish from the registry without a word
        for module in sorted(pkgutil.walk_packages(package.__path__, package.__name__ + "."), key=lambda m: m.name):
            importlib.import_module(module.name)
        hidden = sorted(f"{task_id} (in {type(task).__module__})" for task_id, task in _REGISTRY.items()
                        if _is_private_builtin(type(task).__module__))
        if hidden:
            raise TypeError(f"tasks registered in private modules (named _*.py): {', '.join(hidden)}; "
                            "a task module's name must not start with '_': rename the module")
        _LOADED = True


def _is_private_builtin(module: str) -> bool:
    """True for a module of the built-in generators whose own or a package's name starts with '_'.

    >>> _is_private_builtin("assay.generators.math._common"), _is_private_builtin("assay.generators.math.roots")
    (True, False)
    """
    parts = module.split(".")
    return parts[:2] == ["assay", "generators"] and any(part.startswith("_") for part in parts[2:])

def list_tasks(domain: str | None = None) -> list[str]:
    """Registered task ids, sorted, optionally of one domain.

    >>> "math/arithmetic" in list_tasks("math")
    True
    """
    _load_builtin()
    ids = sorted(_REGISTRY)
    if domain is None:
        return ids
    return [task_id for task_id in ids if task_id.split("/", 1)[0] == domain]

def domains() -> list[str]:
    """The domains that have at least one task."""
    return sorted({task_id.split("/", 1)[0] for task_id in list_tasks()})

def get_task(task_id: str) -> Task[Any]:
    """The registered task ``task_id`` (``"domain/name"``, optionally ``"@version"``).

    >>> get_task("math/arithmetic").domain
    'math'
    >>> get_task("math/arithmetc")
    Traceback (most recent call last):
    ...
    assay.errors.TaskNotFound: no task 'math/arithmetc'; did you mean 'math/arithmetic' or ...
    """
    if not isinstance(task_id, str):
        raise TypeError(f"task id must be a string, not {type(task_id).__name__}")
    _load_builtin()
    name, _, version = task_id.partition("@")
    task = _REGISTRY.get(name)
    if task is None:
        raise TaskNotFound(task_id, _REGISTRY)
    if version and version.lstrip("v") != str(task.version):
        raise TaskNotFound(task_id, [f"{name}@{task.version}"])
    return task

def resolve_tasks(selectors: list[str]) -> list[str]:
    """Expand selectors (task ids, or domain names meaning all their tasks) to task ids, in order.

    >>> resolve_tasks(["math"])[:1]
    ['math/arithmetic']
    """
    out: list[str] = []
    for selector in selectors:
        if "/" in selector:
            ids = [get_task(selector).id]
        else:
            ids = list_tasks(selector)
            if not ids:
                raise TaskNotFound(selector, domains() + list_tasks())
        out.extend(i for i in ids if i not in out)
    return out

def task_module(task_id: str) -> str:
    """The module that registers ``task_id`` (imported by worker processes)."""
    return type(get_task(task_id)).__module__
