"""Test-wide settings: offline hubs, the real interpreter for subprocesses, the skip policy."""

import os
import sys

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# helpers (_required, _skip_policy, task modules) import by name under any --import-mode
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

pytest_plugins = ["_skip_policy"]
