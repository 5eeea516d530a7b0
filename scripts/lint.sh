#!/usr/bin/env bash
# Lint and type-check the whole tree: ruff over every file, mypy over the one import package and the
# benchmarks. mypy cannot follow setuptools' package-dir mapping from a source tree, so it checks a
# tree of links laid out as the installed package (assay/, assay/generators -> generators/, ...),
# with bench/ beside it (checked as the modules bench.*: bench/math_verify.py would otherwise
# shadow the math_verify package).
set -eu
bin="${1:-.venv/bin}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$bin/ruff" check .
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir "$tree/assay"
for entry in assay/*; do ln -s "$root/$entry" "$tree/assay/"; done
for folder in generators verifiers sandbox envs; do ln -s "$root/$folder" "$tree/assay/$folder"; done
ln -s "$root/bench" "$tree/bench"
(cd "$tree" && "$root/$bin/mypy" --config-file "$root/pyproject.toml" --cache-dir "$root/.mypy_cache" -p assay)
(cd "$tree" && "$root/$bin/mypy" --config-file "$root/pyproject.toml" --cache-dir "$root/.mypy_cache" --explicit-package-bases bench/*.py)
