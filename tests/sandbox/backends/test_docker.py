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
        # the low-level listing carries the labels and inspects nothing: a container removed
        # between the listing and an inspect (another session's clean-up) cannot fail the test
        found = client.api.containers(filters={"label": f"assay.sandbox.owner={os.getpid()}"})
        owners = {label_owner(c["Labels"]) for c in found}
    assert owners == {Owner.me()}
    assert Owner.me().alive()
    assert not Owner(os.getpid(), boot="another-boot").alive()  # a reused pid after a reboot protects nothing
    assert not Owner(os.getpid(), started="1").alive()  # nor a pid reused by a later process


def test_a_session_agent_talks_over_its_control_socket_which_nothing_else_can_take(docker_backend):
    from assay.sandbox import session
    from assay.sandbox.runner import PipeTransport

    with session(docker_backend) as shell:
        assert isinstance(shell.transport, PipeTransport), "the agent fell back to the daemon's attach stream"
        probe = ("import socket; s = socket.socket(socket.AF_UNIX); "
                 "s.connect('/run/assay-control/agent.sock'); print('connected')")
        result = shell.exec(["ls", "-A", "/run/assay-control"])
        assert (result.status, result.stdout) == ("ok", ""), result  # the socket file went once taken
        result = shell.exec(["python3", "-c", probe])
        assert result.status == "error" and "connected" not in result.stdout, result
        assert shell.exec("echo still here").stdout == "still here\n"
