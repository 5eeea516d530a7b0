"""Session.archive: the work dir copied out as a tar, links kept as links and never followed."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

from assay.errors import SandboxError
from assay.sandbox import session
from assay.sandbox.archive import archive_tree, unpack_tree


def members(data: bytes) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data), encoding="utf-8", errors="surrogateescape") as tar:
        return {m.name: m for m in tar.getmembers()}


def test_session_archive_keeps_modes_links_and_odd_names(backend):
    with session(backend, files={"a.txt": "hello\n"}) as shell:
        done = shell.exec(
            "mkdir -p 'd i r/sub' empty && printf x > 'd i r/sub/new\nline' && chmod 750 'd i r' && "
            "printf '#!/bin/sh\\n' > run.sh && chmod 755 run.sh && ln -s /etc/passwd escape && "
            "ln -s a.txt inner && touch -d '2020-01-02 03:04:05 UTC' a.txt && printf u > 'é.txt' && mkfifo pipe"
        )
        assert done.ok, done.stderr
        found = members(shell.archive())
    assert found["a.txt"].isfile() and found["a.txt"].size == 6 and found["a.txt"].mtime == 1577934245
    assert found["escape"].issym() and found["escape"].linkname == "/etc/passwd", "a link is stored, not followed"
    assert found["inner"].issym() and found["inner"].linkname == "a.txt"
    assert found["d i r"].isdir() and found["d i r"].mode == 0o750
    assert found["run.sh"].mode == 0o755
    assert found["d i r/sub/new\nline"].isfile() and found["empty"].isdir() and found["é.txt"].size == 1
    assert found["pipe"].isfifo()


def test_archive_never_reads_through_a_link(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("host secret")
    work = tmp_path / "work"
    work.mkdir()
    (work / "leak").symlink_to(secret)
    (work / "dir").symlink_to(tmp_path)
    data = archive_tree(work)
    assert b"host secret" not in data
    assert set(members(data)) == {"leak", "dir"}


@pytest.mark.parametrize("limit, why", [("max_bytes", "content over the cap"), ("max_entries", "too many entries")])
def test_archive_limits(tmp_path, limit, why):
    for index in range(20):
        (tmp_path / f"f{index}").write_text("x" * 100)
    with pytest.raises(SandboxError):
        archive_tree(tmp_path, **{limit: 10})


def test_archive_of_a_closed_session_is_refused(backend):
    shell = session(backend)
    shell.close()
    with pytest.raises(SandboxError):
        shell.archive()


def test_unpack_then_archive_round_trips_in_the_sandbox(backend):
    with session(backend) as shell:
        shell.exec("mkdir -p 'a b' && printf x > 'a b/f' && chmod 700 'a b' && printf '#!/bin/sh\\necho ok\\n' > run && chmod 755 run && ln -s run link")
        data = shell.archive()
    with session(backend) as fresh:
        fresh.unpack(data)
        done = fresh.exec("./run && cat 'a b/f' && stat -c '%a %U' 'a b' run && readlink link && echo more > 'a b/g'")
        assert done.ok, done.stderr
        lines = done.stdout.split("\n")
        assert lines[0] == "ok" and lines[1].startswith("x700 ") and lines[2].startswith("755 ") and lines[3] == "run", lines
        assert set(members(fresh.archive())) == {"a b", "a b/f", "a b/g", "run", "link"}


@pytest.mark.parametrize("name, kind, why", [
    ("../escape", tarfile.REGTYPE, "a parent-relative name"),
    ("up", tarfile.SYMTYPE, "a link that leads outside, then a file through it"),
])
def test_unpack_refuses_members_leading_outside(tmp_path, name, kind, why):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.type = kind
        if kind == tarfile.SYMTYPE:
            info.linkname = str(tmp_path)
            tar.addfile(info)
            info = tarfile.TarInfo("up/owned")
        data = b"pwned"
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(SandboxError):
        unpack_tree(work, buffer.getvalue())
    assert not (tmp_path / "owned").exists() and not (tmp_path / "escape").exists(), why


def test_unpack_keeps_an_absolute_name_inside(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("/assay-abs-test")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    unpack_tree(tmp_path, buffer.getvalue())
    assert (tmp_path / "assay-abs-test").read_bytes() == b"x"
    assert not os.path.exists("/assay-abs-test")


def test_closed_sessions_leave_no_open_descriptors(host_backend):
    # host backends only: docker keeps a bounded number of client connections and pool sockets open by design
    backend = host_backend

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    with session(backend) as shell:  # the first may start pools and clients that stay
        shell.exec("true")
    before = open_fds()
    for _ in range(5):
        with session(backend) as shell:
            shell.exec("true")
    assert open_fds() <= before + 2, "each session leaks descriptors (a long run ends in select() failing)"
