"""Hostile programs on every backend, warm runner and fresh sandbox: each is contained, the host untouched.

The autouse fixture in conftest.py also checks that no process, container, temp dir or cgroup remains.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from _required import unavailable

from assay.sandbox import Limits, run, run_python

MODES = ("warm", "fresh")


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def go(code: str, backend: str, mode: str, **options):  # type: ignore[no-untyped-def]
    options.setdefault("timeout_s", 2.0)
    return run_python(textwrap.dedent(code), backend=backend, warm=mode == "warm", **options)


def still_works(backend: str, mode: str) -> None:
    after = go("print('fine')", backend, mode)
    assert (after.status, after.stdout) == ("ok", "fine\n"), after


def test_infinite_loop_times_out(backend, mode):
    result = go("while True: pass", backend, mode, timeout_s=1.0)
    assert result.status == "timeout", result
    still_works(backend, mode)


def test_sleeping_forever_times_out(backend, mode):
    result = go("import time; time.sleep(10**6)", backend, mode, timeout_s=1.0)
    assert result.status == "timeout", result


def needs_pids_limit(backend: str) -> None:
    from assay.sandbox.cgroups import support

    if backend != "docker" and not support().pids:
        why = f"no pids cgroup here ({support().reason}): {backend} cannot bound a fork bomb, so it is not run"
        unavailable(why)


def test_fork_bomb_is_bounded_and_killed(backend, mode):
    needs_pids_limit(backend)
    code = """
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
    """
    result = go(code, backend, mode, timeout_s=1.5)
    assert result.status == "timeout", result
    still_works(backend, mode)


def test_fork_bomb_hits_the_pids_limit(backend, mode):
    needs_pids_limit(backend)
    code = """
        import os, sys
        made = 0
        try:
            for _ in range(10_000):
                if os.fork() == 0:
                    import time; time.sleep(60)
                made += 1
        except OSError as error:
            print("refused after", made, type(error).__name__)
    """
    result = go(code, backend, mode, timeout_s=10.0, limits=Limits(pids=32))
    assert result.status == "ok", result
    made = int(result.stdout.split()[2])
    assert made < 32, result.stdout  # the sleeping children were all killed at the end (leak check)


def test_memory_bomb_touching_pages(backend, mode):
    code = """
        chunks = []
        while True:
            chunks.append(b"x" * (8 << 20))  # bytes(...) * n writes every page
    """
    result = go(code, backend, mode, memory_mb=128, timeout_s=10.0)
    assert result.status == "memory", result
    still_works(backend, mode)


def test_memory_bomb_across_processes(backend, mode):
    # each child stays under RLIMIT_AS; together they pass the memory cgroup / container limit
    code = """
        import os, time
        pids = []
        for _ in range(6):
            pid = os.fork()
            if pid == 0:
                block = bytearray(100 << 20)
                for i in range(0, len(block), 4096):
                    block[i] = 1
                time.sleep(3)
                os._exit(0)
            pids.append(pid)
        for pid in pids:
            os.waitpid(pid, 0)
    """
    from assay.sandbox.cgroups import support

    if backend != "docker" and not support().memory:
        unavailable("no memory cgroup here: a multi-process bomb is bounded by RLIMIT_AS per process and the timeout only")
    result = go(code, backend, mode, memory_mb=256, timeout_s=20.0)
    assert result.status == "memory", result


def test_writing_outside_the_work_dir(backend, mode, tmp_path):
    token = uuid.uuid4().hex
    targets = [
        str(tmp_path / f"escape-{token}"),
        f"/tmp/assay-escape-{token}",
        f"/var/tmp/assay-escape-{token}",
        f"/dev/shm/assay-escape-{token}",
        f"/run/lock/assay-escape-{token}",
        f"/usr/assay-escape-{token}",
        f"/etc/assay-escape-{token}",
        f"/root/assay-escape-{token}",
        f"/assay-escape-{token}",
    ]
    code = f"""
        import os
        for target in {targets!r}:
            try:
                with open(target, "w") as handle:
                    handle.write("escaped")
            except OSError as error:
                print(target, type(error).__name__)
        open("inside.txt", "w").write("fine")  # the work dir itself is writable
        print("done")
    """
    result = go(code, backend, mode)
    assert result.status == "ok" and "done" in result.stdout, result
    assert [t for t in targets if os.path.exists(t)] == []


@pytest.fixture
def root_secret():
    path = Path("/root") / f"assay-secret-{uuid.uuid4().hex}"
    content = uuid.uuid4().hex
    try:
        path.write_text(content)
        os.chmod(path, 0o600)
    except OSError:
        unavailable("cannot write a secret under /root here")
    yield path, content
    path.unlink()


def test_reading_shadow_and_listing_root(backend, mode, root_secret):
    path, content = root_secret
    code = f"""
        import os
        try:
            open("/etc/shadow").read()
            print("shadow:READ")
        except OSError as error:
            print("shadow:" + type(error).__name__)
        try:
            print("root:", os.listdir("/root"))
        except OSError as error:
            print("root:" + type(error).__name__)
        try:
            print(open({str(path)!r}).read())
        except OSError as error:
            print("secret:" + type(error).__name__)
    """
    result = go(code, backend, mode)
    assert result.status == "ok", result
    assert "shadow:READ" not in result.stdout
    assert path.name not in result.stdout + result.stderr
    assert content not in result.stdout + result.stderr


def test_connecting_to_a_host_listener(backend, mode):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    code = f"""
        import socket
        for host in ("127.0.0.1", "localhost", "::1"):
            try:
                socket.create_connection((host, {port}), timeout=1).sendall(b"pwned")
                print("connected", host)
            except OSError as error:
                print(host, type(error).__name__)
    """
    try:
        result = go(code, backend, mode, timeout_s=5.0)
        accepted, _, _ = select.select([listener], [], [], 0.2)
    finally:
        listener.close()
    assert result.status == "ok", result
    assert accepted == [] and "connected" not in result.stdout, result


def test_killing_the_parent_process(backend, mode):
    code = """
        import os, signal
        for target in (os.getppid(), 1, -1):
            try:
                os.kill(target, signal.SIGKILL)
            except OSError as error:
                print(target, type(error).__name__)
        try:
            open("/proc/1/mem", "rb").read(1)
            print("mem:READ")
        except OSError as error:
            print("mem:" + type(error).__name__)
        print("alive")
    """
    # a host process of the same user, outside the test's process group: kill(-1) or a reach
    # into the host's PID space would take it down
    sentinel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    parent = os.getppid()
    try:
        result = go(code, backend, mode)
        assert result.status in ("ok", "error"), result  # some backends make the program its own PID 1's target
        assert "mem:READ" not in result.stdout
        assert sentinel.poll() is None, f"the sandboxed program killed a host process: {result}"
        assert os.getppid() == parent, "the test process lost its parent"
    finally:
        sentinel.kill()
        sentinel.wait()
    still_works(backend, mode)


def test_a_gigabyte_to_stdout_is_cut_at_the_cap(backend, mode):
    code = """
        import sys
        chunk = "x" * (1 << 20)
        for _ in range(1024):
            sys.stdout.write(chunk)
    """
    cap = 1 << 20
    result = go(code, backend, mode, timeout_s=30.0, limits=Limits(output_bytes=cap))
    assert result.status == "output_limit", result.status
    assert len(result.stdout) + len(result.stderr) <= cap
    still_works(backend, mode)


def test_setsid_daemons_do_not_survive(backend, mode):
    code = """
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.closerange(0, 3)
                time.sleep(3600)
            os._exit(0)
        print("left a daemon behind")
    """
    result = go(code, backend, mode)
    assert result.status == "ok", result
    # the autouse fixture finds any survivor (warm runners must hold no child between runs)


def test_runs_do_not_see_each_other(backend):
    # a program must not pass anything to the next run (hidden tests run one after another)
    token = uuid.uuid4().hex
    places = [f"/tmp/{token}", token, f"/dev/shm/{token}", f"/var/tmp/{token}"]
    leave = f"""
        import ctypes
        for place in {places!r}:
            try:
                open(place, "w").write("x")
            except OSError:
                pass
        libc = ctypes.CDLL(None)
        print(libc.shmget(0x5A5A, 4096, 0o1600) >= 0, libc.msgget(0x5A5A, 0o1600) >= 0, libc.semget(0x5A5A, 1, 0o1600) >= 0,
              libc.mq_open(b"/{token}", 0o102, 0o600, None) >= 0)
    """
    look = f"""
        import ctypes, os
        libc = ctypes.CDLL(None)
        print([p for p in {places!r} if os.path.exists(p)], libc.shmget(0x5A5A, 0, 0), libc.msgget(0x5A5A, 0), libc.semget(0x5A5A, 0, 0),
              libc.mq_open(b"/{token}", 2))
    """
    first = go(leave, backend, "warm")
    assert first.status == "ok" and "True" in first.stdout, first
    second = go(look, backend, "warm")
    assert second.stdout == "[] -1 -1 -1 -1\n", second


def test_shell_fork_bomb_through_run(backend):
    needs_pids_limit(backend)
    # the bomb runs in a child shell; the main one then waits without forking (exec) past the deadline
    script = "sh -c 'b() { b | b & }; b'; exec sleep 5"
    result = run(["/bin/sh", "-c", script], backend=backend, limits=Limits(timeout_s=1.5, pids=64))
    assert result.status == "timeout", result


def test_without_cgroups_limits_are_reported_not_pretended(host_backend, mode, monkeypatch):
    from assay.sandbox import cgroups, close_all

    backend = host_backend
    close_all()  # runners made with cgroups must not be reused
    monkeypatch.setattr(cgroups, "_probed", cgroups.CgroupSupport(0, reason="disabled for this test"))
    # a bounded spawner, not a bomb: without a pids cgroup nothing would stop a real one before the deadline
    code = "import os, time\nfor _ in range(20):\n    if os.fork() == 0:\n        os.setsid(); time.sleep(60)\ntime.sleep(60)"
    result = go(code, backend, mode, timeout_s=1.0)
    assert result.status == "timeout", result  # the PID namespace still kills the whole tree (leak check)
    assert "NOT enforced" in result.message
    close_all()
