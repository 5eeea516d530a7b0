"""Generation is versioned: a committed fingerprint per (task, version) of the rows it generates.

A task's rows are a pure function of (task, version, seed, difficulty, config). The fingerprint
hashes the rows of a fixed set of seeds at every level (and at the default level), so any change
to what a task generates changes it. ``data_cards/fingerprints.json`` records one fingerprint per
``task@version``; a test compares every registered task with it, and fails when a task's rows
changed while its version did not ("bump the version"). ``assay card --fingerprints`` records the
fingerprints of new tasks and new versions; it refuses to rewrite a recorded one, since the same
(task, version, seed) must keep giving the same problem.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from assay.registry import get_task, list_tasks
from assay.scoring import item_seed

SEEDS = (0, 1)
FILE = "fingerprints.json"


def fingerprint(task_id: str) -> str:
    """The sha256 of the rows of ``task_id`` for seeds ``SEEDS`` at every level and the default.

    >>> fingerprint("math/arithmetic") == fingerprint("math/arithmetic")
    True
    >>> len(fingerprint("math/arithmetic"))
    64
    """
    task = get_task(task_id)
    digest = hashlib.sha256()
    for seed in SEEDS:
        for level in sorted(task.levels):
            digest.update(json.dumps(task.generate(item_seed(seed, level), difficulty=level).to_row(), sort_keys=True).encode())
        digest.update(json.dumps(task.generate(seed).to_row(), sort_keys=True).encode())
    return digest.hexdigest()


def key(task_id: str) -> str:
    """``task@version``, the key of a fingerprint.

    >>> key("math/arithmetic")
    'math/arithmetic@1'
    """
    return f"{task_id}@{get_task(task_id).version}"


def read(path: str | Path) -> dict[str, str]:
    """The recorded fingerprints (``{}`` when the file does not exist)."""
    path = Path(path)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def current(task_ids: Sequence[str] | None = None) -> dict[str, str]:
    """``{task@version: fingerprint}`` for the given tasks (default every registered task)."""
    return {key(task_id): fingerprint(task_id) for task_id in (task_ids or list_tasks())}


def changed_without_bump(recorded: dict[str, str], now: dict[str, str]) -> list[str]:
    """Keys whose rows differ from the recorded fingerprint of the same version.

    >>> changed_without_bump({"a/b@1": "x", "a/c@1": "y"}, {"a/b@1": "x", "a/c@1": "z", "a/d@1": "w"})
    ['a/c@1']
    """
    return sorted(k for k, value in now.items() if k in recorded and recorded[k] != value)


def record(path: str | Path, task_ids: Sequence[str] | None = None) -> tuple[list[str], list[str]]:
    """Add the fingerprints of (task, version) pairs not yet recorded; return (added, refused).

    A recorded pair whose rows changed is refused, not rewritten: its task's version must be
    bumped. Entries of older versions stay, so history is kept. Nothing is written when any pair
    is refused.
    """
    path = Path(path)
    recorded = read(path)
    now = current(task_ids)
    refused = changed_without_bump(recorded, now)
    added = sorted(k for k in now if k not in recorded)
    if refused:
        return [], refused
    if added:
        recorded.update({k: now[k] for k in added})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(dict(sorted(recorded.items())), indent=1) + "\n", encoding="utf-8")
    return added, []
