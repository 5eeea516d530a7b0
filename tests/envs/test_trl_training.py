"""A real GRPO run: TRL's GRPOTrainer, a tiny random model and tokenizer built here, Assay's rewards.

No download: the tokenizer's vocabulary holds whole answer blocks, so a random model's samples
earn a mix of correct and wrong verdicts, and the test checks the rewards TRL logged are Assay's, the loss is finite and the weights moved.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest

import assay
from assay.envs.problems import message_text

# Not importorskip: CI installs assay[dev], and a missing trainer must fail the run, not hide.
import torch  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast  # noqa: E402
from trl import GRPOConfig, GRPOTrainer  # noqa: E402

from assay.envs.trl import reward_function, to_dataset  # noqa: E402

ANSWER_TOKENS = [f"<answer>{digit}</answer>" for digit in range(10)]


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    vocab = {"[PAD]": 0, "[EOS]": 1, "[UNK]": 2}
    for token in ANSWER_TOKENS + ["the", "answer", "is"]:
        vocab[token] = len(vocab)
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    backend.decoder = decoders.Fuse()  # decoded tokens join without spaces: "<answer>7</answer>is"
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, pad_token="[PAD]", eos_token="[EOS]", unk_token="[UNK]")
    tokenizer.add_tokens(ANSWER_TOKENS)  # matched whole in prompts too
    tokenizer.chat_template = "{% for message in messages %}{{ message['content'] }} {% endfor %}"
    return tokenizer


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
    problems = [p for p in assay.generate("math/arithmetic", 400, seed=0, difficulty=1) if p.answer in "0123456789"][:8]
    assert len(problems) == 8
    by_id = {p.id: p for p in problems}
    dataset = to_dataset(problems, conversational=True)
    tokenizer = tiny_tokenizer()
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        num_key_value_heads=1, max_position_embeddings=512, pad_token_id=0, eos_token_id=1, bos_token_id=None,
    ))
    args = GRPOConfig(
        output_dir=str(tmp_path), per_device_train_batch_size=8, num_generations=4, max_completion_length=6,
        max_steps=3, logging_steps=1, report_to="none", use_cpu=True, save_strategy="no", learning_rate=1e-3,
        seed=0, reward_weights=[1.0, 0.0],
    )
    before = {name: weight.detach().clone() for name, weight in model.named_parameters()}
    recorder = Recorder()
    trainer = GRPOTrainer(model=model, reward_funcs=[reward_function(workers=1), recorder], args=args,
                          train_dataset=dataset, processing_class=tokenizer)
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
