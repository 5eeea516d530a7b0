"""Every script in examples/ runs end to end as a subprocess; the files a trainer loads (verl's
reward file and interaction config, OpenRLHF's reward_func) are loaded and called the way that
trainer does, on the data the example scripts wrote."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pyarrow.parquet as pq
import pytest
import yaml

import assay

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run_example(script: str, *args: str, timeout_s: float = 300) -> list[dict]:
    """Run ``examples/<script>`` from the repository root; the JSON lines it printed."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RAY_AUTH_MODE": "disabled"}
    out = subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=timeout_s)
    assert out.returncode == 0, f"{script} exited {out.returncode}:\n{out.stderr[-3000:]}"
    lines = []
    for line in out.stdout.splitlines():  # trainers print their own logs (Python dicts) among the script's JSON
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    assert lines, f"{script} printed no JSON:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    return lines


def load_by_path(path: Path, name: str) -> ModuleType:
    """What verl (``custom_reward_function.path``) and OpenRLHF (a ``.py`` remote_url) do with a file."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer_of(ground_truth: str) -> str:
    return json.loads(ground_truth)["answer"]


def test_every_script_in_examples_is_run_by_a_test_here() -> None:
    scripts = sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*.py"))
    source = Path(__file__).read_text()
    untested = [s for s in scripts if s not in source and s != "terminal_agents.py"]  # run by tests/envs/test_terminal.py
    assert not untested, untested


@pytest.mark.slow
def test_trl_grpo_trains_three_steps() -> None:
    (summary,) = run_example("trl_grpo.py", "--steps", "3", timeout_s=900)
    assert summary["steps"] == 3 and len(summary["reward"]) == 3 and len(summary["loss"]) == 3
    assert summary["finite_loss"] and summary["weights_moved"]
    assert all(0.0 <= r <= 1.0 for r in summary["reward"])


def test_verl_data_prep_and_the_reward_file_verl_loads_by_path(tmp_path) -> None:
    (written,) = run_example("verl/prepare_data.py", "--out", str(tmp_path / "data"), "--n", "12", "--test-size", "0.25")
    assert written["rows"] == {"test": 3, "train": 9}
    rows = pq.read_table(tmp_path / "data" / "train.parquet").to_pylist()
    assert {r["data_source"] for r in rows} == {"math/arithmetic", "graph/shortest_path"}
    config = yaml.safe_load((EXAMPLES / "verl" / "reward_config.yaml").read_text())["reward"]["custom_reward_function"]
    assert config["path"] == "examples/verl/reward.py"  # relative to where verl is started: the repository root
    module = load_by_path(ROOT / config["path"], "custom_module")
    compute_score = getattr(module, config["name"])
    kwargs = config.get("reward_kwargs", {})
    # verl's naive manager: keyword arguments, one response at a time
    right = [compute_score(data_source=r["data_source"], solution_str=f"<answer>{answer_of(r['reward_model']['ground_truth'])}</answer>",
                           ground_truth=r["reward_model"]["ground_truth"], extra_info=r["extra_info"], **kwargs) for r in rows]
    wrong = [compute_score(data_source=r["data_source"], solution_str="I give up.", ground_truth=r["reward_model"]["ground_truth"],
                           extra_info=r["extra_info"], **kwargs) for r in rows]
    assert all(d["score"] == 1.0 and d["acc"] == 1.0 for d in right)
    assert all(d["score"] == 0.0 and d["no_answer"] == 1.0 for d in wrong)
    assert len({tuple(d) for d in right + wrong}) == 1  # the same keys every call, or verl fails
    # verl's batch manager: lists in, a list out
    batch = module.compute_score_batch(data_sources=[r["data_source"] for r in rows],
                                       solution_strs=["I give up." if i % 2 else f"<answer>{answer_of(r['reward_model']['ground_truth'])}</answer>"
                                                      for i, r in enumerate(rows)],
                                       ground_truths=[r["reward_model"]["ground_truth"] for r in rows],
                                       extra_infos=[r["extra_info"] for r in rows])
    assert [d["score"] for d in batch] == [0.0 if i % 2 else 1.0 for i in range(len(rows))]


def test_verl_multi_turn_rows_drive_the_interaction_named_in_the_config(tmp_path) -> None:
    run_example("verl/prepare_data.py", "--out", str(tmp_path), "--n", "4", "--test-size", "0", "--multi-turn")
    rows = pq.read_table(tmp_path / "train.parquet").to_pylist()
    config = yaml.safe_load((EXAMPLES / "verl" / "interaction_config.yaml").read_text())["interaction"]
    by_name = {}
    for entry in config:  # what verl's interaction registry does with the YAML
        module, _, cls = entry["class_name"].rpartition(".")
        by_name[entry["name"]] = getattr(importlib.import_module(module), cls)({**entry["config"], "name": entry["name"]})

    async def episode(index: int, row: dict) -> tuple:
        kwargs = row["extra_info"]["interaction_kwargs"]
        agent = by_name[kwargs["name"]]
        instance = await agent.start_interaction(f"request-{index}", **kwargs)
        answer = answer_of(kwargs["ground_truth"])
        first = await agent.generate_response(instance, [*row["prompt"], {"role": "assistant", "content": "hmm"}])
        second = await agent.generate_response(instance, [*row["prompt"], {"role": "assistant", "content": "hmm"},
                                                          {"role": "user", "content": first[1]},
                                                          {"role": "assistant", "content": f"<answer>{answer}</answer>"}])
        score = await agent.calculate_score(instance)
        await agent.finalize_interaction(instance)
        return first, second, score

    async def all_of_them() -> list:
        return await asyncio.gather(*(episode(i, r) for i, r in enumerate(rows)))

    results = asyncio.run(all_of_them())
    assert len(results) == 4
    for first, second, score in results:
        assert first[0] is False and first[1] == assay.envs.TRY_AGAIN and first[2] == 0.0
        assert second[:3] == (True, "", 1.0) and score == 1.0


def test_openrlhf_serve_and_post_gets_the_reward_of_a_right_answer() -> None:
    (reply,) = run_example("openrlhf/serve_and_post.py", "--task", "graph/shortest_path", timeout_s=180)
    assert reply["task"] == "graph/shortest_path"
    assert reply["rewards"] == [1.0] and reply["scores"] == [1.0] and reply["extra_logs"]["passed"] == [1.0]


def test_openrlhf_reward_func_file_called_as_openrlhf_calls_it() -> None:
    module = load_by_path(EXAMPLES / "openrlhf/reward_func.py", "reward_func")
    problems = assay.generate("math/arithmetic", 3, seed=2)
    responses = [f"<answer>{problems[0].answer}</answer>", "no idea", f"\\boxed{{{problems[2].answer}}}"]
    out = module.reward_func(queries=[p.prompt + r for p, r in zip(problems, responses)], prompts=[p.prompt for p in problems],
                             labels=[json.dumps(p.to_row()) for p in problems])
    assert out["rewards"].tolist() == [1.0, 0.0, 1.0] and out["scores"].tolist() == [1.0, 0.0, 1.0]
    assert out["extra_logs"]["no_answer"].tolist() == [0.0, 1.0, 0.0]


def test_gymnasium_loop_retries_then_passes() -> None:
    episodes = run_example("gym_loop.py", "--env", "assay/graph-shortest_path-v1", "--episodes", "2", "--difficulty", "1")
    assert len(episodes) == 2
    for episode in episodes:
        assert episode["task"] == "graph/shortest_path"
        assert episode["rewards"] == [0.0, 1.0] and episode["reasons"][-1] == "correct"


@pytest.mark.slow
def test_ray_batch_scores_on_a_local_ray_instance() -> None:
    (summary,) = run_example("ray_batch.py", "--n", "3", "--num-cpus", "1", timeout_s=600)
    assert summary["items"] == 6 and summary["pass_rate"] == 0.5
    assert summary["scores"] == [1.0, 0.0] * 3
