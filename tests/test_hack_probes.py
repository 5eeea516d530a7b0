"""The generic hack probes: which tasks get them, and that Assay's verifier refuses every one
(the registry-wide audit runs them on every task; this table shows them on one gold each)."""

from __future__ import annotations

import pytest

import assay
from assay.audit import probes_for
from assay.hack_probes import HACK, has_text_answer, look_alike


@pytest.mark.parametrize("task_id", ["math/arithmetic", "graph/shortest_path", "code/output_prediction"])
def test_assay_refuses_every_hack(task_id):
    problem = assay.generate(task_id, 1)[0]
    hacks = [p for p in probes_for(problem) if p.category == HACK]
    assert len(hacks) >= 8
    verdicts = assay.verify_batch([problem] * len(hacks), [p.completion for p in hacks], executor="inline")
    assert [(p.why, v.passed) for p, v in zip(hacks, verdicts) if v.passed] == []


@pytest.mark.parametrize(("task_id", "expected"), [("math/arithmetic", True), ("sql/join", False), ("terminal/csv_join", False)])
def test_hacks_apply_to_short_text_answers_only(task_id, expected):
    assert has_text_answer(assay.generate(task_id, 1)[0]) is expected


def test_look_alikes_are_not_digits_under_any_normalisation():
    import unicodedata

    text = look_alike("0135689")
    assert text is not None and not any(unicodedata.normalize("NFKC", c).isdigit() for c in text)
