#!/usr/bin/env bash
# Runs the whole test suite with the given interpreter; a run that collects no test is a failure.
# Every skip is printed with its reason (-rs and the "skips:" section of tests/_skip_policy.py).
# Under ASSAY_REQUIRE_SANDBOXES=1 (CI) a missing sandbox, cgroup or extra fails its tests, and more
# skips than tests/skip_allowance.txt allows fail the run.
set -u
python="${1:-.venv/bin/python}"
export HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1
# every core (pytest-xdist); the sandbox leak checks are per process, so they hold per worker
workers=$("$python" -c 'import os; print(max(1, min(4, os.cpu_count() or 1)))')
# the trainer-client tests run in their own venv (scripts/test-trainers.sh; CI runs it next)
"$python" -m pytest -q -p no:cacheprovider -rs -n "$workers" --ignore=tests/envs/test_trainer_clients.py "${@:2}"
status=$?
if [ "$status" = 5 ]; then
  echo "run-tests: pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
