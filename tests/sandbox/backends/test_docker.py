"""The docker backend: one-shot containers behave as the program would alone, and carry their owner."""

from __future__ import annotations

import os

from assay.sandbox import Limits, run
from assay.sandbox.backends.docker import docker_client, label_owner
from assay.sandbox.owners import Owner


def test_one_shot_container_reports_the_program_itself(docker_backend):
    # PID 1 is a watcher shell now: exit codes, stdin, stdout and stderr must still be the program's
    result = run(["sh", "-c", "cat; echo err >&2; exit 5"], stdin="in", backend=docker_backend)
    assert (result.status, result.exit_code, result.stdout, result.stderr) == ("error", 5, "in", "err\n"), result
    result = run(["sh", "-c", "kill -9 $$"], backend=docker_backend, limits=Limits(timeout_s=5))
    assert (result.exit_code, result.stderr) == (137, ""), result
    result = run(["/no/such/program"], backend=docker_backend)
    assert result.exit_code == 127, result


def test_containers_carry_their_owner(docker_backend):
    from assay.sandbox import session

    with session(docker_backend) as shell:
        assert shell.exec("true").ok
        client = docker_client()
        found = client.containers.list(filters={"label": f"assay.sandbox.owner={os.getpid()}"})
        owners = {label_owner(c.labels) for c in found}
    assert owners == {Owner.me()}
    assert Owner.me().alive()
    assert not Owner(os.getpid(), boot="another-boot").alive()  # a reused pid after a reboot protects nothing
    assert not Owner(os.getpid(), started="1").alive()  # nor a pid reused by a later process
