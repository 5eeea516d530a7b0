"""The verl adapter on rows that went through a real parquet round trip, and the OpenRLHF file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import assay
from assay.datasets import build_corpus, write_corpus
from assay.envs import verl
from assay.envs.verl import SCORE_KEYS, compute_score, compute_score_batch


@pytest.fixture(scope="module")
def verl_rows(tmp_path_factory) -> list[dict]:
    tasks = ["math/arithmetic"] + [t for t in assay.list_tasks() if t.startswith("graph/")][:2]
    folder = write_corpus(build_corpus(tasks, n=4, seed=5, test_size=0), tmp_path_factory.mktemp("verl"), "verl", cards=False)
    return pq.read_table(Path(folder) / "train.parquet").to_pylist()


def answer_of(row: dict) -> str:
    return json.loads(row["reward_model"]["ground_truth"])["answer"]


def test_rows_read_back_from_parquet_score_with_the_same_keys_every_call(verl_rows) -> None:
    assert isinstance(verl_rows[0]["reward_model"]["ground_truth"], str)  # JSON text, not numpy arrays
    results = []
    for index, row in enumerate(verl_rows):
        solution = f"<answer>{answer_of(row)}</answer>" if index % 2 == 0 else "I cannot say."
        result = compute_score(row["data_source"], solution, row["reward_model"]["ground_truth"], row["extra_info"])
        results.append(result)
        assert tuple(result) == SCORE_KEYS and all(isinstance(v, float) for v in result.values())
        if index % 2 == 0:
            assert result == {"score": 1.0, "acc": 1.0, "no_answer": 0.0, "timeout": 0.0, "error": 0.0}
        else:
            assert result["score"] == 0.0 and result["no_answer"] == 1.0
    assert len({r["data_source"] for r in verl_rows}) == 3


def test_rows_loaded_with_datasets_as_verl_does(verl_rows, tmp_path) -> None:
    import datasets

    folder = write_corpus(build_corpus(["math/arithmetic"], n=3, seed=1, test_size=0), tmp_path / "c", "verl", cards=False)
    dataset = datasets.load_dataset("parquet", data_files=str(Path(folder) / "train.parquet"), split="train")
    for row in dataset:
        assert compute_score(row["data_source"], f"\\boxed{{{answer_of(row)}}}", row["reward_model"]["ground_truth"])["acc"] == 1.0


def test_the_batch_variant_matches_the_single_one(verl_rows) -> None:
    solutions = [f"<answer>{answer_of(r)}</answer>" if i % 3 else "<answer>?</answer>" for i, r in enumerate(verl_rows)]
    batch = compute_score_batch(
        data_sources=[r["data_source"] for r in verl_rows], solution_strs=solutions,
        ground_truths=[r["reward_model"]["ground_truth"] for r in verl_rows],
        extra_infos=[r["extra_info"] for r in verl_rows], workers=2,
    )
    single = [compute_score(r["data_source"], s, r["reward_model"]["ground_truth"]) for r, s in zip(verl_rows, solutions)]
    assert batch == single and [b["acc"] for b in batch] == [0.0 if i % 3 == 0 else 1.0 for i in range(len(verl_rows))]


def test_a_bad_ground_truth_scores_zero_with_an_error_flag_instead_of_raising() -> None:
    result = compute_score("math/arithmetic", "<answer>1</answer>", "not a row")
    assert tuple(result) == SCORE_KEYS and result["score"] == 0.0 and result["error"] == 1.0
    unknown = json.loads(json.dumps(assay.generate("math/arithmetic", 1)[0].to_row()))
    unknown["task"] = "math/no_such_task"
    assert compute_score("x", "<answer>1</answer>", json.dumps(unknown))["error"] == 1.0


def test_verl_row_is_the_generate_layout() -> None:
    problem = assay.generate("math/arithmetic", 1)[0]
    row = verl.verl_row(problem, split="test", index=4)
    assert row["data_source"] == problem.task and row["extra_info"]["index"] == 4
    assert assay.envs.to_problem(row) == problem


def load_openrlhf_file():
    # OpenRLHF loads a reward file by path, not by module name
    path = Path(assay.envs.openrlhf.__file__)
    spec = importlib.util.spec_from_file_location("reward_file", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_openrlhf_python_mode_reward_func() -> None:
    import torch

    module = load_openrlhf_file()
    problems = assay.generate("math/arithmetic", 3, seed=2)
    responses = [f"<answer>{problems[0].answer}</answer>", "no", f"<answer>{problems[2].answer}</answer>"]
    out = module.reward_func(
        queries=[p.prompt + r for p, r in zip(problems, responses)],
        prompts=[p.prompt for p in problems],
        labels=[json.dumps(p.to_row()) for p in problems],
    )
    assert out["rewards"].dtype == torch.float32 and out["rewards"].tolist() == [1.0, 0.0, 1.0]
    assert out["scores"].tolist() == [1.0, 0.0, 1.0]
    assert out["extra_logs"]["no_answer"].tolist() == [0.0, 1.0, 0.0]
    # a query that does not start with its prompt is scored whole
    assert module.reward_func([responses[0]], ["other prompt"], [json.dumps(problems[0].to_row())])["rewards"].tolist() == [1.0]
