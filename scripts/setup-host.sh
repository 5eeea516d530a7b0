#!/usr/bin/env bash
# Prepares this machine for the sandbox tests: bubblewrap, a running Docker daemon, the sandbox image.
# Idempotent; needs root and apt for the packages (without them it says what is missing and goes on).
set -u
venv_bin="${VENV_BIN:-.venv/bin}"
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup-host: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup-host: missing ${need[*]} (not root or no apt): sandbox tests will be skipped" >&2
  fi
fi
if command -v dockerd >/dev/null && ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup-host: starting dockerd"
    nohup dockerd >/tmp/assay-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { echo "setup-host: dockerd did not start:"; tail -20 /tmp/assay-dockerd.log; }
  fi
fi
if docker info >/dev/null 2>&1 && [ -x "$venv_bin/assay" ]; then
  "$venv_bin/assay" sandbox build-images || echo "setup-host: building the sandbox image failed" >&2
fi
exit 0
