"""The Ray executor: ``verify_batch(..., executor="ray")`` and ``assay generate --executor ray``.

Ray actors each own an ``assay.executors.pool.WorkerPool``, so per-item deadlines are still kill-enforced.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from assay.errors import ConfigError, DependencyMissing, TaskNotFound
from assay.executors.generation import generate_jobs
from assay.registry import get_task
from assay.types import Problem, Verdict

logger = logging.getLogger(__name__)

# Fewest items per actor call: enough to amortise Ray's per-call cost.
CHUNK = 64
# Slack on top of the items' own time budgets before an actor is declared lost.
ACTOR_GRACE_S = 120.0

_lock = threading.Lock()
_actors: list[Any] = []
_actor_class: Any = None


class VerifierActor:
    """Body of the Ray actor: a worker pool of ``size`` processes that outlives calls."""

    def __init__(self, size: int) -> None:
        from assay.executors.pool import WorkerPool

        self.pool = WorkerPool(size)

    def verify(self, modules: list[str], problems: list[Problem], completions: list[str], timeout_s: float | None) -> list[Verdict]:
        _import(modules)
        return self.pool.run(problems, completions, timeout_s)

    def generate(self, modules: list[str], jobs: list[tuple[str, int, int | None, Mapping[str, Any]]]) -> list[Problem] | tuple:
        _import(modules)
        try:
            return generate_jobs([(task_id, seed, difficulty, dict(config or {})) for task_id, seed, difficulty, config in jobs])
        except ConfigError as error:  # Assay's errors do not survive Ray's pickling: send their fields
            return ("ConfigError", error.field, error.rule, error.value)
        except TaskNotFound as error:
            return ("TaskNotFound", error.task_id, error.suggestions)

    def ping(self) -> bool:
        return True


def _import(modules: list[str]) -> None:
    import importlib

    for module in modules:
        importlib.import_module(module)


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise DependencyMissing("ray", "ray") from None
    if not ray.is_initialized():
        # connects to a running cluster when RAY_ADDRESS says so, else starts a local one
        ray.init(ignore_reinit_error=True, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    return ray


def _get_actors(count: int) -> list[Any]:
    """``count`` live actors (created on first use, reused across calls)."""
    global _actor_class
    ray = _ray()
    with _lock:
        if _actor_class is None:
            _actor_class = ray.remote(max_restarts=0)(VerifierActor)
        while len(_actors) < count:
            _actors.append(_actor_class.remote(1))
        return _actors[:count]


def _replace(actor: Any) -> None:
    ray = _ray()
    with _lock:
        if actor in _actors:
            try:
                ray.kill(actor)
            except Exception:  # already gone: nothing to kill
                logger.debug("actor already gone", exc_info=True)
            _actors[_actors.index(actor)] = _actor_class.remote(1)


def _actor_count(workers: int | None) -> int:
    if workers:
        return workers
    ray = _ray()
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _user_modules(task_ids: set[str]) -> list[str]:
    """Modules of tasks registered outside Assay: the actors must import them too."""
    modules = {type(get_task(t)).__module__ for t in task_ids}
    return sorted(m for m in modules if not m.startswith("assay.") and m != "__main__")


def verify_items(
    problems: list[Problem], completions: list[str], *, workers: int | None, timeout_s: float | None
) -> list[Verdict]:
    """The "ray" executor of ``verify_batch``: chunks spread over ``workers`` actors (default:
    the cluster's CPUs), a Verdict for every item. A hung item is killed by its actor's pool
    (``timeout``); a lost actor costs its chunk ``verifier_error`` and is replaced.
    """
    ray = _ray()
    actors = _get_actors(min(_actor_count(workers), max(1, -(-len(problems) // CHUNK))))
    modules = _user_modules({p.task for p in problems})
    # about four chunks per actor: few Ray calls for a big batch, still some balancing
    size = max(CHUNK, -(-len(problems) // (4 * len(actors))))
    chunks = [list(range(i, min(i + size, len(problems)))) for i in range(0, len(problems), size)]
    refs = []
    for number, indices in enumerate(chunks):
        actor = actors[number % len(actors)]
        ref = actor.verify.remote(modules, [problems[i] for i in indices], [completions[i] for i in indices], timeout_s)
        budget = sum(timeout_s or get_task(problems[i].task).timeout_s for i in indices)
        refs.append((actor, indices, ref, budget))
    results: list[Verdict | None] = [None] * len(problems)
    waited = 0.0
    for actor, indices, ref, budget in refs:
        try:
            verdicts = ray.get(ref, timeout=budget + ACTOR_GRACE_S + waited)
        except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError, ray.exceptions.RayTaskError) as error:
            logger.error("ray actor lost a chunk of %d items: %s", len(indices), error)
            _replace(actor)
            verdicts = [Verdict.fail("verifier_error", message=f"ray actor failed: {type(error).__name__}")] * len(indices)
        waited += budget  # chunks on one actor run one after another
        for index, verdict in zip(indices, verdicts):
            results[index] = verdict
    return results  # type: ignore[return-value]


def map_generate(
    jobs: Sequence[tuple[str, int, int | None, Mapping[str, Any] | None]], *, workers: int | None = None
) -> list[Problem]:
    """``get_task(task_id).generate(seed, difficulty=difficulty, **config)`` for each job
    ``(task_id, seed, difficulty_or_None, config_dict)``, on Ray actors, results in job order.

    Generation is a pure function of the job, so the rows are byte-identical to a local run.
    Errors (a bad config) propagate to the caller.
    """
    ray = _ray()
    jobs = [(str(t), int(s), d, dict(c or {})) for t, s, d, c in jobs]
    if not jobs:
        return []
    actors = _get_actors(min(_actor_count(workers), max(1, -(-len(jobs) // CHUNK))))
    modules = _user_modules({job[0] for job in jobs})
    refs = [actors[n % len(actors)].generate.remote(modules, jobs[i:i + CHUNK])
            for n, i in enumerate(range(0, len(jobs), CHUNK))]
    out: list[Problem] = []
    for chunk in ray.get(refs):
        if isinstance(chunk, tuple):
            raise ConfigError(*chunk[1:]) if chunk[0] == "ConfigError" else TaskNotFound(*chunk[1:])
        out.extend(chunk)
    return out


def shutdown() -> None:
    """Kill this process's actors (their worker processes go with them)."""
    with _lock:
        if _actors:
            import ray

            for actor in _actors:
                try:
                    ray.kill(actor)
                except Exception:  # the cluster may already be down
                    logger.debug("could not kill actor", exc_info=True)
            _actors.clear()
