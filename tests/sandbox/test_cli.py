"""`assay sandbox check` and `assay sandbox build-images` through the real CLI entry point."""

from __future__ import annotations

from assay.cli import main
from assay.sandbox import backends


def test_check_lists_every_backend(capsys):
    assert main(["sandbox", "check", "--try"]) == 0
    out = capsys.readouterr().out
    for name in ("bwrap", "docker", "process"):
        assert name in out
    for name in backends():
        assert f"{name:8} works" in out
    assert "print(1)     ok '1'" in out
    assert "cgroups:" in out


def test_build_images_skips_an_existing_image(capsys, docker_backend):
    assert main(["sandbox", "build-images"]) == 0
    assert "exists, skipped" in capsys.readouterr().out


def test_sandbox_without_subcommand_prints_help(capsys):
    assert main(["sandbox"]) == 2
    assert "build-images" in capsys.readouterr().out


def test_gc_reports_what_it_removed(capsys):
    assert main(["sandbox", "gc"]) == 0
    out = capsys.readouterr().out
    for kind in ("containers", "temp dirs", "cgroups"):
        assert f"{kind}: removed " in out
