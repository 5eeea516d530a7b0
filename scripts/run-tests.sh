#!/usr/bin/env bash
# Runs the whole test suite with the given interpreter; a run that collects no test is a failure.
set -u
python="${1:-.venv/bin/python}"
export HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1
"$python" -m pytest -q -p no:cacheprovider "${@:2}"
status=$?
if [ "$status" = 5 ]; then
  echo "run-tests: pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
