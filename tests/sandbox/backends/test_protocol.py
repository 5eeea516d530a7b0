"""The backend registry and protocol: every backend implements it, the API only looks backends up."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from assay.errors import ConfigError
from assay.sandbox import backends as usable
from assay.sandbox import run_python
from assay.sandbox.backends import Backend, get, names, ordered, register, unregister


def test_every_registered_backend_implements_the_protocol():
    for name in names():
        backend = get(name)
        assert isinstance(backend, Backend) and backend.name == name
        works, why = backend.availability("assay/base:bookworm")
        assert isinstance(works, bool) and why


def test_unknown_backend_names_the_choices():
    with pytest.raises(ConfigError) as caught:
        get("chroot")
    assert "bwrap" in str(caught.value)


def test_order_per_purpose():
    assert [b.name for b in ordered("code")] == ["bwrap", "docker", "process"]
    assert [b.name for b in ordered("session")] == ["docker", "bwrap", "process"]


def test_a_registered_backend_is_used_by_the_api():
    # a new backend needs no change to api.py: here the process backend under another name
    process = get("process")

    class Renamed:
        name = "renamed"
        rank = MappingProxyType({"code": 99, "session": 99})
        takes_root = False

        def __getattr__(self, attribute):  # type: ignore[no-untyped-def]
            return getattr(process, attribute)

    register("renamed", Renamed())
    try:
        assert "renamed" in usable()
        assert run_python("print(6 * 7)", backend="renamed").stdout == "42\n"
    finally:
        unregister("renamed")
    assert "renamed" not in names()
