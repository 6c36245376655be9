# telebridge-moto: moto's server app, one request at a time, durable, dying with its parent.
#
#   python3 -c <this file> HOST PORT [STATE_DIR]      (MotoServer.java runs it)
#
# - One request at a time: each request is atomic, as DynamoDB's per-item operations are (moto's
#   threaded server checks a condition and writes without a lock). moto is CPU-bound under the GIL:
#   little throughput is lost.
# - Dies with its parent: the parent holds our stdin; EOF (the parent exited, even by SIGKILL) ends
#   this process at once. The line "stop" on stdin is a clean stop: snapshot, then exit.
# - Durable (with STATE_DIR): every request that may change state and did not fail with a client
#   error (4xx) is appended to a log and fdatasync'd BEFORE its response is sent, with the seed
#   moto's random ids were drawn from. At start the latest snapshot (a pickle of moto's backends in
#   use) is loaded and the log after it replayed. A snapshot is taken on a clean stop, and in a
#   forked child when the log grows (the server goes on serving meanwhile).
#   Files: snapshot-<n>.pickle (state before log segment n), log-<n>.bin (segments), server.pid.
# - The DynamoDB Query adaptation (moto_query_patch.py) comes in the environment variable
#   TELEBRIDGE_MOTO_PATCH (its source) and is applied before the first request.

import gc
import io
import os
import pickle
import random
import signal
import struct
import sys
import threading
import time
import types
import zlib

HOST, PORT = sys.argv[1], int(sys.argv[2])
STATE_DIR = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
SNAPSHOT_EVERY_RECORDS = int(os.environ.get("TELEBRIDGE_MOTO_SNAPSHOT_RECORDS", "5000"))
SNAPSHOT_EVERY_BYTES = int(os.environ.get("TELEBRIDGE_MOTO_SNAPSHOT_BYTES", str(16 * 1024 * 1024)))


def say(message):
    sys.stderr.write("telebridge-moto: " + message + "\n")
    sys.stderr.flush()


def watch_parent(on_stop):
    """EOF on stdin: the parent is gone, exit now (the log holds every acknowledged write)."""
    def run():
        for line in sys.stdin:
            if line.strip() == "stop":
                on_stop()
                return
        say("stdin closed (parent gone): exiting")
        os._exit(0)
    threading.Thread(target=run, name="parent-watch", daemon=True).start()


from moto.server import DomainDispatcherApplication, create_backend_app  # noqa: E402
from moto.core.base_backend import BackendDict  # noqa: E402
from moto.moto_api._internal import mock_random  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

patch_source = os.environ.get("TELEBRIDGE_MOTO_PATCH")
if patch_source:
    patch = types.ModuleType("moto_query_patch")
    try:
        exec(compile(patch_source, "moto_query_patch.py", "exec"), patch.__dict__)
        patch.apply()
        say("DynamoDB Query patch applied")
    except Exception as e:  # correct but slow without it
        say("WARNING: DynamoDB Query patch NOT applied, Queries walk whole tables: %r" % (e,))

APP = DomainDispatcherApplication(create_backend_app)

# ------------------------------------------------------------------------------ what changes state

READ_PREFIXES = ("Get", "Describe", "List", "Query", "Scan", "BatchGet", "TransactGet", "Head", "Search", "Lookup")


def action_of(environ, body):
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rsplit(".", 1)[-1]
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded") and body:
        for pair in body.split(b"&"):
            if pair.startswith(b"Action="):
                return pair[7:].decode("ascii", "replace")
    for pair in environ.get("QUERY_STRING", "").split("&"):
        if pair.startswith("Action="):
            return pair[7:]
    return None


def may_change_state(environ, body):
    action = action_of(environ, body)
    if action is not None:
        return not action.startswith(READ_PREFIXES)
    return environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD", "OPTIONS")


# ------------------------------------------------------------------------------ the log

RECORD_HEADER = struct.Struct(">II")  # length, crc32 of the payload


