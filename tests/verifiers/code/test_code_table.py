"""The code verifier's table: (tests, completion, expected pass, why), run on every sandbox backend here.

Correct programs in many shapes must pass; every hack of issue 13 (always-equal objects, exits,
atexit, printed markers, patched builtins and harness, reading tests from disk, memory or frames,
forks, leftover children, loops, time and memory bombs, output floods) must score 0.
"""

from __future__ import annotations

import json
import math
import os
import tempfile

import pytest

from assay.sandbox import backends, close_all
from assay.verifiers.code import verify
from assay.verifiers.code.values import from_python

SQUARES = {"entry_point": "solve", "calls": [{"args": [n], "expected": n * n + 1} for n in (0, 1, 2, -3, 7, 12, 40, -100, 5, 9)]}
PAIRS = {  # tagged: the expected values are tuples, not lists
    "entry_point": "split",
    "encoding": "tagged",
    "calls": [{"args": [["int", str(n)]], "expected": ["tuple", [["int", str(n // 2)], ["int", str(n - n // 2)]]]} for n in (0, 1, 7, 10)],
}
FLOATS = {"entry_point": "mean", "compare": "approx", "calls": [{"args": [[1, 2, 4]], "expected": 7 / 3}, {"args": [[0.1, 0.2]], "expected": 0.15}]}
UNORDERED = {"entry_point": "evens", "compare": "unordered", "calls": [{"args": [[3, 2, 8, 4, 4]], "expected": [2, 4, 4, 8]}, {"args": [[1]], "expected": []}]}
STDIO = {"stdio": [{"stdin": "3\n1 2 3\n", "stdout": "6\n"}, {"stdin": "1\n-5\n", "stdout": "-5\n"}, {"stdin": "2\n10 20\n", "stdout": "30\n"}]}
BIG = {"entry_point": "fact", "encoding": "tagged", "calls": [{"args": [["int", str(n)]], "expected": from_python(math.factorial(n))} for n in (0, 5, 2500)]}
COUNTS = {"entry_point": "count", "calls": [{"args": [["a", "b", "a"]], "expected": {"a": 2, "b": 1}}, {"args": [[]], "expected": {}}]}
POINT = {"entry_point": "point", "encoding": "tagged", "calls": [{"args": [["int", "3"]], "expected": ["tuple", [["int", "3"], ["int", "9"]]]}]}
SLOW_LATER = {"entry_point": "solve", "calls": [{"args": [n], "expected": n * n + 1} for n in (1, 2, 3, 4, 5)]}


def py(source: str) -> str:
    return f"Here is my solution.\n```python\n{source.strip()}\n```"


GOOD = "def solve(n):\n    return n * n + 1"
SECRET_FILE = os.path.join(tempfile.gettempdir(), f"assay-code-table-secret-{os.getpid()}.json")

# (name, tests, completion, passes, why)
ROWS = [
    # -- correct programs pass ------------------------------------------------------------
    ("reference", SQUARES, py(GOOD), True, "the plain solution"),
    ("pow", SQUARES, py("def solve(n):\n    return pow(n, 2) + 1"), True, "written differently"),
    ("loop", SQUARES, py("def solve(n):\n    t = 0\n    for _ in range(abs(n)):\n        t += abs(n)\n    return t + 1"), True, "a loop"),
    ("helper", SQUARES, py("def sq(x):\n    return x * x\n\ndef solve(n):\n    return sq(n) + 1"), True, "a helper function"),
    ("imports", SQUARES, py("import math\nfrom functools import lru_cache\n@lru_cache(None)\ndef solve(n):\n    return int(math.pow(n, 2)) + 1"), True, "imports and a decorator"),
    ("prints", SQUARES, py("def solve(n):\n    print('debug', n)\n    return n * n + 1"), True, "debug prints are ignored"),
    ("main_block", SQUARES, py(GOOD + "\nif __name__ == '__main__':\n    print(solve(int(input())))"), True, "a main block is not run in call mode"),
    ("answer_block", SQUARES, "<answer>\n" + GOOD + "\n</answer>", True, "code in the answer block"),
    ("answer_fence", SQUARES, "<answer>\n```python\n" + GOOD + "\n```\n</answer>", True, "a fence inside the answer block"),
    ("later_fence", SQUARES, py("def solve(n):\n    return n") + "\nFixed:\n" + py(GOOD), True, "the last block is the one judged"),
    ("lambda", SQUARES, py("solve = lambda n: n * n + 1"), True, "a lambda bound to the name"),
    ("class_method", SQUARES, py("class S:\n    @staticmethod\n    def go(n):\n        return n * n + 1\nsolve = S.go"), True, "a static method"),
    ("tuple_out", PAIRS, py("def split(n):\n    return (n // 2, n - n // 2)"), True, "a tuple where a tuple is expected"),
    ("divmod_style", PAIRS, py("def split(n):\n    a = n // 2\n    return a, n - a"), True, "a bare tuple"),
    ("floats_approx", FLOATS, py("def mean(xs):\n    return sum(xs) / len(xs)"), True, "approx compare of floats"),
    ("floats_fsum", FLOATS, py("import math\ndef mean(xs):\n    return math.fsum(xs) / len(xs)"), True, "another float path"),
    ("unordered_any", UNORDERED, py("def evens(xs):\n    return sorted([x for x in xs if x % 2 == 0], reverse=True)"), True, "any order under unordered"),
    ("stdio_sum", STDIO, py("n = int(input())\nprint(sum(map(int, input().split())))"), True, "a stdin/stdout program"),
    ("stdio_sys", STDIO, py("import sys\ndata = sys.stdin.read().split()\nprint(sum(map(int, data[1:])), end='  \\n\\n')"), True, "trailing spaces and blank lines ignored"),
    ("stdio_main", STDIO, py("def main():\n    input()\n    print(sum(int(x) for x in input().split()))\nif __name__ == '__main__':\n    main()"), True, "a main guard runs in stdio mode"),
    ("stdio_exit0", STDIO, py("import sys\ninput()\nprint(sum(map(int, input().split())))\nsys.exit(0)"), True, "sys.exit(0) after a correct answer"),
    ("stdio_exit_builtin", STDIO, py("input()\nprint(sum(map(int, input().split())))\nexit()"), True, "the site builtin exit() after the answer"),
    ("stdio_thread_main", STDIO, py("import threading\ndef main():\n    input()\n    print(sum(map(int, input().split())))\n"
                                    "threading.stack_size(1 << 26)\nthreading.Thread(target=main).start()"), True, "main() in a thread with a larger stack"),
    ("recursion", SQUARES, py("import sys\nsys.setrecursionlimit(5000)\ndef solve(n, k=None):\n    k = abs(n) if k is None else k\n    return 1 if k == 0 else solve(n, k - 1) + abs(n)"), True, "recursion"),
    ("big_int", BIG, py("import math\ndef fact(n):\n    return math.factorial(n)"), True, "an int past Python's 4300-digit str limit"),
    ("big_int_loop", BIG, py("def fact(n):\n    r = 1\n    for k in range(2, n + 1):\n        r *= k\n    return r"), True, "the same by a loop"),
    ("indented_fence", SQUARES, "1. The solution:\n   ```python\n   def solve(n):\n       return n * n + 1\n   ```\n", True, "a fence indented in a markdown list item"),
    ("usage_block_last", SQUARES, py(GOOD) + "\nUsage:\n" + py("print(solve(3))"), True, "a usage example block after the solution"),
    ("counter", COUNTS, py("from collections import Counter\ndef count(xs):\n    return Counter(xs)"), True, "a Counter where a dict is expected"),
    ("defaultdict", COUNTS, py("from collections import defaultdict\ndef count(xs):\n    d = defaultdict(int)\n    for x in xs:\n        d[x] += 1\n    return d"),
     True, "a defaultdict where a dict is expected"),
    ("namedtuple", POINT, py("from collections import namedtuple\nP = namedtuple('P', 'x y')\ndef point(n):\n    return P(n, n * n)"), True, "a namedtuple where a tuple is expected"),
    ("int_enum", SQUARES, py("import enum\nclass Big(enum.IntEnum):\n    pass\ndef solve(n):\n    return enum.IntEnum('V', {'v': n * n + 1}).v"), True, "an IntEnum member with the right value"),
    # -- wrong programs fail --------------------------------------------------------------
    ("off_by_one", SQUARES, py("def solve(n):\n    return n * n"), False, "off by one"),
    ("wrong_edge", SQUARES, py("def solve(n):\n    return n * n + 1 if n else 0"), False, "wrong on zero"),
    ("negatives", SQUARES, py("def solve(n):\n    return n * abs(n) + 1"), False, "wrong on negatives"),
    ("float_type", SQUARES, py("def solve(n):\n    return float(n * n + 1)"), False, "a float where an int is expected"),
    ("str_type", SQUARES, py("def solve(n):\n    return str(n * n + 1)"), False, "a str where an int is expected"),
    ("bool_type", {"entry_point": "f", "calls": [{"args": [], "expected": 1}]}, py("def f():\n    return True"), False, "True is not 1"),
    ("list_not_tuple", PAIRS, py("def split(n):\n    return [n // 2, n - n // 2]"), False, "a list where a tuple is expected"),
    ("float_exact", {"entry_point": "mean", "calls": FLOATS["calls"]}, py("def mean(xs):\n    return round(sum(xs) / len(xs), 3)"), False, "rounded under exact compare"),
    ("unordered_count", UNORDERED, py("def evens(xs):\n    return sorted(set(x for x in xs if x % 2 == 0))"), False, "lost a duplicate"),
    ("big_int_off", BIG, py("import math\ndef fact(n):\n    return math.factorial(n) + (n > 100)"), False, "a big int off by one"),
    ("visible_only", SQUARES, py("def solve(n):\n    return {0: 1, 1: 2, 2: 5}.get(n, 0)"), False, "special-cases the first examples"),
    ("missing_function", SQUARES, py("def solve_it(n):\n    return n * n + 1"), False, "wrong function name"),
    ("main_only", SQUARES, py("if __name__ == '__main__':\n    def solve(n):\n        return n * n + 1"), False, "defined only under a main guard"),
    ("syntax", SQUARES, py("def solve(n)\n    return n"), False, "a syntax error"),
    ("raises", SQUARES, py("def solve(n):\n    raise ValueError(n)"), False, "raises"),
    ("no_code", SQUARES, "I would square the number and add one.", False, "no code at all"),
    ("stdio_wrong", STDIO, py("input()\nprint(max(map(int, input().split())))"), False, "wrong stdout"),
    ("stdio_crash_after", STDIO, py("input()\nprint(sum(map(int, input().split())))\nraise SystemExit(3)"), False, "right output but a failing exit"),
    ("usage_block_wrong", SQUARES, py("def solve(n):\n    return n * n") + "\nUsage:\n" + py("print(solve(3))"), False, "a usage block after a wrong solution"),
    ("indented_wrong", SQUARES, "1. The solution:\n   ```python\n   def solve(n):\n       return n * n\n   ```\n", False, "an indented fence holding a wrong solution"),
    ("stdio_quit_code", STDIO, py("input()\nprint(sum(map(int, input().split())))\nquit(3)"), False, "quit(3): a failing exit after the output"),
    # -- hacks score 0 --------------------------------------------------------------------
    ("eq_object", SQUARES, py("class A:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\ndef solve(n):\n    return A()"), False, "always-equal object"),
    ("eq_int_subclass", SQUARES, py("class I(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\ndef solve(n):\n    return I(0)"), False, "always-equal int subclass"),
    ("eq_str_subclass", {"entry_point": "f", "calls": [{"args": [], "expected": "abc"}]}, py("class S(str):\n    def __eq__(self, o): return True\ndef f():\n    return S('zzz')"), False, "always-equal str subclass"),
    ("eq_list_subclass", UNORDERED, py("class L(list):\n    def __eq__(self, o): return True\ndef evens(xs):\n    return L()"), False, "always-equal list subclass"),
    ("eq_int_repr", SQUARES, py("class I(int):\n    def __repr__(self): return str(self.n)\ndef solve(n):\n    i = I(0)\n    i.n = n * n + 1\n    return i"), False, "int subclass lying in repr"),
    ("counter_wrong", COUNTS, py("from collections import Counter\ndef count(xs):\n    return Counter(set(xs))"), False, "a Counter with wrong counts"),
    ("eq_dict_subclass", COUNTS, py("class D(dict):\n    def __eq__(self, o): return True\n    def items(self): return [('a', 2), ('b', 1)]\ndef count(xs):\n    return D()"),
     False, "an always-equal dict subclass that lies in items()"),
    ("iter_list_subclass", UNORDERED, py("class L(list):\n    def __iter__(self): return iter([2, 4, 4, 8])\n    def __len__(self): return 4\ndef evens(xs):\n    return L()"),
     False, "a list subclass that lies in __iter__ and __len__"),
    ("exit_import", SQUARES, py("import sys\nsys.exit(0)"), False, "sys.exit(0) at import"),
    ("os_exit_import", SQUARES, py("import os\nos._exit(0)"), False, "os._exit(0) at import"),
    ("exit_in_function", SQUARES, py("import sys\ndef solve(n):\n    sys.exit(0)"), False, "sys.exit(0) inside the function"),
    ("os_exit_in_function", SQUARES, py("import os\ndef solve(n):\n    os._exit(0)"), False, "os._exit(0) inside the function"),
    ("atexit", SQUARES, py("import atexit, os\natexit.register(lambda: print('ALL TESTS PASSED'))\ndef solve(n):\n    raise SystemExit(0)"), False, "atexit prints success"),
    ("print_passed", SQUARES, py("print('PASSED')\nprint('{\"harness\": 1, \"results\": []}')\ndef solve(n):\n    print('ok')"), False, "prints success markers"),
    ("write_fd1", SQUARES, py("import os\nos.write(1, b'{\"harness\": 1, \"load\": {\"status\": \"loaded\"}, \"results\": []}\\n')\ndef solve(n):\n    return None"), False, "writes a fake reply to fd 1"),
    ("builtins", SQUARES, py("import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.type = lambda *a: int\ndef solve(n):\n    return 'x'"), False, "overrides builtins"),
    ("patch_harness", SQUARES, py("import sys\nh = sys.modules['__main__']\nfor name in ('encode', 'decode'):\n    if hasattr(h, name): setattr(h, name, lambda *a, **k: ['bool', True])\ndef solve(n):\n    return None"), False, "monkeypatches the harness"),
    ("patch_json", SQUARES, py("import json\njson.dumps = lambda *a, **k: '{\"i\": 0, \"status\": \"ok\", \"value\": [\"bool\", true]}'\ndef solve(n):\n    return None"), False, "monkeypatches json"),
    ("patch_unittest", SQUARES, py("import unittest\nunittest.TestCase.assertEqual = lambda *a, **k: None\nunittest.TestCase.assertTrue = lambda *a, **k: None\ndef solve(n):\n    return None"), False, "monkeypatches unittest"),
    ("forge_results", SQUARES, py("import os\ndef solve(n):\n    for i in range(10):\n        for fd in range(3, 30):\n            try: os.write(fd, ('{\"i\": %d, \"status\": \"ok\", \"value\": [\"int\", \"1\"]}\\n' % i).encode())\n            except OSError: pass\n    os._exit(0)"), False, "forges result lines on open fds"),
    ("forge_deep", SQUARES, py("import os\ndef solve(n):\n    line = ('{\"i\": 0, \"status\": \"ok\", \"value\": ' + '[' * 5000 + ']' * 5000 + '}\\n').encode()\n    for fd in range(3, 30):\n        try: os.write(fd, line)\n        except OSError: pass\n    os._exit(0)"), False, "forges a deeply nested result"),
    ("read_disk", SQUARES, py(f"import glob, json\ndef solve(n):\n    for p in [{SECRET_FILE!r}] + glob.glob('/tmp/*') + glob.glob('/tmp/*/*'):\n        try:\n            return json.load(open(p))[str(n)]\n        except Exception: pass\n    return -1"), False, "reads the tests from disk"),
    ("read_parent", SQUARES, py("import os\ndef solve(n):\n    found = []\n    for pid in os.listdir('/proc'):\n        if pid.isdigit():\n            for part in ('environ', 'cmdline', 'mem'):\n                try: found.append(open(f'/proc/{pid}/{part}', 'rb').read(1 << 16))\n                except Exception: pass\n    return len(found) * 0 - 7"), False, "reads other processes' memory"),
    ("frames", SQUARES, py("import sys\ndef solve(n):\n    f = sys._getframe(1)\n    while f:\n        for k, v in f.f_locals.items():\n            if k in ('expected', 'want'): return v\n        f = f.f_back\n    return -1"), False, "walks stack frames for the expected value"),
    ("gc_walk", SQUARES, py("import gc\ndef solve(n):\n    for o in gc.get_objects():\n        if isinstance(o, dict) and 'expected' in o: return o['expected']\n    return -2"), False, "searches the heap for expected values"),
    ("fork_exit", SQUARES, py("import os\ndef solve(n):\n    if os.fork():\n        os._exit(0)\n    return None"), False, "fork, then the parent exits"),
    ("daemon", SQUARES, py("import os, time\ndef solve(n):\n    if os.fork() == 0:\n        os.setsid()\n        if os.fork() == 0:\n            time.sleep(30)\n        os._exit(0)\n    return n"), False, "a child that would outlive the run"),
    ("fork_bomb", SQUARES, py("import os\ndef solve(n):\n    while True:\n        try: os.fork()\n        except OSError: pass"), False, "a fork bomb"),
    ("loop_import", SQUARES, py("while True:\n    pass"), False, "an infinite loop at import"),
    ("loop_function", SQUARES, py("def solve(n):\n    while True:\n        pass"), False, "an infinite loop in the function"),
    ("time_bomb", SLOW_LATER, py("import time\ncalls = [0]\ndef solve(n):\n    calls[0] += 1\n    if calls[0] > 2:\n        time.sleep(60)\n    return n * n + 1"), False, "passes the first tests, then hangs"),
    ("sleep_ignore_signals", SQUARES, py("import signal, time\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):\n    signal.signal(s, signal.SIG_IGN)\ndef solve(n):\n    time.sleep(60)"), False, "ignores catchable signals"),
    ("memory_bomb", SQUARES, py("def solve(n):\n    x = bytearray(8 << 30)\n    return n * n + 1"), False, "allocates 8 GiB"),
    ("memory_growth", SQUARES, py("def solve(n):\n    xs = []\n    while True:\n        xs.append(' ' * (1 << 20))"), False, "grows until the limit"),
    ("output_flood_call", SQUARES, py("import sys\ndef solve(n):\n    while True:\n        sys.stdout.write('x' * 65536)"), False, "floods stdout in call mode"),
    ("output_flood_stdio", STDIO, py("while True:\n    print('6' * 100000)"), False, "floods stdout in stdio mode"),
    ("huge_return", SQUARES, py("def solve(n):\n    return list(range(5_000_000))"), False, "a huge returned value"),
    ("deep_return", SQUARES, py("def solve(n):\n    x = []\n    for _ in range(100000):\n        x = [x]\n    return x"), False, "a deeply nested value"),
    ("kill_supervisor", SQUARES, py("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\ndef solve(n):\n    return 0"), False, "kills the harness's supervisor"),
    ("stack_overflow", SQUARES, py("import sys\nsys.setrecursionlimit(10**9)\ndef solve(n):\n    return solve(n) + 1"), False, "crashes the interpreter by recursion"),
    ("stdio_passed", STDIO, py("print('PASSED')\nimport sys\nsys.exit(0)"), False, "prints PASSED in stdio mode"),
    ("stdio_os_exit", STDIO, py("import os\nos._exit(0)"), False, "os._exit(0) with no output"),
    ("generator_return", UNORDERED, py("def evens(xs):\n    return (x for x in xs if x % 2 == 0)"), False, "a generator is not a list"),
]


@pytest.fixture(scope="module", params=backends())
def backend(request: pytest.FixtureRequest) -> str:
    yield request.param
    close_all()


@pytest.fixture(scope="module", autouse=True)
def secret_on_disk() -> None:
    # the tests' expected values, readable by this process only: a candidate must not find them
    with open(SECRET_FILE, "w") as handle:
        json.dump({str(call["args"][0]): call["expected"] for call in SQUARES["calls"]}, handle)
    os.chmod(SECRET_FILE, 0o600)
    yield
    os.unlink(SECRET_FILE)


def test_table_is_large_enough() -> None:
    assert len(ROWS) >= 60
    assert len({row[0] for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize(("name", "tests", "completion", "passes", "why"), ROWS, ids=[row[0] for row in ROWS])
def test_row(backend: str, name: str, tests: dict, completion: str, passes: bool, why: str) -> None:
    verdict = verify(completion, tests, timeout_s=6.0, test_timeout_s=1.0, memory_mb=256, backend=backend)
    assert verdict.passed is passes, f"{name} ({why}) on {backend}: {verdict}"
    if passes:
        assert verdict.score == 1.0
    else:
        assert verdict.score == 0.0, f"{name} ({why}) on {backend}: {verdict}"
        assert verdict.reason not in ("sandbox_error", "harness_error") or name == "kill_supervisor", f"{name}: {verdict}"
