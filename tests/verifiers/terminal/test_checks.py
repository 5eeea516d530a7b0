"""The completion tests of terminal tasks, judged on snapshots: tables of (test, tree, expected, why)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

import pytest

from assay.verifiers.terminal import extract_script
from assay.verifiers.terminal.checks import (
    Snapshot,
    evaluate,
    tar_bytes,
    validate_tests,
)


def tar_of(entries: list[tuple[str, str, object]]) -> bytes:
    """(name, type, content-or-target) entries: type file, dir, link."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, value in entries:
            info = tarfile.TarInfo(name)
            if kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif kind == "link":
                info.type, info.linkname = tarfile.SYMTYPE, str(value)
                tar.addfile(info)
            else:
                data = value if isinstance(value, bytes) else str(value).encode()
                info.size, info.mode = len(data), 0o755 if kind == "exec" else 0o644
                tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def targz(files: dict[str, bytes]) -> bytes:
    return gzip.compress(tar_bytes(files), mtime=0)


SHA_A = hashlib.sha256(b"a").hexdigest()

ROWS = [
    # (test, entries, expected, why)
    ({"kind": "file", "path": "n.txt", "equals": "3"}, [("n.txt", "file", "3\n")], True, "trailing newline is ignored by text"),
    ({"kind": "file", "path": "n.txt", "equals": "3"}, [("n.txt", "file", "3 \r\n\n")], True, "trailing spaces, CR and blank end lines"),
    ({"kind": "file", "path": "n.txt", "equals": "3"}, [("n.txt", "file", "33\n")], False, "other content"),
    ({"kind": "file", "path": "n.txt", "equals": "a\nb"}, [("n.txt", "file", "b\na\n")], False, "order matters for text"),
    ({"kind": "file", "path": "n.txt", "equals": "a\nb", "compare": "sorted_lines"}, [("n.txt", "file", "b\na\n")], True, "order-free compare"),
    ({"kind": "file", "path": "n.txt", "equals": "a\na\nb", "compare": "sorted_lines"}, [("n.txt", "file", "a\nb\n")], False, "duplicates count"),
    ({"kind": "file", "path": "n.txt", "equals": "3"}, [("n.txt", "link", "m.txt"), ("m.txt", "file", "3")], False, "a link is not the file"),
    ({"kind": "file", "path": "n.txt", "equals": "3"}, [("other.txt", "file", "3")], False, "missing file"),
    ({"kind": "file", "path": "n.txt", "equals": "3"}, [("n.txt", "dir", None)], False, "a folder in its place"),
    ({"kind": "file", "path": "x.json", "equals": '{"a": [1, 2]}', "compare": "json"}, [("x.json", "file", '{"a":[1,2]}')], True, "json values"),
    ({"kind": "file", "path": "x.json", "equals": '{"a": 1}', "compare": "json"}, [("x.json", "file", "{'a': 1}")], False, "not JSON"),
    ({"kind": "file", "path": "t.csv", "equals": 'a,b\n"x, y",1', "compare": "csv"}, [("t.csv", "file", 'a,b\r\n"x, y","1"\r\n')], True, "csv quoting"),
    ({"kind": "file", "path": "t.csv", "equals": "a,b\nx,1", "compare": "csv"}, [("t.csv", "file", "a,b\nx,2\n")], False, "csv cell differs"),
    ({"kind": "file", "path": "n", "equals": "2.50", "compare": "number"}, [("n", "file", "2.5\n")], True, "numbers"),
    ({"kind": "file", "path": "n", "equals": "2.50", "compare": "number"}, [("n", "file", "2.5 eur")], False, "number with a unit"),
    ({"kind": "file", "path": "b", "sha256": SHA_A}, [("b", "file", "a")], True, "bytes by hash"),
    ({"kind": "file", "path": "b", "sha256": SHA_A}, [("b", "file", "a\n")], False, "hash is exact"),
    ({"kind": "file", "path": "d/./n.txt", "equals": "1"}, [("./d/n.txt", "file", "1")], True, "paths normalised"),
    ({"kind": "absent", "path": "old.tmp"}, [("new.txt", "file", "")], True, "absent"),
    ({"kind": "absent", "path": "old.tmp"}, [("old.tmp", "link", "/nowhere")], False, "a dangling link is still there"),
    ({"kind": "dir", "path": "d"}, [("d", "dir", None)], True, "a folder"),
    ({"kind": "dir", "path": "d"}, [("d", "link", "/tmp")], False, "a link to a folder is not a folder"),
    ({"kind": "mode", "path": "s.sh", "executable": True}, [("s.sh", "exec", "#!/bin/sh")], True, "executable"),
    ({"kind": "mode", "path": "s.sh", "executable": True}, [("s.sh", "file", "#!/bin/sh")], False, "not executable"),
    ({"kind": "mode", "path": "s.sh", "mode": 0o644}, [("s.sh", "file", "x")], True, "exact mode"),
    ({"kind": "listing", "path": "d", "names": ["a", "s/b"]}, [("d/a", "file", ""), ("d/s/b", "file", "")], True, "listing"),
    ({"kind": "listing", "path": "d", "names": ["a"]}, [("d/a", "file", ""), ("d/.hidden", "file", "")], False, "hidden files count"),
    ({"kind": "listing", "path": "d", "names": ["a"]}, [("e/a", "file", "")], False, "no such folder"),
    ({"kind": "archive", "path": "b.tgz", "members": {"x": SHA_A}, "compression": "gzip"}, [("b.tgz", "file", targz({"x": b"a"}))], True, "archive members"),
    ({"kind": "archive", "path": "b.tgz", "members": {"x": SHA_A}, "compression": "gzip"}, [("b.tgz", "file", tar_bytes({"x": b"a"}))], False, "not gzipped"),
    ({"kind": "archive", "path": "b.tgz", "members": {"x": SHA_A}}, [("b.tgz", "file", targz({"x": b"a", "y": b""}))], False, "extra member"),
    ({"kind": "archive", "path": "b.tgz", "members": {"x": SHA_A}}, [("b.tgz", "file", targz({"./x": b"a"}))], True, "./ prefix allowed"),
    ({"kind": "archive", "path": "b.tgz", "members": {"x": SHA_A}}, [("b.tgz", "file", b"\x1f\x8bnot gzip")], False, "corrupt archive"),
    ({"kind": "archive", "path": "b.tgz", "members": {"x": SHA_A}}, [("b.tgz", "file", targz({"../x": b"a"}))], False, "member outside"),
]


