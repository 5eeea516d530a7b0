"""The host side of the warm runner: its frames survive being cut into pieces and refuse garbage."""

from __future__ import annotations

import pytest

from assay.errors import SandboxError
from assay.sandbox.runner import FrameParser, encode_frame


def test_frames_round_trip_in_pieces():
    data = encode_frame({"event": "done", "exit_code": 0}, [b"out", b"", b"\x00" * 70000])
    parser = FrameParser(limit=1 << 20)
    frame = None
    for i in range(0, len(data), 1000):
        assert frame is None
        parser.feed(data[i : i + 1000])
        frame = parser.frame()
    assert frame is not None
    header, blobs = frame
    assert header["event"] == "done" and blobs == [b"out", b"", b"\x00" * 70000]


def test_frames_refuse_garbage():
    parser = FrameParser(limit=1 << 20)
    parser.feed(b"\xff\xff\xff\xff" + b"x" * 10)
    with pytest.raises(SandboxError):
        parser.frame()
