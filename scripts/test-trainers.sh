#!/usr/bin/env bash
# The trainers' own client code against Assay: builds a second venv (.venv-clients, never the main
# one) with verl 0.9.1 and OpenRLHF 0.11.2 (--no-deps: it pins flash-attn, deepspeed and vllm) plus
# what their reward paths import, then runs tests/envs/test_trainer_clients.py, which drives them.
# Usage: bash scripts/test-trainers.sh   (from the repository root; PYTHON=the main venv's python)
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
CLIENTS=${ASSAY_CLIENTS_VENV:-.venv-clients}
if [ ! -x "$CLIENTS/bin/python" ]; then
    "$PYTHON" -m venv --system-site-packages "$CLIENTS"
    # the main venv's packages (torch, transformers, assay's own dependencies) are visible to it
    site=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$site" > "$("$CLIENTS/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/_main_venv.pth"
fi
"$CLIENTS/bin/python" -m pip install -q --no-deps verl==0.9.1 openrlhf==0.11.2
"$CLIENTS/bin/python" -m pip install -q tensordict omegaconf hydra-core codetiming pylatexenc aiohttp
"$CLIENTS/bin/python" -m pip install -q --no-deps -e .
ASSAY_CLIENTS_PYTHON="$CLIENTS/bin/python" ASSAY_REQUIRE_CLIENTS=1 "$PYTHON" -m pytest -q -p no:cacheprovider tests/envs/test_trainer_clients.py
