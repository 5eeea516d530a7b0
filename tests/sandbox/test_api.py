"""The sandbox API on every backend: results, files in and out, limits, sessions, backend choice."""

from __future__ import annotations

import time

import pytest
from _required import unavailable

from assay.errors import ConfigError, SandboxError
from assay.sandbox import (
    ExecResult,
    Limits,
    backends,
    enforcement,
    run,
    run_python,
    run_python_many,
    session,
)
from assay.sandbox.api import resolve
from assay.sandbox.base import classify

# (code, stdin, status, exit_code, stdout, why)
PROGRAMS = [
    ("print(6 * 7)", "", "ok", 0, "42\n", "plain output"),
    ("import sys; print(sys.stdin.read().upper(), end='')", "abc\n", "ok", 0, "ABC\n", "stdin reaches the program"),
    ("print(sum(map(int, input().split())))", "1 2 3\n", "ok", 0, "6\n", "input() works"),
    ("raise SystemExit(3)", "", "error", 3, "", "exit status kept"),
    ("import sys; sys.exit('bye')", "", "error", 1, "", "string exit is status 1"),
    ("raise SystemExit", "", "ok", 0, "", "bare SystemExit is success"),
    ("1/0", "", "error", 1, "", "an exception is an error"),
    ("print('é✓')", "", "ok", 0, "é✓\n", "UTF-8 output"),
    ("import sys; print(sys.argv)", "", "ok", 0, "['-c']\n", "argv as with python -c"),
    ("print(__name__)", "", "ok", 0, "__main__\n", "runs as __main__"),
    ("import os; print(os.getuid() != 0)", "", "ok", 0, "True\n", "never root inside"),
    ("x = 1 +", "", "error", 1, "", "a syntax error is an error"),
]


@pytest.mark.parametrize("warm", [True, False], ids=["warm", "fresh"])
@pytest.mark.parametrize("code, stdin, status, exit_code, stdout, why", PROGRAMS, ids=[p[-1] for p in PROGRAMS])
def test_run_python_results(backend, warm, code, stdin, status, exit_code, stdout, why):
    result = run_python(code, stdin=stdin, backend=backend, warm=warm)
    assert (result.status, result.exit_code, result.stdout) == (status, exit_code, stdout), (why, result)
    assert result.backend == backend and result.wall_s >= 0


def test_traceback_shows_only_the_program(backend):
    result = run_python("def f():\n    raise ValueError('bad')\nf()", backend=backend)
    assert result.stderr.startswith("Traceback") and "ValueError: bad" in result.stderr
    assert "_zygote" not in result.stderr and "child" not in result.stderr


@pytest.mark.parametrize("warm", [True, False], ids=["warm", "fresh"])
def test_files_in_and_out(backend, warm):
    files = {"solution.py": "def double(x):\n    return 2 * x\n", "data/input.txt": "21"}
    code = "from solution import double\nopen('out.txt', 'w').write(str(double(int(open('data/input.txt').read()))))"
    result = run_python(code, backend=backend, warm=warm, files=files, collect=["out.txt", "missing.txt"])
    assert result.status == "ok", result
    assert result.files == {"out.txt": b"42"}


@pytest.mark.parametrize("warm", [True, False], ids=["warm", "fresh"])
def test_collect_does_not_follow_links_out(backend, warm):
    result = run_python("import os; os.symlink('/etc/passwd', 'out.txt')", backend=backend, warm=warm, collect=["out.txt"])
    assert result.status == "ok", result
    assert result.files == {}


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a/../../b", ""])
def test_file_names_must_stay_inside(name):
    with pytest.raises(SandboxError):
        run_python("pass", files={name: "x"}, backend="process")


def test_file_size_limit(backend):
    code = "open('big.bin', 'wb').write(b'x' * (3 << 20))"
    result = run_python(code, backend=backend, limits=Limits(file_size_mb=1))
    assert result.status == "error", result


def test_general_run_with_files(backend):
    result = run(["sh", "-c", "wc -l < data.txt; echo made > out.txt"], files={"data.txt": "a\nb\nc\n"}, backend=backend, collect=["out.txt"])
    assert (result.status, result.stdout.strip(), result.files) == ("ok", "3", {"out.txt": b"made\n"}), result


def test_general_run_stdin_and_exit_code(backend):
    result = run(["sh", "-c", "cat; exit 4"], stdin="through", backend=backend)
    assert (result.status, result.exit_code, result.stdout) == ("error", 4, "through"), result


