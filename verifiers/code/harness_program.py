"""The test harness that runs INSIDE the sandbox: a supervisor that never runs candidate code, and
workers it forks that do. Standard library only; sent as program text, never imported by Assay.

Request (stdin, JSON): mode "call" (load the source as a module, call entry_point on each test's
arguments) or "stdio" (run the source as __main__ once per test on that test's stdin). Expected
outputs are never part of the request. Reply (stdout, one JSON line): per test a status and, for
"call", the returned value as tagged JSON of built-in types (a subclass of one as its built-in
content, read by the base type's methods; any other object is "opaque"), for "stdio" the captured stdout. The trusted parent compares; nothing here decides.

The supervisor is not dumpable (no ptrace, no /proc/PID/mem or fd access from a worker); a worker
gets /dev/null for fds 0-2 and only its result pipe besides, so it cannot write the reply.
"""

# ruff: noqa: BLE001, S102, S110, SIM115
# (the candidate may raise anything and must be run: catching all and exec are this file's purpose)

import ctypes
import json
import os
import select
import signal
import sys
import time
import traceback

MAX_DEPTH = 200
MAX_NODES = 500_000


BUILT_IN = (int, float, str, bytes, complex, list, tuple, set, frozenset, dict)
SUBCLASSABLE = (int, float, str, bytes, list, tuple, set, frozenset, dict)


class Opaque(Exception):
    pass


def encode(value, budget):
    """Tagged JSON of a value made of built-in types (subclasses as their base); anything else becomes ["opaque", name]."""
    def walk(item, depth):
        budget[0] -= 1
        if budget[0] < 0:
            raise Opaque("value too large")
        if depth > MAX_DEPTH:
            raise Opaque("value nested too deeply")
        kind = type(item)
        if item is None:
            return ["none"]
        if kind is bool:
            return ["bool", item]
        if kind not in BUILT_IN:
            # a subclass (Counter, defaultdict, OrderedDict, a namedtuple, an IntEnum) is read as its
            # built-in content through the base type's own methods: its __eq__, __repr__ or __iter__
            # never run, so an always-equal object shows what it really holds
            kind = next((base for base in SUBCLASSABLE if issubclass(kind, base)), kind)
        if kind is int:
            return ["int", int.__repr__(item)]
        if kind is float:
            return ["float", float.__repr__(item)]
        if kind is str:
            return ["str", str.__str__(item)]
        if kind is bytes:
            return ["bytes", bytes.hex(item)]
        if kind is complex:
            return ["complex", [float.__repr__(item.real), float.__repr__(item.imag)]]
        if kind is list:
            return ["list", [walk(x, depth + 1) for x in list.__iter__(item)]]
        if kind is tuple:
            return ["tuple", [walk(x, depth + 1) for x in tuple.__iter__(item)]]
        if kind is set:
            return ["set", [walk(x, depth + 1) for x in set.__iter__(item)]]
        if kind is frozenset:
            return ["frozenset", [walk(x, depth + 1) for x in frozenset.__iter__(item)]]
        if kind is dict:
            return ["dict", [[walk(k, depth + 1), walk(v, depth + 1)] for k, v in dict.items(item)]]
        name = getattr(kind, "__name__", "?")
        return ["opaque", name if type(name) is str else "?"]

    return walk(value, 0)


def depth(value):
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if type(item) is list:
            stack.extend((child, level + 1) for child in item)
        elif type(item) is dict:
            stack.extend((child, level + 1) for child in item.values())
    return deepest


def decode(tagged):
    """Python value of a tagged JSON value (trusted data: the test's arguments)."""
    tag = tagged[0]
    if tag == "none":
        return None
    if tag in ("bool", "str"):
        return tagged[1]
    if tag == "int":
        return int(tagged[1])
    if tag == "float":
        return float(tagged[1])
    if tag == "bytes":
        return bytes.fromhex(tagged[1])
    if tag == "complex":
        return complex(float(tagged[1][0]), float(tagged[1][1]))
    if tag in ("list", "seq"):
        return [decode(x) for x in tagged[1]]
    if tag == "tuple":
        return tuple(decode(x) for x in tagged[1])
    if tag == "set":
        return {decode(x) for x in tagged[1]}
    if tag == "frozenset":
        return frozenset(decode(x) for x in tagged[1])
    if tag == "dict":
        return {decode(k): decode(v) for k, v in tagged[1]}
    raise ValueError("unknown tag " + repr(tag))


def describe(failure):
    try:
        name = type(failure).__name__
        text = BaseException.__str__(failure)
        return (str(name) + ": " + str(text))[:300]
    except BaseException:
        return "an exception that could not be described"


