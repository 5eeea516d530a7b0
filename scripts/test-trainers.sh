#!/usr/bin/env bash
# The trainers' own client code against Assay: builds a second venv ($ASSAY_CLIENTS_VENV, default
# .venv-clients; never the main one) that sees the main venv's packages (torch, transformers, ray,
# assay itself) and adds verl 0.9.1 and OpenRLHF 0.11.2 with --no-deps (their pins clash with the
# main venv's and pull flash-attn, deepspeed, vllm), plus the few packages their reward and data
# paths import; then runs tests/envs/test_trainer_clients.py with that venv's interpreter.
# Usage: bash scripts/test-trainers.sh   (from the repository root; PYTHON=the main venv's python)
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
CLIENTS=${ASSAY_CLIENTS_VENV:-.venv-clients}
if [ ! -x "$CLIENTS/bin/python" ]; then
    "$PYTHON" -m venv --without-pip "$CLIENTS"
    # the main venv's packages, through site.addsitedir so the .pth files there are read too
    # (assay's editable install; a venv that links another)
    site=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "import site; site.addsitedir('$site')" > "$("$CLIENTS/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/_main_venv.pth"
fi
# the main venv's pip installs into the client venv (no pip of its own to bootstrap); the
# dependencies first, then the clients with --no-deps, so pip has no unmet pin to report
pip=("$PYTHON" -m pip --python "$CLIENTS/bin/python" install -q --disable-pip-version-check --no-warn-conflicts)
"${pip[@]}" "tensordict==0.10.0" omegaconf hydra-core codetiming pylatexenc
"${pip[@]}" --no-deps verl==0.9.1 openrlhf==0.11.2
ASSAY_REQUIRE_CLIENTS=1 "$CLIENTS/bin/python" -m pytest -q -p no:cacheprovider -rs --durations=10 tests/envs/test_trainer_clients.py
