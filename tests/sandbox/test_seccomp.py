"""The seccomp filter bwrap sandboxes load: one shape per architecture, every denied call numbered."""

from __future__ import annotations


def test_seccomp_program_shape():
    from assay.sandbox.seccomp import DENIED, SYSCALLS, program

    for machine, numbers in SYSCALLS.items():
        assert set(numbers) == set(DENIED), machine
        code = program(machine)
        assert code is not None and len(code) % 8 == 0
    assert program("sparc") is None