def null_fds(keep):
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    keep = sorted(set(keep))
    low = 3
    for fd in keep:
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


def call_worker(request, start, result_w):
    """Forked child: loads the candidate once, then calls it on tests start.. in order."""
    null_fds([result_w])
    os.setpgid(0, 0)
    sys.stdout = open(os.devnull, "w")
    sys.stderr = open(os.devnull, "w")
    sys.stdin = open(os.devnull)

    def send(message):
        data = (json.dumps(message) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(result_w, view):]

    module = type(sys)("solution")
    module.__builtins__ = __builtins__
    add_site_builtins()
    sys.modules["solution"] = module
    try:
        exec(compile(request["source"], "<solution>", "exec"), module.__dict__)
        owner_name, _, method = request["entry"].rpartition(".")
        owner = module.__dict__.get(owner_name) if owner_name else None
        function = getattr(owner, method, None) if owner_name else module.__dict__.get(method)
        if function is None or not callable(function):
            send({"i": -1, "status": "load_error", "error": "no function named " + request["entry"]})
            return
    except BaseException as failure:
        send({"i": -1, "status": "load_error", "error": describe(failure)})
        return
    send({"i": -1, "status": "loaded"})
    for index in range(start, len(request["calls"])):
        call = request["calls"][index]
        try:
            args = [decode(a) for a in call["args"]]
            kwargs = {name: decode(v) for name, v in call["kwargs"]}
        except BaseException as failure:
            send({"i": index, "status": "harness_error", "error": describe(failure)})
            continue
        began = time.perf_counter()
        try:
            if owner_name:  # LeetCode style "Solution.method": a fresh instance per test
                function = getattr(owner(), method)
            value = function(*args, **kwargs)
            wall = time.perf_counter() - began
            message = {"i": index, "status": "ok", "value": encode(value, [MAX_NODES]), "wall": wall}
        except BaseException as failure:
            message = {"i": index, "status": "error", "error": describe(failure), "wall": time.perf_counter() - began}
        send(message)


def exit_status(leaving):
    code = leaving.code
    return 0 if code is None else (code & 0xFF if type(code) is int else 1)


def add_site_builtins():
    """exit() and quit(), which the site module adds and an isolated interpreter lacks."""
    import builtins

    def leave(code=None):
        raise SystemExit(code)

    for name in ("exit", "quit"):
        if not hasattr(builtins, name):
            setattr(builtins, name, leave)


def join_threads(status):
    """Waits for the program's non-daemon threads, as an interpreter does at exit (a main() run in
    a thread with a larger stack writes its answer there); the supervisor's limit bounds the wait."""
    import threading

    try:
        for thread in threading.enumerate():
            if thread is not threading.current_thread() and not thread.daemon:
                thread.join()
    except SystemExit as leaving:
        return status or exit_status(leaving)
    except BaseException:
        return status or 1
    return status


def stdio_worker(request, index, stdout_w):
    """Forked child: runs the program as __main__ on one test's stdin, stdout into a pipe."""
    stdin = os.memfd_create("stdin")
    os.write(stdin, request["stdins"][index].encode("utf-8", "surrogateescape"))
    os.lseek(stdin, 0, os.SEEK_SET)
    null_fds([stdin, stdout_w])
    os.dup2(stdin, 0)
    os.dup2(stdout_w, 1)
    os.close(stdin)
    os.close(stdout_w)
    os.setpgid(0, 0)
    import io

    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
    sys.stderr = open(os.devnull, "w")
    main = type(sys)("__main__")
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    add_site_builtins()
    status = 0
    try:
        exec(compile(request["source"], "<solution>", "exec"), main.__dict__)
    except SystemExit as leaving:
        status = exit_status(leaving)
    except BaseException:
        status = 1
    status = join_threads(status)
    try:
        sys.stdout.flush()
    except BaseException:
        status = status or 120
    os._exit(status)


def kill_group(pid):
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def start(target, *args):
    pid = os.fork()
    if pid == 0:
        try:
            target(*args)
        except BaseException:
            pass
        finally:
            os._exit(0)
    return pid


