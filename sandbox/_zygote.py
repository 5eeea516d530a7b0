"""The warm runner that lives inside a sandbox as its PID 1: started once, it forks one child per run.

Standard library only; it runs as `python -I -S` from source text. Children cannot signal,
trace or read it (PID 1 of the namespace, not dumpable); after each run every other process in
the namespace is killed and the writable tmpfs is wiped, so runs do not see each other.
"""

import array
import ctypes
import fcntl
import io
import json
import os
import re
import resource
import selectors
import signal
import struct
import sys
import termios
import time
import traceback
import types

CONTROL_IN = CONTROL_OUT = -1  # pipes to the host (set in main); children close them
SCRATCH = "/tmp"
SHARED_SCRATCH = ("/dev/shm", "/dev/mqueue", "/mnt/mqueue", "/var/tmp")  # other places a run could leave something for the next
WORK = "/tmp/run"
COMMAND_FD = 4  # a session command's text, for the shell script to read (see assay.sandbox.session.SHELL_SCRIPT)
PRELOAD = ("collections", "itertools", "functools", "heapq", "bisect", "math", "re", "json", "string", "random", "typing", "dataclasses", "fractions", "decimal", "statistics", "operator", "copy")
_HEADER = struct.Struct(">I")


def read_exact(fd, size):
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(fd):
    header = json.loads(read_exact(fd, _HEADER.unpack(read_exact(fd, 4))[0]))
    blobs = [read_exact(fd, n) for n in header.get("blobs", [])]
    return header, blobs


def send(fd, header, blobs=()):
    header = dict(header, blobs=[len(b) for b in blobs])
    encoded = json.dumps(header).encode()
    data = b"".join([_HEADER.pack(len(encoded)), encoded, *blobs])
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def kill_others():
    """SIGKILLs every process of the namespace but this one and reaps them; a killed process cannot fork."""
    for _ in range(10000):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        reaped = False
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            reaped = True
        if not reaped:
            time.sleep(0.0005)


def mount_points():
    """Every mount point of this namespace (the interpreter's tree may be bound under a scratch folder)."""
    points = set()
    with open("/proc/self/mountinfo") as table:
        for line in table:
            field = line.split()[4]
            points.add(re.sub(r"\\([0-7]{3})", lambda code: chr(int(code.group(1), 8)), field))
    return points


# mount points below the scratch folders (an interpreter bound under /tmp), and the folders above
# them, which the sandbox's setup made and its programs cannot write to: never wiped
KEEP: set = set()


def wipe(path, keep_root=True):
    """Removes everything under path whatever the run did to the permissions, except what KEEP holds."""
    try:
        entries = os.listdir(path)
    except FileNotFoundError:
        return
    except PermissionError:
        os.chmod(path, 0o700)
        entries = os.listdir(path)
    for name in entries:
        full = os.path.join(path, name)
        if full in KEEP:
            continue
        if os.path.isdir(full) and not os.path.islink(full):
            os.chmod(full, 0o700)
            wipe(full, keep_root=False)
        else:
            os.unlink(full)
    if not keep_root:
        os.rmdir(path)


def clear_ipc():
    """Removes every System V IPC object of this IPC namespace: they would outlive a run otherwise."""
    libc = ctypes.CDLL(None, use_errno=True)
    for kind in ("shm", "msg", "sem"):
        try:
            with open("/proc/sysvipc/" + kind) as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            ident = int(row.split()[1])
            if kind == "shm":
                libc.shmctl(ident, 0, None)  # IPC_RMID
            elif kind == "msg":
                libc.msgctl(ident, 0, None)
            else:
                libc.semctl(ident, 0, 0)


class Pending:
    """A child forked ahead of its request, waiting on a pipe; the host places it in a cgroup meanwhile."""

    def __init__(self):
        for folder in (SCRATCH, *SHARED_SCRATCH):
            if os.access(folder, os.W_OK):
                wipe(folder)
        clear_ipc()
        os.mkdir(WORK, 0o700)
        request_r, self.request_w = os.pipe()
        self.stdout_r, stdout_w = os.pipe()
        self.stderr_r, stderr_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                child(request_r, stdout_w, stderr_w)
            finally:
                os._exit(121)
        for fd in (request_r, stdout_w, stderr_w):
            os.close(fd)