def test_missing_program_is_an_error_not_a_crash(backend):
    result = run(["/no/such/program"], backend=backend)
    assert result.status in ("error", "sandbox_error") and result.exit_code != 0, result


def test_run_python_many_runs_each_input():
    results = run_python_many("print(int(input()) ** 2)", ["2", "3", "x"])
    assert [r.stdout for r in results[:2]] == ["4\n", "9\n"]
    assert results[2].status == "error"


def test_session_keeps_files_and_directory(backend):
    with session(backend, files={"seed.txt": "42"}, limits=Limits(timeout_s=10)) as shell:
        work = shell.work
        assert shell.exec("mkdir -p sub && cd sub && echo hello > greeting.txt").status == "ok"
        assert shell.exec("pwd").stdout == f"{work}/sub\n"
        assert shell.exec("cat greeting.txt ../seed.txt").stdout == "hello\n42"
        assert shell.exec(["cat", "greeting.txt"]).stdout == "hello\n"  # argv lists run in the cwd too
        assert shell.exec("exit 3").exit_code == 3
        assert shell.exec("pwd").stdout == f"{work}/sub\n"  # `exit` does not lose the directory
        assert shell.exec("cat", stdin="piped").stdout == "piped"
        shell.write_file("sub/new.txt", "written")
        assert shell.exec("cat new.txt").stdout == "written"
        assert shell.read_file(f"{work}/sub/greeting.txt") == b"hello\n"


def test_session_runs_commands_past_the_kernels_argument_cap(backend):
    # one argv string is capped at 128 KiB (MAX_ARG_STRLEN): a command passed as an argument of
    # bash failed with exit status 127 past it; a terminal script of 100k non-ASCII characters is
    # more than that
    with session(backend, limits=Limits(timeout_s=20)) as shell:
        for text in ("a" * 200_000, "é" * 100_000, "x" * 1_500_000):
            done = shell.exec(f"x='{text}'\nprintf '%s' \"$x\" | wc -c; echo $# \"${{1-unset}}\"")
            assert (done.status, done.stdout) == ("ok", f"{len(text.encode())}\n0 unset\n"), (len(text), done)
        done = shell.exec("echo 'ran despite \0 a NUL'")
        assert (done.exit_code, done.stdout) == (126, "") and "NUL" in done.stderr
        assert shell.exec("echo ${ASSAY_COMMAND-none} ${ASSAY_COMMAND_FD-none}").stdout == "none none\n"


def test_session_survives_a_timeout(backend):
    with session(backend, limits=Limits(timeout_s=10)) as shell:
        assert shell.exec("sleep 30", timeout_s=1).status == "timeout"
        assert shell.exec("echo still here").stdout == "still here\n"


def test_session_refuses_paths_out_of_the_work_dir(backend):
    with session(backend) as shell:
        shell.exec("ln -s /etc/passwd link.txt; ln -s /etc outdir")
        with pytest.raises(SandboxError):
            shell.read_file("link.txt")
        with pytest.raises(SandboxError):
            shell.read_file("/etc/passwd")
        with pytest.raises(SandboxError):
            shell.write_file("../escape.txt", "x")
        with pytest.raises(SandboxError):
            shell.write_file("outdir/escape.txt", "x")


def test_closed_session_refuses_commands(backend):
    shell = session(backend)
    shell.close()
    shell.close()  # twice is fine
    with pytest.raises(SandboxError):
        shell.exec("true")


def test_session_keeps_background_processes_until_close(backend):
    with session(backend) as shell:
        shell.exec("sleep 300 >/dev/null 2>&1 &")
        # the job is forked before the command returns, but may exec `sleep` a little later (a busy machine)
        listed = ""
        for _ in range(100):
            listed = shell.exec("ps -eo args").stdout
            if "sleep 300" in listed:
                break
            time.sleep(0.05)
        assert "sleep 300" in listed, listed
    # the autouse leak check proves the sleep died with the session


def test_session_survives_hostile_commands(backend):
    from assay.sandbox.cgroups import support

    if backend != "docker" and not (support().pids and support().memory):
        unavailable(f"no pids/memory cgroup here ({support().reason}): a session's fork bomb would be unbounded")
    with session(backend, limits=Limits(timeout_s=5, pids=64, memory_mb=128)) as shell:
        assert shell.exec("kill -9 -1; kill -9 1; echo after").status in ("ok", "error")
        assert shell.exec("sh -c 'b() { b | b & }; b'; exec sleep 3", timeout_s=1).status == "timeout"
        hog = "python3 -c 'x = []\nwhile True: x.append(bytearray(8 << 20))'"
        assert shell.exec(hog).status == "memory"
        assert shell.exec("yes", timeout_s=5).status == "output_limit"
        assert shell.exec("echo still here").stdout == "still here\n"