def run_calls(request, deadline):
    calls = request["calls"]
    results = [None] * len(calls)
    load = None
    index = 0
    while index < len(calls) and time.monotonic() < deadline:
        result_r, result_w = os.pipe()
        pid = start(call_worker, request, index, result_w)
        os.close(result_w)
        pidfd = os.pidfd_open(pid)
        buffer = bytearray()
        expected = -1  # the load message comes first
        limit = min(time.monotonic() + request["test_s"], deadline)
        began = time.monotonic()
        ended = None
        while ended is None:
            remaining = limit - time.monotonic()
            if remaining <= 0:
                ended = "timeout"
                break
            ready, _, _ = select.select([result_r, pidfd], [], [], remaining)
            if result_r in ready:
                chunk = os.read(result_r, 1 << 16)
                if chunk:
                    buffer.extend(chunk)
                    if len(buffer) > request["value_bytes"]:
                        ended = "too_large"
                        break
                    while b"\n" in buffer:
                        line, _, rest = bytes(buffer).partition(b"\n")
                        buffer = bytearray(rest)
                        try:
                            message = json.loads(line)
                            valid = (type(message) is dict and message.get("i") == expected and type(message.get("status")) is str
                                     and depth(message.get("value")) <= MAX_DEPTH + 2)
                        except (ValueError, RecursionError):
                            valid = False
                        if not valid:
                            ended = "protocol"
                            break
                        message.pop("i")
                        if expected == -1:
                            if message["status"] != "loaded":
                                load = message
                                ended = "load_error"
                                break
                            load = {"status": "loaded", "wall": time.monotonic() - began}
                        else:
                            message["wall"] = time.monotonic() - began  # measured here, not trusted from the worker
                            results[expected] = message
                            index = expected + 1
                        expected += 1
                        began = time.monotonic()
                        limit = min(began + request["test_s"], deadline)
                        if expected >= len(calls):
                            ended = "done"
                            break
                    continue
                ready = [pidfd]
            if pidfd in ready and result_r not in ready:
                ended = "exited"  # gone without a result for the current test
                break
        kill_group(pid)
        os.close(pidfd)
        os.close(result_r)
        if ended == "load_error":
            return load, results
        if ended == "done":
            break
        if expected == -1:
            return {"status": ended, "wall": time.monotonic() - began}, results
        results[expected] = {"status": ended, "wall": time.monotonic() - began}
        index = expected + 1
        if request["stop_on_failure"] and ended != "too_large":
            break
    return load, results


def run_stdio(request, deadline):
    stdins = request["stdins"]
    results = [None] * len(stdins)
    for index in range(len(stdins)):
        if time.monotonic() >= deadline:
            break
        out_r, out_w = os.pipe()
        began = time.monotonic()
        pid = start(stdio_worker, request, index, out_w)
        os.close(out_w)
        pidfd = os.pidfd_open(pid)
        limit = min(began + request["test_s"], deadline)
        out = bytearray()
        status = None
        exit_code = None
        open_out = True
        while open_out or exit_code is None:
            remaining = limit - time.monotonic()
            if remaining <= 0:
                status = "timeout"
                break
            wanted = ([out_r] if open_out else []) + ([pidfd] if exit_code is None else [])
            ready, _, _ = select.select(wanted, [], [], remaining if exit_code is None else min(remaining, 0.05))
            if not ready and exit_code is not None:
                break  # exited; whatever still holds the pipe is not waited for
            if out_r in ready:
                chunk = os.read(out_r, 1 << 16)
                if not chunk:
                    open_out = False
                else:
                    out.extend(chunk)
                    if len(out) > request["output_bytes"]:
                        status = "output_limit"
                        break
            if pidfd in ready:
                _, raw = os.waitpid(pid, 0)
                exit_code = os.waitstatus_to_exitcode(raw)
        wall = time.monotonic() - began
        kill_group(pid)
        os.close(pidfd)
        os.close(out_r)
        if status is None:
            status = "ok" if exit_code == 0 else "error"
        result = {"status": status, "exit": exit_code, "wall": wall}
        if status in ("ok", "error"):
            result["stdout"] = out.decode("utf-8", "replace")
        results[index] = result
        if request["stop_on_failure"] and status != "ok":
            break
    return {"status": "loaded", "wall": 0.0}, results


def main(raw=None):
    """Runs one request: ``raw`` (the bootstrap's) or all of stdin."""
    ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0
    if raw is None:
        chunks = []
        while True:
            chunk = os.read(0, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        raw = b"".join(chunks)
    request = json.loads(raw)
    sys.set_int_max_str_digits(0)  # a solution may return (and a test pass) ints of any size
    deadline = time.monotonic() + request["total_s"]
    sys.setrecursionlimit(10000)
    try:
        if request["mode"] == "call":
            load, results = run_calls(request, deadline)
        else:
            load, results = run_stdio(request, deadline)
        reply = {"harness": 1, "load": load, "results": results}
    except BaseException as failure:
        reply = {"harness": 1, "crash": traceback.format_exception_only(type(failure), failure)[-1][:500]}
    data = (json.dumps(reply) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]
    os._exit(0)


if __name__ == "__main__":
    main()
