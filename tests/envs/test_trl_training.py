"""A real GRPO run: TRL's GRPOTrainer, the tiny random model and tokenizer of examples/trl_grpo.py, Assay's rewards.

No download: the tokenizer's vocabulary holds whole answer blocks, so a random model's samples
earn a mix of correct and wrong verdicts, and the test checks the rewards TRL logged are Assay's, the loss is finite and the weights moved.
"""

from __future__ import annotations

import importlib.util
import math
from collections import Counter
from pathlib import Path

import pytest

# Not importorskip: CI installs assay[dev], and a missing trainer must fail the run, not hide.
import torch  # noqa: E402

import assay
from assay.envs.problems import message_text

# The model, tokenizer and trainer are the example's (examples/trl_grpo.py), so the example is what is tested.
_SPEC = importlib.util.spec_from_file_location("trl_grpo_example", Path(__file__).resolve().parents[2] / "examples" / "trl_grpo.py")
example = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(example)


class Recorder:
    """A zero-weight reward function that keeps what TRL scored at each call."""

    __name__ = "recorder"

    def __init__(self) -> None:
        self.calls: list[tuple[list, list]] = []

    def __call__(self, prompts, completions, **columns):
        self.calls.append((list(completions), list(columns["id"])))
        return [0.0] * len(completions)


@pytest.mark.slow
def test_grpo_trainer_trains_on_assay_rewards(tmp_path) -> None:
    problems = example.one_digit_problems()
    by_id = {p.id: p for p in problems}
    recorder = Recorder()
    trainer = example.build_trainer(str(tmp_path), steps=3, extra_rewards=[recorder], problems=problems)
    before = {name: weight.detach().clone() for name, weight in trainer.model.named_parameters()}
    trainer.train()

    steps = [entry for entry in trainer.state.log_history if "rewards/assay/mean" in entry]
    assert len(steps) == 3 and len(recorder.calls) == 3
    all_scores = []
    for entry, (completions, ids) in zip(steps, recorder.calls):
        # Assay's own verdicts on the completions TRL generated at that step
        verdicts = [assay.verify(by_id[i], message_text(c)) for c, i in zip(completions, ids)]
        scores = [v.score for v in verdicts]
        all_scores += scores
        assert entry["rewards/assay/mean"] == pytest.approx(sum(scores) / len(scores))
        reasons = Counter(v.reason for v in verdicts)
        for reason, count in reasons.items():
            assert entry[f"assay/{reason}"] == pytest.approx(count / len(verdicts))
    # the last generation batch, item by item, as TRL keeps it for its completions table
    logged = list(zip(trainer._logs["completion"], trainer._logs["rewards"]["assay"]))
    last_completions, last_ids = recorder.calls[-1]
    assert len(logged) == len(last_completions)
    for (completion, reward), problem_id in zip(logged, last_ids):
        assert reward == assay.verify(by_id[problem_id], message_text(completion)).score
    # a non-trivial signal: the random policy sometimes hits the answer
    assert 0 < sum(all_scores) < len(all_scores)
    # and training happened: a finite loss at every step, and the policy's weights moved
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    assert len(losses) == 3 and all(math.isfinite(loss) for loss in losses), losses
    changed = [name for name, weight in trainer.model.named_parameters() if not torch.equal(before[name], weight.detach())]
    assert changed, "no weight changed: the optimizer never stepped on Assay's rewards"
