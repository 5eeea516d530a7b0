"""verify_batch throughput against a plain in-process loop, on a mixed batch over every task.

Run: .venv/bin/python bench/verify_batch.py [SIZE [COMPLETIONS_PER_PROBLEM]]
"""

import os
import sys

from assay.benchmark import format_measurements, run_verify_batch_benchmark

if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
    per_problem = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    counts = sorted({1, 2, os.cpu_count() or 1})
    print(f"cores: {os.cpu_count()}")
    print(format_measurements(run_verify_batch_benchmark(size, counts, per_problem=per_problem)))