@pytest.mark.parametrize("test, entries, expected, why", ROWS, ids=[row[3] for row in ROWS])
def test_file_checks(test, entries, expected, why):
    validate_tests([test])
    (result,) = evaluate([test], Snapshot.from_tar(tar_of(entries)), {})
    assert result["passed"] is expected, (why, result)


COMMAND = {"kind": "command", "run": "./s", "stdout": "7", "exit_code": 0, "stderr_contains": "note: 7"}
COMMAND_ROWS = [
    ({"status": "ok", "exit_code": 0, "stdout": "7\n", "stderr": "note: 7\n"}, True, "right output"),
    ({"status": "ok", "exit_code": 0, "stdout": "7", "stderr": "x\nnote: 7 (done)"}, True, "the stderr text among others"),
    ({"status": "ok", "exit_code": 0, "stdout": "7\n", "stderr": "note: 8\n"}, False, "stderr without the text asked for"),
    ({"status": "ok", "exit_code": 0, "stdout": "7\nnote: 7\n"}, False, "the stderr text on stdout"),
    ({"status": "ok", "exit_code": 0, "stdout": "8\n"}, False, "wrong output"),
    ({"status": "error", "exit_code": 1, "stdout": "7\n"}, False, "wrong exit code"),
    ({"status": "timeout", "exit_code": None, "stdout": "7\n"}, False, "timed out"),
    (None, False, "never ran"),
]


@pytest.mark.parametrize("result, expected, why", COMMAND_ROWS, ids=[row[2] for row in COMMAND_ROWS])
def test_command_checks(result, expected, why):
    outputs = {} if result is None else {0: result}
    (outcome,) = evaluate([COMMAND], Snapshot({}), outputs)
    assert outcome["passed"] is expected, why


def test_gzip_bomb_is_capped():
    bomb = gzip.compress(tar_bytes({"big": b"\0" * (40 << 20)}), mtime=0)
    test = {"kind": "archive", "path": "b.tgz", "members": {"big": "x"}}
    (result,) = evaluate([test], Snapshot.from_tar(tar_of([("b.tgz", "file", bomb)])), {})
    assert not result["passed"] and "too much" in result["message"]


@pytest.mark.parametrize("bad", [[], [{"kind": "nope"}], [{"kind": "file"}], [{"kind": "command"}],
                                 [{"kind": "file", "path": "a", "compare": "fuzzy"}], "tests"])
def test_malformed_tests_are_refused(bad):
    with pytest.raises(ValueError):
        validate_tests(bad)


SCRIPTS = [
    ("```bash\nls\n```", "ls", "a bash fence"),
    ("```sh\nls\n```\nthen\n```\nwc -l x\n```", "wc -l x", "the last fence, unlabelled counts"),
    ("```python\nprint(1)\n```", None, "a python fence is not a script"),
    ("```bash\nls\n```\n<answer>pwd</answer>", "pwd", "the answer block ends last"),
    ("<answer>pwd</answer>\n```bash\nls\n```", "ls", "the fence ends last"),
    ("<answer>\n```bash\necho hi\n```\n</answer>", "echo hi", "a fence inside the answer block"),
    ("<answer>\nThe script:\n```sh\necho hi\n```\nIt prints hi.\n</answer>", "echo hi", "a fence with prose inside the answer block"),
    ("```bash\r\nwc -l a.txt > n.txt\r\necho done\r\n```\r\n", "wc -l a.txt > n.txt\necho done", "CRLF line breaks become LF"),
    ("<answer>\r\nls\r\n</answer>", "ls", "CRLF in an answer block"),
    ("```bash\nprintf 'a\r\nb'\necho\n```", "printf 'a\r\nb'\necho", "a script with both kinds of line break keeps its CR"),
    ("just words", None, "no script"),
]


@pytest.mark.parametrize("completion, expected, why", SCRIPTS, ids=[row[2] for row in SCRIPTS])
def test_extract_script(completion, expected, why):
    assert extract_script(completion) == expected, why


def test_backend_choice_follows_the_argument_then_the_environment(monkeypatch):
    from assay.sandbox import backends
    from assay.verifiers.terminal.sandboxed import choose_backend

    monkeypatch.setenv("ASSAY_TERMINAL_BACKEND", "process")
    assert choose_backend() == "process" and choose_backend("bwrap") == "bwrap"
    monkeypatch.delenv("ASSAY_TERMINAL_BACKEND")
    expected = next(name for name in ("docker", "bwrap", "process") if name in backends())
    assert choose_backend(purpose="episode") == expected, "episodes prefer docker (its pool), then bwrap"
