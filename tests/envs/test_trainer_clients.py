"""The trainers' own code against Assay, as a user wiring Assay in runs it: verl 0.9.1 and OpenRLHF 0.11.2.

verl: ``assay generate --format verl`` (the command of docs/trainers.md) read by verl's ``RLHFDataset``
with the tiny local tokenizer of examples/trl_grpo.py; the docs' ``reward.custom_reward_function.path``
/ ``.name`` composed by verl's own Hydra config; the reward function loaded by file path, as
``pkg://assay.envs.verl`` and from examples/verl/reward.py; verl's naive and dapo reward managers, the
legacy batch manager with ``compute_score_batch``, and verl's Ray reward loop (``RewardLoopManager``
with the ``remote`` manager, whose Ray workers score) on a ``DataProto`` batch built with the tokenizer.
OpenRLHF: the docs' flags parsed by ``train_ppo_ray``'s own parser, its ``PromptDataset`` on the same
parquet, and its ``SingleTurnAgentExecutor`` driven by a fake generation engine against ``assay serve``
(started here on a free port) and against the Python reward files. Every reward must equal Assay's own
verdict on reference, altered and unanswered responses and on a bare-answer label.

They run in the trainer-client venv: ``bash scripts/test-trainers.sh`` builds it (verl's and
OpenRLHF's pins clash with the main venv's) and runs this module with its interpreter. Elsewhere the
module skips, saying so; with ``ASSAY_REQUIRE_CLIENTS=1`` (the script sets it; CI runs the script) a
missing client fails instead. No download: the data, tokenizer and server are made here.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import datetime
import importlib.util
import inspect
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

try:
    import openrlhf  # noqa: F401
    import verl  # noqa: F401
except ImportError as error:
    if os.environ.get("ASSAY_REQUIRE_CLIENTS"):
        raise
    pytest.skip(f"the trainer clients are not installed in this interpreter ({error}): "
                "`bash scripts/test-trainers.sh` builds their venv and runs these", allow_module_level=True)

import numpy as np
import pyarrow.parquet as pq
import torch

import assay
from assay.datasets import build_corpus, write_corpus
from assay.envs.asgi import RewardServer
from assay.envs.problems import LABEL_HINT
from assay.envs.server import ServerLimits
from assay.envs.verl import SCORE_KEYS

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "trainers.md").read_text(encoding="utf-8")
NO_ANSWER = "no idea"


def doc_commands(heading: str) -> list[str]:
    """The commands of the first bash block under ``## heading`` in docs/trainers.md: continuation
    lines joined, comments and the ``...`` placeholder line dropped."""
    section = DOCS.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    lines = [re.sub(r"\s+#.*$", "", line) for line in block.splitlines() if not line.strip().startswith("...")]
    commands = [line.strip() for line in "\n".join([*lines, ""]).replace("\\\n", " ").splitlines()]
    return [command for command in commands if command]


def shell(command: str, cwd: Path) -> str:
    """Run a docs command in bash, ``python`` being this interpreter and ``assay`` its ``python -m assay``."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", f'assay() {{ python -m assay "$@"; }}\n{command}'], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
    return done.stdout


def words(command: str, cwd: Path) -> list[str]:
    """The words of ``command`` as bash expands them (its ``$(python -c ...)`` substitutions run)."""
    return shell(f'printf "%s\\0" {command}', cwd).split("\0")[:-1]


