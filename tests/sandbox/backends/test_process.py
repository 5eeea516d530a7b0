"""The process backend: what it still guarantees where namespaces are missing."""

from __future__ import annotations

from assay.sandbox import run_python, session


def test_process_backend_without_namespaces_still_drops_root(monkeypatch):
    # what a host without util-linux `unshare` (or without root) gets: weaker, but never root
    from assay.sandbox.backends import process

    monkeypatch.setattr(process, "namespaces_available", lambda: False)
    result = run_python("import os; print(os.getuid() != 0, os.getcwd().startswith('/tmp/assay-sbx-'))", backend="process")
    assert (result.status, result.stdout) == ("ok", "True True\n"), result
    assert run_python("while True: pass", backend="process", timeout_s=0.5).status == "timeout"
    with session("process") as shell:
        assert shell.exec("mkdir d && cd d && pwd").stdout == f"{shell.work}/d\n"
        assert shell.exec("pwd").stdout == f"{shell.work}/d\n"
        assert shell.exec("id -u").stdout.strip() != "0"
