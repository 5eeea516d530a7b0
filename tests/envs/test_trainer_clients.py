"""The trainers' own code against Assay: verl 0.9.1's reward-function loader and OpenRLHF 0.11.2's
remote reward client (HTTP, against ``assay serve``) and Python-mode loader.

They run in a second venv (scripts/test-trainers.sh builds it: verl's and OpenRLHF's pins clash with
the main venv's), named by ``ASSAY_CLIENTS_PYTHON`` or found at ``.venv-clients``. Without it these
tests skip, saying so; with ``ASSAY_REQUIRE_CLIENTS=1`` (the script sets it) a missing venv fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import assay
from assay.envs.asgi import RewardServer
from assay.envs.server import ServerLimits

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = os.environ.get("ASSAY_CLIENTS_PYTHON") or str(ROOT / ".venv-clients" / "bin" / "python")

if not Path(CLIENTS).exists():
    if os.environ.get("ASSAY_REQUIRE_CLIENTS"):
        raise RuntimeError(f"ASSAY_REQUIRE_CLIENTS is set but there is no client venv at {CLIENTS}")
    pytest.skip(f"no trainer-client venv at {CLIENTS}: run scripts/test-trainers.sh to build it and run these",
                allow_module_level=True)


def run_client(code: str) -> object:
    """Run ``code`` in the client venv; it prints one JSON value last."""
    done = subprocess.run([CLIENTS, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def cases():
    """(label, response, expected reward) for a few tasks: right, altered, no answer, bare-answer label;
    expected is Assay's own verdict in this process (the clients must pass it through unchanged)."""
    out = []
    for index, task in enumerate(["math/arithmetic", *[t for t in assay.list_tasks() if t.startswith("graph/")][:1]]):
        for p in assay.generate(task, 2, seed=index):
            label = json.dumps(p.to_row())
            for response in (f"<answer>{p.answer}</answer>", f"<answer>{p.answer}9</answer>", "no idea"):
                out.append((label, response, assay.verify(p, response).score))
            out.append((p.answer, f"<answer>{p.answer}</answer>", 0.0))
    assert {expected for _, _, expected in out} == {0.0, 1.0}
    return out


def test_verl_loads_compute_score_from_reward_custom_reward_function(cases) -> None:
    # verl 0.9.x reads reward.custom_reward_function.path / .name (docs/trainers.md)
    code = f"""
import json
from omegaconf import OmegaConf
from verl.trainer.ppo.reward import get_custom_reward_fn
config = OmegaConf.create({{"reward": {{"custom_reward_function": {{"path": {str(ROOT / "envs" / "verl.py")!r},
                                                                   "name": "compute_score", "reward_kwargs": {{}}}}}}}})
score = get_custom_reward_fn(config)
cases = json.loads({json.dumps(cases)!r})
print(json.dumps([score(json.loads(label)["task"] if label.startswith("{{") else "x", response, label) for label, response, _ in cases]))
"""
    results = run_client(code)
    assert [r["score"] for r in results] == [expected for _, _, expected in cases]
    assert [r["error"] for r in results] == [0.0 if label.startswith("{") else 1.0 for label, _, _ in cases]


def test_openrlhf_http_client_against_assay_serve(cases) -> None:
    server = RewardServer(port=0, workers=2, limits=ServerLimits(request_timeout_s=60.0)).start()
    try:
        for url in (server.url + "/get_reward", server.url):  # a bare URL works too
            code = f"""
import asyncio, json
from openrlhf.utils.agent import SingleTurnAgentExecutor
cases = json.loads({json.dumps(cases)!r})
executor = SingleTurnAgentExecutor(remote_rm_url={url!r})
async def main():
    return await asyncio.gather(*(executor._fetch_rewards_via_http([r], [""], [l]) for l, r, _ in cases))
print(json.dumps([info[0] for info in asyncio.run(main())]))
"""
            replies = run_client(code)
            assert [r["rewards"] for r in replies] == [[expected] for _, _, expected in cases], url
            assert [r["extra_logs"]["invalid_problem"] for r in replies] == [[0.0 if label.startswith("{") else 1.0] for label, _, _ in cases]
    finally:
        server.stop()


def test_openrlhf_python_mode_loads_the_reward_file(cases) -> None:
    code = f"""
import asyncio, json
from openrlhf.utils.agent import SingleTurnAgentExecutor
cases = json.loads({json.dumps(cases)!r})
executor = SingleTurnAgentExecutor(remote_rm_url={str(ROOT / "envs" / "openrlhf.py")!r})
infos = asyncio.run(executor._fetch_rewards_via_func([r for _, r, _ in cases], [""] * len(cases), [l for l, _, _ in cases]))
print(json.dumps([[float(x) for x in info["rewards"]] for info in infos]))
"""
    assert run_client(code) == [[expected] for _, _, expected in cases]