def generate_command(heading: str) -> str:
    """The section's ``assay generate`` command with a small ``--n`` (the rest as written)."""
    (command,) = [c for c in doc_commands(heading) if c.startswith("assay generate")]
    return re.sub(r"--n \d+", "--n 6", command)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The docs' verl data (math/arithmetic) and a graph task's, written by ``assay generate``; each row
    with its problem and the responses to score; the tiny tokenizer, its vocabulary holding each
    chat-templated prompt and each response whole, so text survives encode and decode exactly."""
    work = tmp_path_factory.mktemp("trainer-clients")
    command = generate_command("verl 0.9.x")
    shell(command, work)
    graph = next(t for t in assay.list_tasks() if t.startswith("graph/"))
    # (in process: `assay generate` does the same, and each interpreter started costs seconds)
    write_corpus(build_corpus([graph], n=3, seed=1, test_size=0.0, executor="inline"), work / "data" / "graph", "verl", cards=False)
    out = work / command.split("--out ", 1)[1].split()[0]
    files = [str(out / "train.parquet"), str(out / "test.parquet"), str(work / "data" / "graph" / "train.parquet")]
    rows = [row for file in files for row in pq.read_table(file).to_pylist()]
    assert {row["data_source"] for row in rows} == {"math/arithmetic", graph}

    spec = importlib.util.spec_from_file_location("trl_grpo_example", ROOT / "examples" / "trl_grpo.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    tokenizer = example.tiny_tokenizer()
    problems = [assay.Problem.from_row(row["reward_model"]["ground_truth"]) for row in rows]
    responses = [[f"<answer>{p.answer}</answer>", f"<answer>{p.answer}9</answer>", NO_ANSWER] for p in problems]
    prompts = [tokenizer.apply_chat_template(list(row["prompt"]), tokenize=False, add_generation_prompt=True) for row in rows]
    tokenizer.add_tokens(sorted({*prompts, *(r for rs in responses for r in rs)}))
    for text in [*prompts, *responses[0]]:
        assert tokenizer.decode(tokenizer(text, add_special_tokens=False)["input_ids"]) == text
    tokenizer_dir = work / "tokenizer"
    tokenizer.save_pretrained(tokenizer_dir)  # verl's Ray reward workers load it by path
    return {"work": work, "files": files, "rows": rows, "problems": problems, "responses": responses,
            "tokenizer": tokenizer, "tokenizer_dir": tokenizer_dir}


def expected_cases(data: dict[str, Any]) -> Iterator[tuple[int, str, bool, float]]:
    """(row index, response, bare-answer label?, Assay's own score) for every item the clients score:
    each row with each of its responses, then the first row labelled with its bare answer (scores 0)."""
    for index, (problem, responses) in enumerate(zip(data["problems"], data["responses"])):
        for response in responses:
            yield index, response, False, assay.verify(problem, response).score
    yield 0, data["responses"][0][0], True, 0.0


def test_expected_scores_mix_right_and_wrong(data) -> None:
    scores = [score for *_, score in expected_cases(data)]
    assert 0.0 in scores and 1.0 in scores and len(scores) == 3 * len(data["rows"]) + 1


# ---------------------------------------------------------------------------------------------- verl


@pytest.fixture(scope="module")
def verl_config(data):
    """verl's own PPO config, composed by Hydra with the docs' overrides (data files, reward function)
    plus the tokenizer path and two reward workers."""
    from hydra import compose, initialize_config_module

    (train,) = [c for c in doc_commands("verl 0.9.x") if "verl.trainer.main_ppo" in c]
    overrides = [w for w in words(train, data["work"])[3:]]  # after `python3 -m verl.trainer.main_ppo`
    assert any(w.startswith("reward.custom_reward_function.path=") for w in overrides)
    assert "reward.custom_reward_function.name=compute_score" in overrides
    overrides += [f"actor_rollout_ref.model.path={data['tokenizer_dir']}", "reward.num_workers=1"]
    with initialize_config_module(config_module="verl.trainer.config", version_base=None):
        return compose(config_name="ppo_trainer", overrides=overrides)


def test_rlhf_dataset_reads_assay_parquet(data, verl_config) -> None:
    from verl.utils.dataset.rl_dataset import RLHFDataset

    dataset = RLHFDataset(data_files=data["files"], tokenizer=data["tokenizer"], config=verl_config.data)
    assert len(dataset) == len(data["rows"])
    for item, row, problem in zip((dataset[i] for i in range(len(dataset))), data["rows"], data["problems"]):
        assert item["data_source"] == problem.task
        assert [dict(m) for m in item["raw_prompt"]] == [{"role": "user", "content": problem.prompt}]
        assert assay.Problem.from_row(item["reward_model"]["ground_truth"]) == problem
        assert item["extra_info"]["id"] == problem.id == row["extra_info"]["id"]


def objects(values: list[Any]) -> np.ndarray:
    """A 1-D object array (np.array would turn equal-length lists into a 2-D one)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def verl_batch(data: dict[str, Any]):
    """A ``DataProto`` as verl's rollout leaves it for the reward: left-padded prompts, right-padded
    responses, the attention mask over both, and each row's non-tensor fields (a fresh copy)."""
    from verl import DataProto

    tokenizer, rows, cases = data["tokenizer"], data["rows"], list(expected_cases(data))
    prompt_ids, response_ids, non_tensor = [], [], []
    for index, response, bare, _ in cases:
        row = copy.deepcopy(rows[index])
        if bare:
            row["reward_model"]["ground_truth"] = data["problems"][index].answer
        text = tokenizer.apply_chat_template(row["prompt"], tokenize=False, add_generation_prompt=True)
        prompt_ids.append(tokenizer(text, add_special_tokens=False)["input_ids"])
        response_ids.append(tokenizer(response, add_special_tokens=False)["input_ids"])
        non_tensor.append(row)
    pad, width_p, width_r = tokenizer.pad_token_id, max(map(len, prompt_ids)), max(map(len, response_ids)) + 2
    prompts = torch.tensor([[pad] * (width_p - len(p)) + p for p in prompt_ids])
    responses = torch.tensor([r + [pad] * (width_r - len(r)) for r in response_ids])
    mask = torch.tensor([[0] * (width_p - len(p)) + [1] * (len(p) + len(r)) + [0] * (width_r - len(r))
                         for p, r in zip(prompt_ids, response_ids)])
    tensors = {"prompts": prompts, "responses": responses, "input_ids": torch.cat([prompts, responses], 1), "attention_mask": mask}
    fields = {key: objects([row[key] for row in non_tensor]) for key in ("data_source", "reward_model", "extra_info")}
    fields["raw_prompt"] = objects([row["prompt"] for row in non_tensor])
    return DataProto.from_dict(tensors=tensors, non_tensors=fields), cases


def rewards_of(tensor: torch.Tensor, batch) -> list[float]:
    """Per-item rewards from a token-level reward tensor, checking each sits on the last response token."""
    lengths = batch.batch["attention_mask"][:, batch.batch["prompts"].shape[1]:].sum(-1)
    nonzero = [set(row.nonzero().flatten().tolist()) for row in tensor]
    assert all(found <= {int(length) - 1} for found, length in zip(nonzero, lengths))
    return tensor.sum(-1).tolist()


REWARD_PATHS = {
    "docs": None,  # the docs' $(python -c 'import assay.envs.verl as m; print(m.__file__)')
    "pkg": "pkg://assay.envs.verl",
    "example": str(ROOT / "examples" / "verl" / "reward.py"),
}


@pytest.mark.parametrize("manager", ["naive", "dapo"])
@pytest.mark.parametrize("source", sorted(REWARD_PATHS))
def test_verl_reward_managers_pay_assay_verdicts(data, verl_config, source: str, manager: str) -> None:
    from verl.trainer.ppo.reward import load_reward_manager

    config = copy.deepcopy(verl_config)
    if REWARD_PATHS[source]:
        config.reward.custom_reward_function.path = REWARD_PATHS[source]
    config.reward.reward_manager.name = manager
    scorer = load_reward_manager(config, data["tokenizer"])
    assert type(scorer).__name__ == {"naive": "NaiveRewardManager", "dapo": "DAPORewardManager"}[manager]
    batch, cases = verl_batch(data)

    async def score_all() -> list[dict[str, Any]]:  # as verl's RewardLoopWorker does: one item per run_single
        return await asyncio.gather(*(scorer.run_single(batch[i:i + 1]) for i in range(len(batch))))

    results = scorer.loop.run_until_complete(score_all())
    assert [r["reward_score"] for r in results] == [score for *_, score in cases]
    assert all(set(r["reward_extra_info"]) == set(SCORE_KEYS) for r in results)
    assert [r["reward_extra_info"]["error"] for r in results] == [float(bare) for _, _, bare, _ in cases]
    rm_scores = type(scorer).assemble_rm_scores(batch, [r["reward_score"] for r in results])
    assert rewards_of(rm_scores, batch) == [score for *_, score in cases]


def test_verl_batch_manager_with_compute_score_batch(data, verl_config) -> None:
    # verl's BatchRewardManager (the reward_model.reward_manager=batch of verl before 0.9) with the batch function
    from verl.trainer.ppo.reward import get_custom_reward_fn
    from verl.workers.reward_manager import BatchRewardManager

    config = copy.deepcopy(verl_config)
    config.reward.custom_reward_function.name = "compute_score_batch"
    scorer = BatchRewardManager(tokenizer=data["tokenizer"], num_examine=0, compute_score=get_custom_reward_fn(config))
    batch, cases = verl_batch(data)
    out = scorer(batch, return_dict=True)
    assert rewards_of(out["reward_tensor"], batch) == [score for *_, score in cases]
    assert out["reward_extra_info"]["error"] == [float(bare) for _, _, bare, _ in cases]


def test_verl_ray_reward_loop_with_remote_workers(data, verl_config) -> None:
    # verl's trainer scores through RewardLoopManager: Ray actors (RewardLoopWorker) each loading the
    # reward function from the config; the `remote` manager sends each item to a further Ray worker
    import ray
    from omegaconf import open_dict
    from verl.experimental.reward_loop import RewardLoopManager

    config = copy.deepcopy(verl_config)
    config.reward.custom_reward_function.path = REWARD_PATHS["pkg"]
    config.reward.reward_manager.name = "remote"
    with open_dict(config):  # +reward.custom_reward_function.reward_kwargs.workers=2: Assay's pool in the Ray worker
        config.reward.custom_reward_function.reward_kwargs = {"workers": 2}
    batch, cases = verl_batch(data)
    assert os.environ["HF_HUB_OFFLINE"] == "1"  # (tests/conftest.py) the Ray workers inherit it: no download
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        out = RewardLoopManager(config).compute_rm_score(batch)
    finally:
        ray.shutdown()
    assert rewards_of(out.batch["rm_scores"], batch) == [score for *_, score in cases]
    assert set(out.meta_info["reward_extra_keys"]) == set(SCORE_KEYS)
    assert out.non_tensor_batch["error"].tolist() == [float(bare) for _, _, bare, _ in cases]


def test_verl_example_config_keys_are_the_ones_verl_reads(data, verl_config) -> None:
    from omegaconf import OmegaConf
    from verl.experimental.reward_loop.reward_manager import get_reward_manager_cls
    from verl.trainer.ppo.reward import get_custom_reward_fn

    # verl 0.9's main_ppo reads the `reward` group only: the legacy top-level custom_reward_function and
    # reward_model.reward_manager are carried over by the fully-async entry point alone (its migrate step)
    main_ppo = Path(importlib.util.find_spec("verl.trainer.main_ppo").origin).read_text(encoding="utf-8")
    assert "migrate_legacy_reward_impl" not in main_ppo
    example = OmegaConf.load(ROOT / "examples" / "verl" / "reward_config.yaml")
    assert set(example) == {"reward"}, "the example sets keys verl 0.9's main_ppo ignores"
    # its manager is in verl 0.9's reward loop (which has no `batch` manager: the docs say so)
    assert get_reward_manager_cls(example.reward.reward_manager.name).__name__ == "NaiveRewardManager"
    with pytest.raises(ValueError, match="Unknown reward manager"):
        get_reward_manager_cls("batch")
    # merged into verl's config, its function loads and its reward_kwargs reach each call
    config = copy.deepcopy(verl_config)
    OmegaConf.set_struct(config, False)
    config.reward = OmegaConf.merge(config.reward, example.reward)
    assert config.reward.custom_reward_function.path == "examples/verl/reward.py"
    config.reward.custom_reward_function.path = str(ROOT / config.reward.custom_reward_function.path)
    score = get_custom_reward_fn(config)
    assert score.args[1] == {"timeout_s": 30}
    problem = data["problems"][0]
    assert score(data_source=problem.task, solution_str=f"<answer>{problem.answer}</answer>",
                 ground_truth=json.dumps(problem.to_row()), extra_info={})["score"] == 1.0


# ------------------------------------------------------------------------------------------ OpenRLHF


def openrlhf_args(argv: list[str]) -> SimpleNamespace:
    """``argv`` parsed by ``openrlhf.cli.train_ppo_ray``'s own parser (its ``__main__`` block, up to
    ``parse_args``: the module itself imports vLLM and DeepSpeed) and nested as that block does."""
    from openrlhf.utils.config import hierarchize

    source = Path(importlib.util.find_spec("openrlhf.cli.train_ppo_ray").origin).read_text(encoding="utf-8")
    block = source.split('if __name__ == "__main__":\n', 1)[1].split("    args = parser.parse_args()", 1)[0]
    scope: dict[str, Any] = {"argparse": argparse, "datetime": datetime.datetime}
    exec(compile("\n".join(line[4:] for line in block.splitlines()), "train_ppo_ray.py", "exec"), scope)  # noqa: S102 - OpenRLHF's own code
    args = hierarchize(scope["parser"].parse_args(argv))
    if args.reward.remote_url:  # as train_ppo_ray does next
        args.reward.remote_url = args.reward.remote_url.split(",")
    return args


class FakeEngine:
    """The generation engine OpenRLHF's executor awaits (vLLM's ``generate``), answering ``response``."""

    def __init__(self, tokenizer: Any, response: str) -> None:
        self.tokenizer, self.response = tokenizer, response

    async def generate(self, prompt_token_ids: list[int], sampling_params: Any, multi_modal_data: Any = None) -> Any:
        ids = self.tokenizer(self.response, add_special_tokens=False)["input_ids"]
        return SimpleNamespace(outputs=[SimpleNamespace(token_ids=ids, finish_reason="stop", logprobs=None)])


def openrlhf_rollout(data: dict[str, Any], remote_url: str) -> tuple[list[dict[str, Any]], list[tuple[int, str, bool, float]]]:
    """The docs' OpenRLHF command (its flags, ``remote_url`` for the reward) on the docs' data: the
    prompts and labels of OpenRLHF's ``PromptDataset``, one executor call per item of ``expected_cases``."""
    from openrlhf.datasets import PromptDataset
    from openrlhf.datasets.utils import blending_datasets
    from openrlhf.utils.agent import SingleTurnAgentExecutor

    (train,) = [c for c in doc_commands("OpenRLHF 0.11") if "openrlhf.cli.train_ppo_ray" in c]
    argv = words(train, data["work"])[3:]  # after `python3 -m openrlhf.cli.train_ppo_ray`
    for flag in ("--data.input_key", "--data.apply_chat_template", "--data.label_key", "--reward.remote_url"):
        assert flag in argv, flag
    argv[argv.index("--reward.remote_url") + 1] = remote_url
    at = argv.index("--data.prompt_dataset") + 1
    assert data["work"] / argv[at] == Path(data["files"][0])  # the docs' data; the test file and a graph task's too
    argv[at] = ",".join(data["files"])
    args = openrlhf_args(argv)
    assert (args.data.input_key, args.data.label_key, args.data.apply_chat_template) == ("prompt", "reward_model", True)
    strategy = SimpleNamespace(args=args, print=lambda *a, **k: None, is_rank_0=lambda: True)
    # as openrlhf.trainer.ppo_trainer.prepare_datasets does (it imports DeepSpeed)
    train_data = blending_datasets(args.data.prompt_dataset, args.data.prompt_probs, strategy, args.train.seed,
                                   max_count=args.data.max_samples, dataset_split=args.data.prompt_split)
    dataset = PromptDataset(train_data, data["tokenizer"], strategy, input_template=args.data.input_template)
    assert len(dataset) == len(data["rows"])
    executor = SingleTurnAgentExecutor(args.reward.remote_url)
    cases = list(expected_cases(data))
    params = SimpleNamespace(max_tokens=None, logprobs=None)

    async def rollout() -> list[dict[str, Any]]:
        calls = []
        for index, response, bare, _ in cases:
            _, prompt, label, _ = dataset[index]
            assert label == data["rows"][index]["reward_model"]
            if bare:
                label = data["problems"][index].answer
            calls.append(executor.execute(prompt, label, params, 1024, data["tokenizer"], FakeEngine(data["tokenizer"], response)))
        return await asyncio.gather(*calls)

    return asyncio.run(rollout()), cases


def reward_values(value: Any) -> list[float]:
    return [float(x) for x in (value.tolist() if isinstance(value, torch.Tensor) else value)]


def check_openrlhf_outputs(outputs: list[dict[str, Any]], cases: list[tuple[int, str, bool, float]], data) -> None:
    assert [reward_values(o["reward"]) for o in outputs] == [[score] for *_, score in cases]
    assert [reward_values(o["extra_logs"]["invalid_problem"]) for o in outputs] == [[float(bare)] for _, _, bare, _ in cases]
    assert [o["observation_tokens"][-1] for o in outputs] == [data["tokenizer"].convert_tokens_to_ids(r) for _, r, _, _ in cases]


@pytest.fixture(scope="module")
def reward_server() -> Iterator[RewardServer]:
    server = RewardServer(port=0, workers=2, limits=ServerLimits(request_timeout_s=60.0)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/get_reward", ""])
def test_openrlhf_executor_against_assay_serve(data, reward_server, path: str) -> None:
    # the docs' URL (http://HOST:8000/get_reward) and the bare one, which must work too
    outputs, cases = openrlhf_rollout(data, reward_server.url + path)
    check_openrlhf_outputs(outputs, cases, data)


@pytest.mark.parametrize("reward_file", ["examples/openrlhf/reward_func.py", "docs"])
def test_openrlhf_executor_python_mode(data, reward_file: str, caplog: pytest.LogCaptureFixture) -> None:
    if reward_file == "docs":  # --reward.remote_url $(python -c 'import assay.envs.openrlhf as m; print(m.__file__)')
        (flag,) = re.findall(r"`(--reward\.remote_url \$\(python -c [^`]+)`", DOCS)
        reward_file = words(flag, data["work"])[1]
        assert reward_file.endswith("openrlhf.py")
    with caplog.at_level(logging.WARNING, logger="assay"):
        outputs, cases = openrlhf_rollout(data, str(ROOT / reward_file))
    check_openrlhf_outputs(outputs, cases, data)
    # the bare-answer label: one warning (OpenRLHF calls once per item), saying what a label must hold
    (warning,) = [r.getMessage() for r in caplog.records if "no readable problem" in r.getMessage()]
    assert LABEL_HINT in warning


def test_assay_serve_answers_before_openrlhf_gives_up() -> None:
    # OpenRLHF re-sends a request after its client timeout: the server's default bound must be below it
    from openrlhf.utils.agent import SingleTurnAgentExecutor

    (client_s,) = re.findall(r"ClientTimeout\(total=(\d+)\)", inspect.getsource(SingleTurnAgentExecutor._fetch_rewards_via_http))
    assert ServerLimits().request_timeout_s < float(client_s)
    assert f"aiohttp.ClientTimeout(total={client_s})" in DOCS and f"OpenRLHF's {client_s} s" in DOCS
