"""TRL GRPO on Assay rewards: a real ``GRPOTrainer`` run on a tiny local model, 3 steps on the CPU.

Run: python examples/trl_grpo.py [--steps 3] [--out /tmp/grpo]    (needs assay[trl])

No download: the tokenizer and the model are built here. The tokenizer's vocabulary holds whole
answer blocks (``<answer>7</answer>``), so even a random model's samples earn a mix of right and
wrong verdicts. For a real run, swap ``tiny_model``/``tiny_tokenizer`` for
``AutoModelForCausalLM.from_pretrained(...)`` and its tokenizer, and generate a bigger dataset;
the reward function and dataset lines stay as they are:

    dataset = to_dataset(assay.generate("math/arithmetic", 1000), conversational=True)
    GRPOTrainer(model=..., reward_funcs=[reward_function()], args=GRPOConfig(...), train_dataset=dataset)

The script prints one JSON line: the reward TRL logged at each step, the losses, and whether the
weights moved.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from typing import TYPE_CHECKING, Any

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

import assay
from assay.envs.trl import reward_function, to_dataset

if TYPE_CHECKING:
    from trl import GRPOTrainer

ANSWER_TOKENS = [f"<answer>{digit}</answer>" for digit in range(10)]


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    """A word-level tokenizer whose vocabulary holds the ten one-digit answer blocks."""
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


def tiny_model(tokenizer: PreTrainedTokenizerFast, seed: int = 0) -> LlamaForCausalLM:
    """A one-layer random Llama sized to the tokenizer."""
    torch.manual_seed(seed)
    return LlamaForCausalLM(LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        num_key_value_heads=1, max_position_embeddings=512, pad_token_id=0, eos_token_id=1, bos_token_id=None,
    ))


def one_digit_problems(n: int = 8, seed: int = 0) -> list[assay.Problem]:
    """Arithmetic problems whose answer is one digit (so one answer token can be right)."""
    problems = [p for p in assay.generate("math/arithmetic", 400, seed=seed, difficulty=1) if p.answer in "0123456789"][:n]
    if len(problems) < n:
        raise SystemExit(f"only {len(problems)} one-digit problems")
    return problems


def build_trainer(output_dir: str, *, steps: int = 3, extra_rewards: list[Any] | None = None,
                  problems: list[assay.Problem] | None = None) -> GRPOTrainer:
    """The trainer: Assay's reward (weight 1) and any ``extra_rewards`` (weight 0, e.g. recorders)."""
    from trl import GRPOConfig, GRPOTrainer  # here: the tiny tokenizer and model serve without TRL (the verl tests)

    problems = problems or one_digit_problems()
    tokenizer = tiny_tokenizer()
    model = tiny_model(tokenizer)
    extra = list(extra_rewards or [])
    args = GRPOConfig(
        output_dir=output_dir, per_device_train_batch_size=8, num_generations=4, max_completion_length=6,
        max_steps=steps, logging_steps=1, report_to="none", use_cpu=True, save_strategy="no", learning_rate=1e-3,
        seed=0, reward_weights=[1.0] + [0.0] * len(extra),
    )
    return GRPOTrainer(model=model, reward_funcs=[reward_function(workers=1), *extra], args=args,
                       train_dataset=to_dataset(problems, conversational=True), processing_class=tokenizer)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--out", default=None, help="trainer output folder (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="assay-grpo-") as scratch:
        trainer = build_trainer(args.out or scratch, steps=args.steps)
        before = {name: weight.detach().clone() for name, weight in trainer.model.named_parameters()}
        trainer.train()
        history = trainer.state.log_history
        summary = {
            "steps": trainer.state.global_step,
            "reward": [entry["rewards/assay/mean"] for entry in history if "rewards/assay/mean" in entry],
            "loss": [entry["loss"] for entry in history if "loss" in entry],
            "weights_moved": any(not torch.equal(before[n], w.detach()) for n, w in trainer.model.named_parameters()),
        }
    summary["finite_loss"] = all(math.isfinite(loss) for loss in summary["loss"])
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