def test_session_work_dir_is_bounded_by_the_disk_budget(backend):
    """A script cannot fill the host's disk through the work dir: past ``disk_mb`` writes fail inside
    the sandbox (ENOSPC) and the host folder holds no more than the budget."""
    from assay.sandbox.quota import quota_parent

    if quota_parent() is None:
        unavailable("this process may not mount a tmpfs: work dirs are not size-limited here")
    with session(backend, limits=Limits(timeout_s=20, disk_mb=8, file_size_mb=4)) as shell:
        fill = shell.exec("for i in 1 2 3 4 5 6; do head -c 3000000 /dev/zero > f$i || exit 9; done")
        assert (fill.status, fill.exit_code) == ("error", 9) and "No space left" in fill.stderr, fill
        used = sum(path.stat().st_blocks * 512 for path in shell.root.rglob("*") if path.is_file())
        assert 6_000_000 <= used <= 8 << 20, used
        assert shell.exec("rm f1 && echo freed > note.txt && cat note.txt").stdout == "freed\n"


def test_backends_and_resolution():
    assert "process" in backends()
    assert resolve("process") == "process"
    with pytest.raises(ConfigError):
        resolve("chroot")
    for name in backends():
        assert set(enforcement(name)) == {"wall clock", "memory", "processes", "network", "output", "file size", "system calls", "identity"}


@pytest.mark.parametrize(
    "field, value",
    [("timeout_s", 0), ("timeout_s", -1), ("memory_mb", 1), ("pids", 0), ("output_bytes", 0), ("file_size_mb", 0), ("disk_mb", 0), ("open_files", 3)],
)
def test_limits_are_validated(field, value):
    with pytest.raises(ConfigError) as caught:
        Limits(**{field: value})
    assert caught.value.field == field


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        ExecResult("fine", 0, "", "", 0.0)


# (exit_code, stderr, timed_out, over_output, oom, expected, why)
CLASSIFY = [
    (0, b"", False, False, False, "ok", "clean exit"),
    (1, b"Traceback...\nValueError: x\n", False, False, False, "error", "exception"),
    (1, b"Traceback...\nMemoryError\n", False, False, False, "memory", "RLIMIT_AS hit inside Python"),
    (-9, b"", True, False, False, "timeout", "killed at the deadline"),
    (None, b"", True, True, False, "output_limit", "output cap wins: it ended the run"),
    (-9, b"", True, False, True, "memory", "an OOM kill explains a later hang"),
    (0, b"", False, False, True, "memory", "OOM kill of a helper process"),
]


@pytest.mark.parametrize("exit_code, stderr, timed_out, over_output, oom, expected, why", CLASSIFY, ids=[c[-1] for c in CLASSIFY])
def test_classify(exit_code, stderr, timed_out, over_output, oom, expected, why):
    assert classify(exit_code, stderr, timed_out=timed_out, over_output=over_output, oom=oom) == expected, why


def test_run_python_from_many_threads(backend):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: run_python(f"print({n} * 2)", backend=backend), range(12)))
    assert [r.stdout for r in results] == [f"{n * 2}\n" for n in range(12)]


def test_prestart_leaves_warm_runners_ready(backend):
    from assay.sandbox import prestart
    from assay.sandbox.runner import POOL

    prestart(backend, runners=2)
    ready = [r for r in POOL.idle_runners() if r.backend == backend]
    assert len(ready) == 2 or (backend == "process" and not ready)  # process needs root namespaces for runners
    assert run_python("print('warm')", backend=backend).stdout == "warm\n"


def test_a_forked_child_leaves_the_parents_runners_alone(backend):
    import os as os_module

    from assay.sandbox import close_all
    from assay.sandbox.runner import POOL

    assert run_python("print(1)", backend=backend).ok
    before = {id(r) for r in POOL.idle_runners()}
    pid = os_module.fork()
    if pid == 0:  # the child uses the sandbox itself, then cleans up as atexit would
        code = 0 if run_python("print(2)", backend=backend).stdout == "2\n" else 1
        close_all()
        os_module._exit(code)
    _, status = os_module.waitpid(pid, 0)
    assert os_module.waitstatus_to_exitcode(status) == 0
    assert before <= {id(r) for r in POOL.idle_runners()}
    assert run_python("print(3)", backend=backend).stdout == "3\n"
