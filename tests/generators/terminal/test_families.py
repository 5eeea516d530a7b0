"""Every terminal family over several seeds on every backend that works here: the reference passes,
doing nothing fails, a shallow try and tampering fail, the reference followed by tampering passes;
generation is deterministic and its solvability check is recorded in meta."""

from __future__ import annotations

import pytest

import assay
from assay.generators.terminal import _base
from assay.generators.terminal._base import TAMPERING, fence, link_outputs
from assay.generators.terminal.log_filter import LogFilter
from assay.verifiers.terminal import verify
from assay.verifiers.terminal.solvable import SolvabilityError, shallow_script

FAMILIES = assay.list_tasks("terminal")
SEEDS = (0, 1)  # seed s runs at difficulty s + 1; the registry tests cover every level


def test_there_are_twenty_families():
    assert len(FAMILIES) >= 20, FAMILIES


@pytest.mark.parametrize("task_id", FAMILIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_family_on_backend(task_id, seed, backend):
    problem = assay.get_task(task_id).generate(seed, difficulty=1 + seed % 3)
    assert problem.meta["solvability"] == {"reference": "pass", "nothing": "fail", "shallow": "fail"}
    data = problem.data
    cases = [
        (fence(problem.answer), True, "reference"),
        (fence(":"), False, "doing nothing"),
        (fence(shallow_script(data["tests"])), False, "shallow"),
        (fence(TAMPERING), False, "tampering alone"),
        (fence(link_outputs(problem)), False, "outputs linked to host files"),
        (fence(problem.answer + "\n" + TAMPERING), True, "reference then tampering"),
    ]
    wrong = []
    for completion, expected, why in cases:
        verdict = verify(completion, data, backend=backend)
        if verdict.passed is not expected:
            wrong.append(f"{why}: {verdict.reason} {verdict.detail.get('message', '')}")
    assert not wrong, wrong


@pytest.mark.parametrize("task_id", FAMILIES)
def test_generation_is_deterministic_and_rows_verify(task_id):
    task = assay.get_task(task_id)
    first, again = task.generate(7, difficulty=2), task.generate(7, difficulty=2)
    assert first.to_row() == again.to_row()
    assert first.prompt.count("/work") >= 1 and "<answer>" in first.prompt
    unchecked = task.generate(7, difficulty=2, check_solvable=False)
    assert unchecked.id == first.id and unchecked.meta["solvability"] == "unchecked"


class BrokenLogFilter(LogFilter):
    """log_filter whose reference writes the wrong lines: its generation must fail (not registered)."""

    def make(self, rng, config):
        spec = super().make(rng, config)
        spec.reference = "grep -F INFO logs/app.log > errors.txt"
        return spec


def test_a_broken_reference_is_caught_at_generation(tmp_path, monkeypatch):
    monkeypatch.setattr(_base, "_cache_dir", lambda: tmp_path)  # nothing cached from an earlier run
    broken = BrokenLogFilter()
    with pytest.raises(SolvabilityError, match="reference wrong"):
        broken.generate(3, difficulty=1)
    with pytest.raises(SolvabilityError, match="reference wrong"):
        broken.generate_many([4, 5], difficulty=2)
    assert list(tmp_path.iterdir()) == [], "a failed check is not cached"
    assert broken.generate(3, difficulty=1, check_solvable=False).meta["solvability"] == "unchecked"


def test_generate_many_gives_the_rows_generate_gives(tmp_path, monkeypatch):
    """The checks of a run share one round trip; the rows are those of one-by-one generation, checked or cached."""
    monkeypatch.setattr(_base, "_cache_dir", lambda: tmp_path)
    task = assay.get_task("terminal/script_args")  # command tests with inputs: the most steps per check
    seeds = [11, 12, 13]
    together = [problem.to_row() for problem in task.generate_many(seeds)]
    assert len(list(tmp_path.iterdir())) == len(seeds)
    for path in tmp_path.iterdir():
        path.unlink()
    assert together == [task.generate(seed).to_row() for seed in seeds]  # checked again, one at a time
    assert together == [problem.to_row() for problem in task.generate_many(seeds)]  # from the cache