class Store:
    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.segment = None
        self.fd = None
        self.records = 0
        self.bytes = 0
        self.child = None  # (pid, number of the snapshot it writes)
        self.pending_snapshot = False

    def path(self, kind, n):
        return os.path.join(self.dir, "%s-%08d.%s" % (kind, n, "pickle" if kind == "snapshot" else "bin"))

    def numbers(self, kind):
        out = []
        for name in os.listdir(self.dir):
            if name.startswith(kind + "-") and not name.endswith(".tmp"):
                try:
                    out.append(int(name.split("-", 1)[1].split(".", 1)[0]))
                except ValueError:
                    pass
        return sorted(out)

    def sync_dir(self):
        fd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    # -- start

    def recover(self):
        # millions of small objects: without the cyclic GC running over and over, ~3x faster
        gc.disable()
        try:
            self._recover()
        finally:
            gc.enable()
            gc.freeze()  # the restored state is long-lived: later collections skip it

    def _recover(self):
        for name in os.listdir(self.dir):
            if name.endswith(".tmp"):
                os.remove(os.path.join(self.dir, name))  # a snapshot cut short by a crash
        started = time.monotonic()
        snapshots = self.numbers("snapshot")
        base = 0
        while snapshots:
            base = snapshots[-1]
            try:
                with open(self.path("snapshot", base), "rb") as f:
                    restore(pickle.load(f))
                break
            except Exception as e:
                say("snapshot %d unreadable (%r); trying an older one" % (base, e))
                snapshots.pop()
                base = 0
        replayed = 0
        for n in self.numbers("log"):
            if n >= base:
                replayed += self.replay(n)
        last = max([base] + self.numbers("log"))
        self.open_segment(last + 1)
        say("state restored in %.1f s (snapshot %d, %d requests replayed)" % (time.monotonic() - started, base, replayed))
        self.pending_snapshot = replayed > 0  # once serving (the fork closes the listening socket)

    def replay(self, n):
        path = self.path("log", n)
        count = 0
        good = 0
        with open(path, "rb") as f:
            data = f.read()
        while good + RECORD_HEADER.size <= len(data):
            length, crc = RECORD_HEADER.unpack_from(data, good)
            payload = data[good + RECORD_HEADER.size:good + RECORD_HEADER.size + length]
            if len(payload) < length or zlib.crc32(payload) != crc:
                break
            seed, env, body = pickle.loads(payload)
            run_recorded(seed, env, body)
            good += RECORD_HEADER.size + length
            count += 1
        if good < len(data):
            say("log %d: a torn record at its end (a crash while writing it, never acknowledged) dropped" % n)
            with open(path, "r+b") as f:
                f.truncate(good)
                os.fsync(f.fileno())
        return count

    # -- append

    def open_segment(self, n):
        if self.fd is not None:
            os.close(self.fd)
        self.segment = n
        self.fd = os.open(self.path("log", n), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.records = 0
        self.bytes = 0
        self.sync_dir()

    def append(self, record):
        payload = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        data = RECORD_HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        try:
            os.write(self.fd, data)
            os.fdatasync(self.fd)
        except OSError as e:  # state and log would part: stop rather than acknowledge
            say("FATAL: the request log cannot be written (%r); exiting" % (e,))
            os._exit(3)
        self.records += 1
        self.bytes += len(data)
        if self.records >= SNAPSHOT_EVERY_RECORDS or self.bytes >= SNAPSHOT_EVERY_BYTES:
            self.snapshot_in_background()

    # -- snapshots

    def write_snapshot(self, n):
        tmp = self.path("snapshot", n) + ".tmp"
        with open(tmp, "wb") as f:
            pickle.dump(capture(), f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, self.path("snapshot", n))
        self.sync_dir()

    def drop_before(self, n):
        for kind in ("log", "snapshot"):
            for m in self.numbers(kind):
                if m < n:
                    os.remove(self.path(kind, m))

    def snapshot_in_background(self):
        self.reap()
        if self.child is not None:
            return  # one at a time; the log keeps growing meanwhile
        covered = self.segment
        self.open_segment(covered + 1)  # the snapshot is the state before this new segment
        pid = os.fork()
        if pid == 0:
            try:
                os.close(SERVER.socket.fileno())  # the port belongs to the server
                die_with_parent()
                self.write_snapshot(covered + 1)
                os._exit(0)
            except BaseException as e:
                say("background snapshot failed: %r" % (e,))
                os._exit(1)
        self.child = (pid, covered + 1)

    def reap(self, block=False):
        if self.child is None:
            return
        pid, n = self.child
        done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
        if done == 0:
            return
        self.child = None
        if os.waitstatus_to_exitcode(status) == 0:
            self.drop_before(n)

    def stop(self):
        """A clean stop: one snapshot of everything, the logs before it dropped."""
        self.reap(block=True)
        n = self.segment + 1
        if self.records or self.numbers("log") != [self.segment] or not self.numbers("snapshot"):
            self.write_snapshot(n)
            self.drop_before(n)
        os.close(self.fd)


def die_with_parent():
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def backend_dicts():
    """The BackendDicts in use, each with the module attribute that holds it."""
    wanted = {id(b): b for b in BackendDict._instances}
    found = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("moto.") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if id(value) in wanted and isinstance(value, BackendDict) and id(value) not in found:
                found[id(value)] = (name, attr, value)
    return list(found.values())


def capture():
    return {"version": 1, "backends": [(module, attr, dict(value)) for module, attr, value in backend_dicts()]}


def restore(snapshot):
    import importlib
    for module, attr, accounts in snapshot["backends"]:
        live = getattr(importlib.import_module(module), attr)
        live.clear()
        live.update(accounts)
        if live not in BackendDict._instances:
            BackendDict._instances.append(live)


# ------------------------------------------------------------------------------ requests

def run_recorded(seed, env, body):
    environ = dict(env)
    environ.update({"wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
                    "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
                    "CONTENT_LENGTH": str(len(body))})
    mock_random.seed(seed)
    result = APP(environ, lambda status, headers, exc_info=None: (lambda data: None))
    try:
        for _ in result:
            pass
    finally:
        if hasattr(result, "close"):
            result.close()


def read_body(environ):
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        return stream.read(int(length))
    if environ.get("wsgi.input_terminated"):
        return stream.read()
    return b""


STORE = None


def durable_app(environ, start_response):
    if STORE is None:
        return APP(environ, start_response)
    STORE.reap()
    body = read_body(environ)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ["wsgi.input_terminated"] = False
    if not may_change_state(environ, body):
        return APP(environ, start_response)
    recorded = {k: v for k, v in environ.items() if isinstance(v, str)}
    seed = random.getrandbits(63)
    mock_random.seed(seed)
    answer = {}
    chunks = []

    def capture_start(status, headers, exc_info=None):
        answer["start"] = (status, headers, exc_info)
        return chunks.append

    result = APP(environ, capture_start)
    try:
        chunks.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status, headers, exc_info = answer["start"]
    code = int(status.split(" ", 1)[0])
    if not 400 <= code < 500:  # client errors change nothing (a failed condition, a cancelled transaction)
        STORE.append((seed, recorded, body))
    start_response(status, headers, exc_info)
    return chunks


# ------------------------------------------------------------------------------ main

if STATE_DIR:
    STORE = Store(STATE_DIR)
    STORE.recover()

SERVER = make_server(HOST, PORT, durable_app, threaded=False)
if STORE is not None and STORE.pending_snapshot:
    STORE.snapshot_in_background()
stopping = threading.Event()


def on_stop():
    stopping.set()
    SERVER.shutdown()


watch_parent(on_stop)
signal.signal(signal.SIGTERM, lambda *a: os._exit(0))  # the log already holds every acknowledged write
say("serving on %s:%d (pid %d%s)" % (HOST, PORT, os.getpid(), ", state in " + STATE_DIR if STATE_DIR else ", in memory"))
print("telebridge-moto ready", flush=True)
SERVER.serve_forever(poll_interval=0.2)
if STORE is not None and stopping.is_set():
    started = time.monotonic()
    STORE.stop()
    say("snapshot written in %.1f s; stopped" % (time.monotonic() - started))
os._exit(0)
