"""The worker process of corpus generation: reads chunks of generation jobs from a pipe, writes
the Problems (or the error) back. Started as ``python -m assay.executors.generation_worker READ WRITE``.

A plain subprocess rather than multiprocessing's spawn, which re-runs the caller's main script.
"""

from __future__ import annotations

from multiprocessing.connection import Connection


def main() -> None:
    from assay.executors.generation import run_chunk
    from assay.executors.pipe_worker import serve

    def jobs(payload: tuple, outbox: Connection) -> None:
        number, chunk, packed, stream = payload
        outbox.send((number, run_chunk(chunk, packed, stream)))

    serve({"jobs": jobs})


if __name__ == "__main__":
    main()
