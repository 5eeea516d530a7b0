"""verify_batch throughput against a plain in-process loop, on a mixed batch over every task.

Every path warmed alike, interleaved rounds on fresh items, median and spread, machine load
(see assay.benchmark). Run: .venv/bin/python bench/verify_batch.py [SIZE] [REPEATS]
"""

import os
import sys

from assay.benchmark import (
    format_measurements,
    machine_load,
    run_verify_batch_benchmark,
)

if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    counts = sorted({1, 2, os.cpu_count() or 1})
    print(f"before: {machine_load()}")
    print(format_measurements(run_verify_batch_benchmark(size, counts, repeats=repeats)))
    print(f"after:  {machine_load()}")
