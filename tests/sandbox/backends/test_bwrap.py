"""The bwrap backend: a whole root file system instead of the host's /usr, and the seccomp filter."""

from __future__ import annotations

import os
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest
from _required import unavailable

from assay.errors import ConfigError, SandboxError
from assay.sandbox import run, run_python, session
from assay.sandbox.runner import POOL

MODES = ("warm", "fresh")


@pytest.fixture(scope="module")
def debian_root():
    from assay.sandbox.images import (
        DEFAULT_IMAGE,
        IMAGES,
        extract_rootfs,
        rootfs_tarball,
    )

    if not rootfs_tarball(IMAGES[DEFAULT_IMAGE]).exists():
        unavailable("no cached root file system (run `assay sandbox build-images`)")
    return extract_rootfs()


def test_bwrap_with_a_debian_root(bwrap_backend, debian_root):
    result = run(["sh", "-c", "cat /etc/debian_version && jq -n 1+2 && test ! -e /root/.pyenv && id -u"], root=debian_root)
    assert result.status == "ok" and result.stdout.split()[1:] == ["3", "1000"], result
    with session(root=debian_root, files={"rows.json": '[{"x": 1}, {"x": 2}]'}) as shell:
        assert shell.backend == "bwrap"
        assert shell.exec("jq '[.[].x] | add' rows.json").stdout == "3\n"
        assert shell.exec("sqlite3 :memory: 'select 6*7'").stdout == "42\n"
        assert shell.exec("python3 -c 'import sys; print(sys.prefix)'").stdout == "/usr\n"


def test_root_is_only_for_bwrap(tmp_path):
    with pytest.raises(ConfigError):
        run(["true"], root=tmp_path, backend="process")
    with pytest.raises(SandboxError):
        run(["true"], root=tmp_path)  # not a root file system


@pytest.mark.parametrize("name", ["keyctl", "bpf", "userfaultfd", "perf_event_open", "io_uring_setup", "unshare", "mount", "setns"])
@pytest.mark.parametrize("mode", MODES)
def test_bwrap_refuses_kernel_attack_surface(bwrap_backend, mode, name):
    import platform

    from assay.sandbox.seccomp import SYSCALLS

    numbers = SYSCALLS.get(platform.machine())
    if numbers is None:
        unavailable(f"no seccomp filter for {platform.machine()}")
    code = f"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        result = libc.syscall({numbers[name]}, 0, 0, 0, 0, 0)
        print(result, os.strerror(ctypes.get_errno()))
    """
    result = run_python(textwrap.dedent(code), backend=bwrap_backend, warm=mode == "warm", timeout_s=2.0)
    assert result.stdout == "-1 Operation not permitted\n", result


def host_uids(token: str) -> set[int]:
    """The host uids of the processes whose command line holds ``token``."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and token.encode() in (entry / "cmdline").read_bytes():
                status = (entry / "status").read_text()
                found.add(int(status.split("Uid:")[1].split()[1]))  # the effective uid
        except OSError:
            continue
    return found


def test_started_by_root_bwrap_runs_as_an_unprivileged_host_uid(bwrap_backend):
    if os.geteuid() != 0:
        unavailable("only a root caller could map the sandbox to host root")
    # uid 1000 inside must be an unprivileged uid on the host: a kernel escape then lands as nobody, not root
    token = f"assay-uid-{uuid.uuid4().hex}"
    sleeper = ["python3", "-c", "import time; time.sleep(5)", token]
    started = threading.Thread(target=run, args=(sleeper,), kwargs={"backend": bwrap_backend})
    started.start()
    seen: set[int] = set()
    deadline = time.monotonic() + 4
    while not seen and time.monotonic() < deadline:
        seen = host_uids(token)
        time.sleep(0.05)
    started.join()
    assert seen and 0 not in seen, seen
    assert run_python("print(1)", backend=bwrap_backend).ok
    runners = [r for r in POOL.idle_runners() if r.backend == bwrap_backend]
    assert runners and all(Path(f"/proc/{r.launched.host_pid}/status").read_text().split("Uid:")[1].split()[1] != "0" for r in runners)
    with session(bwrap_backend) as shell:
        assert shell.exec("touch made && id -u").stdout == "1000\n"
        assert shell.root.joinpath("made").stat().st_uid != 0  # type: ignore[attr-defined]


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root caller switches bwrap to nobody")
def test_where_nobody_cannot_run_bwrap_root_keeps_it_and_says_so(bwrap_backend, monkeypatch):
    # a kernel refusing unprivileged user namespaces must not cost root the bwrap backend: it runs
    # as before (the sandbox's uid is root's on the host) and its weaknesses say so
    from assay.sandbox import close_all
    from assay.sandbox.backends import bwrap

    close_all()
    monkeypatch.setattr(bwrap, "_why_not_nobody", lambda: "refused for this test")
    bwrap.host_uid.cache_clear()
    try:
        assert bwrap.host_uid() is None
        assert any("cannot run as nobody here (refused for this test)" in weakness for weakness in bwrap.BACKEND.weaknesses())
        for warm in (True, False):
            result = run_python("print(1)", backend=bwrap_backend, warm=warm)
            assert (result.status, result.stdout) == ("ok", "1\n"), (warm, result)
        with session(bwrap_backend) as shell:
            assert shell.exec("touch made && id -u").stdout == "1000\n"
            assert shell.root.joinpath("made").stat().st_uid == 0  # type: ignore[attr-defined]
    finally:
        close_all()
        monkeypatch.undo()
        bwrap.host_uid.cache_clear()
