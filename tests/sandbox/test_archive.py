"""Session.archive: the work dir copied out as a tar, links kept as links and never followed."""

from __future__ import annotations

import io
import tarfile

import pytest
from assay.sandbox import session
from assay.sandbox.archive import archive_tree

from assay.errors import SandboxError


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