def child(request_r, stdout_w, stderr_w):
    """Runs in the forked child: wait for the request, take the limits, then run the program."""
    try:
        request, blobs = receive(request_r)
    except EOFError:
        os._exit(0)  # the runner is shutting down
    code = blobs[0].decode("utf-8", errors="surrogateescape")
    for name, content in zip(request.get("files", []), blobs[2:], strict=False):
        target = os.path.join(WORK, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
    stdin = os.memfd_create("stdin")  # a file, not a pipe: no deadlock, invisible in the file system
    os.write(stdin, blobs[1])
    os.lseek(stdin, 0, os.SEEK_SET)
    os.dup2(stdin, 0)
    os.dup2(stdout_w, 1)
    os.dup2(stderr_w, 2)
    os.closerange(3, 65536)
    os.setsid()
    baseline = 0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                baseline = int(line.split()[1]) * 1024  # what the interpreter already maps
    memory = request["memory_bytes"] + baseline
    limits = [
        (resource.RLIMIT_AS, memory),
        (resource.RLIMIT_FSIZE, request["file_size"]),
        (resource.RLIMIT_NOFILE, request["open_files"]),
        (resource.RLIMIT_CORE, 0),
    ]
    for which, value in limits:
        resource.setrlimit(which, (value, value))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(WORK)
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", line_buffering=False)
    sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", errors="backslashreplace", line_buffering=True)
    sys.argv = ["-c"]
    sys.path.insert(0, WORK)
    main = types.ModuleType("__main__")
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    status = 0
    try:
        exec(compile(code, "<string>", "exec"), main.__dict__)
    except SystemExit as leaving:
        if leaving.code is None:
            status = 0
        elif isinstance(leaving.code, int):
            status = leaving.code & 0xFF
        else:
            print(leaving.code, file=sys.stderr)
            status = 1
    except BaseException as failure:  # the program's own failure: report it as the interpreter would
        try:
            traceback.print_exception(type(failure), failure, failure.__traceback__.tb_next)
        except BaseException:
            pass
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            status = status or 120
    os._exit(status)


def owner_gone():
    """Whether the pipe from the host reached its end (the owner closed it, or died): readable
    with nothing to read."""
    waiting = array.array("i", [0])
    fcntl.ioctl(CONTROL_IN, termios.FIONREAD, waiting)
    return waiting[0] == 0


def supervise(pid, stdout_r, stderr_r, started, timeout, cap, stop):
    """Reads a child's output within the deadline and the byte cap, then calls stop() and drains."""
    deadline = started + timeout
    out, err = bytearray(), bytearray()
    selector = selectors.DefaultSelector()
    pidfd = os.pidfd_open(pid)
    selector.register(pidfd, selectors.EVENT_READ, "exit")
    for fd, buffer in ((stdout_r, out), (stderr_r, err)):
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ, buffer)
    selector.register(CONTROL_IN, selectors.EVENT_READ, "owner")  # the host sends nothing during a run
    timed_out = over = False
    exit_status = None
    open_outputs = 2
    while exit_status is None or open_outputs:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = exit_status is None
            break
        events = selector.select(remaining if exit_status is None else min(remaining, 0.05))
        if exit_status is not None and not events:
            break  # the program is done; whatever still holds its pipes is not waited for
        for key, _ in events:
            if key.data == "owner":
                if owner_gone():
                    os._exit(0)  # PID 1 exits: the kernel kills everything left in the namespace
                selector.unregister(CONTROL_IN)  # a request ahead of time: read after this run
                continue
            if key.data == "exit":
                _, raw = os.waitpid(pid, 0)
                exit_status = os.waitstatus_to_exitcode(raw)
                selector.unregister(pidfd)
            else:
                try:
                    chunk = os.read(key.fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(key.fd)
                    open_outputs -= 1
                    continue
                key.data.extend(chunk)
                if len(out) + len(err) > cap:
                    over = True
                    break
        if over:
            break
    wall = time.monotonic() - started
    stop(exit_status is None or over)
    if exit_status is None:
        try:
            _, raw = os.waitpid(pid, 0)
            exit_status = os.waitstatus_to_exitcode(raw)
        except ChildProcessError:
            pass  # already reaped by kill_others
    for fd in (stdout_r, stderr_r):
        if not over:
            try:
                while True:
                    chunk = os.read(fd, 65536)
                    if not chunk or len(out) + len(err) > cap:
                        break
                    (out if fd == stdout_r else err).extend(chunk)
            except BlockingIOError:
                pass
        os.close(fd)
    if len(out) + len(err) > cap:
        over = True
        del out[cap:]
        del err[max(0, cap - len(out)):]
    selector.close()
    os.close(pidfd)
    return {"exit_code": exit_status, "timed_out": timed_out, "over_output": over, "wall_s": wall}, bytes(out), bytes(err)


def run(pending, request, blobs):
    """Hands the request to the waiting child and supervises it: deadline, output cap, then kill all."""
    started = time.monotonic()
    try:
        send(pending.request_w, request, blobs)
    except OSError:
        pass  # the child is gone: reported below from its exit status
    os.close(pending.request_w)
    report, out, err = supervise(pending.pid, pending.stdout_r, pending.stderr_r, started, request["timeout"], request["output_bytes"], lambda abnormal: kill_others())
    collected = []
    names = []
    budget = request["output_bytes"]
    for name in request.get("collect", []):
        path = os.path.join(WORK, name)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(budget + 1)
        if len(data) > budget:
            break
        budget -= len(data)
        names.append(name)
        collected.append(data)
    send(CONTROL_OUT, dict(report, event="done", collected=names), [out, err, *collected])


def shell(request, blobs):
    """Session mode: one shell command in its own process group; files, cwd and daemons persist."""
    cwd_r, cwd_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    stderr_r, stderr_w = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            stdin = os.memfd_create("stdin")
            os.write(stdin, blobs[1])
            os.lseek(stdin, 0, os.SEEK_SET)
            # the command goes in a file, not in argv: the kernel caps one argument at 128 KiB
            command = os.memfd_create("command")
            view = memoryview(blobs[0])
            while view:
                view = view[os.write(command, view):]
            os.lseek(command, 0, os.SEEK_SET)
            for source, target in ((stdin, 0), (stdout_w, 1), (stderr_w, 2), (cwd_w, 3), (command, COMMAND_FD)):
                os.dup2(source, target)
            os.closerange(COMMAND_FD + 1, 65536)
            if b"\0" in blobs[0]:
                os.write(2, b"bash: the command holds a NUL byte; bash cannot run it\n")
                os._exit(126)
            os.setsid()
            for which, value in ((resource.RLIMIT_FSIZE, request["file_size"]), (resource.RLIMIT_NOFILE, request["open_files"]), (resource.RLIMIT_CORE, 0)):
                resource.setrlimit(which, (value, value))
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
                signal.signal(sig, signal.SIG_DFL)
            env = dict(request["env"], ASSAY_CWD=request["cwd"], ASSAY_CWD_FD="3", ASSAY_COMMAND_FD=str(COMMAND_FD))
            os.chdir(request["work"])
            os.execve("/bin/bash", ["bash", "-c", request["script"], "bash"], env)
        finally:
            os._exit(127)
    for fd in (cwd_w, stdout_w, stderr_w):
        os.close(fd)

    def stop(abnormal):
        if abnormal:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    report, out, err = supervise(pid, stdout_r, stderr_r, started, request["timeout"], request["output_bytes"], stop)
    os.set_blocking(cwd_r, False)
    try:
        cwd = os.read(cwd_r, 8192).decode("utf-8", "replace").strip()
    except BlockingIOError:
        cwd = ""
    os.close(cwd_r)
    while True:  # as PID 1 we adopt orphaned daemons: reap the ones that finished
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    send(CONTROL_OUT, dict(report, event="done", cwd=cwd), [out, err])


def main():
    global CONTROL_IN, CONTROL_OUT
    session_mode = sys.argv[3:4] == ["session"]
    socket_path = sys.argv[4] if session_mode and len(sys.argv) > 4 else ""
    if os.getpid() != 1:  # kill(-1) would reach beyond the sandbox; and PID 1 cannot be killed from inside
        sys.exit("the warm runner must be PID 1 of its own PID namespace")
    CONTROL_IN, CONTROL_OUT = os.dup(int(sys.argv[1])), os.dup(int(sys.argv[2]))
    # PID 1 of the namespace: a default disposition means children cannot signal us at all.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: no ptrace, no /proc/1/mem
    for name in PRELOAD:
        __import__(name)
    for point in mount_points():
        for folder in (SCRATCH, *SHARED_SCRATCH):
            if point.startswith(folder + "/"):
                while point != folder:  # the mount point and every folder between it and the scratch folder
                    KEEP.add(point)
                    point = os.path.dirname(point)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, int(sys.argv[1]), int(sys.argv[2])):
        if fd > 2:
            os.close(fd)
        else:
            os.dup2(null, fd)
    os.close(null)
    if socket_path:  # a unix socket the host listens on: no daemon between the host and this agent
        import socket

        try:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(socket_path)
        except OSError:
            pass  # the host then reads "ready" from the standard streams, as without a socket
        else:
            os.close(CONTROL_IN)
            os.close(CONTROL_OUT)
            CONTROL_IN = CONTROL_OUT = connection.detach()
    if session_mode:
        send(CONTROL_OUT, {"event": "ready", "pid": os.getpid()})
        while True:
            try:
                request, blobs = receive(CONTROL_IN)
            except EOFError:
                return
            if request.get("op") != "exec":
                return
            shell(request, blobs)
    pending = Pending()
    send(CONTROL_OUT, {"event": "ready", "pid": os.getpid(), "child": pending.pid})
    while True:
        try:
            request, blobs = receive(CONTROL_IN)
        except EOFError:
            return
        if request.get("op") != "run":
            return
        run(pending, request, blobs)
        pending = Pending()  # forked while the host reads the result: off the next run's path
        send(CONTROL_OUT, {"event": "child", "child": pending.pid})


if __name__ == "__main__":  # run as `python -I -S -c SOURCE`; importing it does nothing
    main()
