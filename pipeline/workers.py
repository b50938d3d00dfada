"""Parsing files in worker processes that a bad file cannot take down with it: each file has a
wall-clock limit (the worker is killed when it passes) and each worker a memory limit (an address-space
limit where the system enforces one, Linux; elsewhere the batch watches the worker's memory and kills it
over the limit), so no file hangs a batch or exhausts the machine. Works on Linux, macOS and Windows:
workers are started with multiprocessing's 'spawn' method (Windows' only one; PLANDRAFT_START_METHOD
may name another) and waited on with multiprocessing.connection.wait, never with select() on pipes.

Workers are kept warm: a command starts one (prestart) before it imports and reads anything itself, so
the worker's interpreter and parsers load while the command does its own start-up, and a batch hands
its healthy idle workers back for the next batch of the same process (the web page, `run` reading the
outline and then the plans). A worker tells the batch how many pages a file has as soon as it knows
(report_pages), and the file's time limit grows with them (Limits.seconds_for)."""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .messages import input_error, text

if TYPE_CHECKING:  # settings is loaded by the callers; the prestart spawns a worker before it
    from .settings import ReadSettings

Result = Any  # what the task returns (a Document for PARSE_PLAN) or its InputError
# What a worker runs on each file, by name ("module:function", called with (path, ReadSettings)), so a
# batch can read plans or an outline in the same limited workers without this module importing them.
PARSE_PLAN = "pipeline.ingest:parse_file"
READ_OUTLINE = "pipeline.outline:read_outline"

START_METHOD_ENV = "PLANDRAFT_START_METHOD"
READER_MEMORY_MB = 1024  # a worker's address space unless the settings say otherwise (Limits.memory_mb)
# Where the kernel enforces RLIMIT_AS on every allocation; elsewhere (Windows, macOS) the batch polls
# the worker's resident memory instead.
ADDRESS_SPACE_LIMIT = sys.platform.startswith("linux")
STARTUP_SECONDS = 60.0  # a new worker's time to start its interpreter, beyond the file's own limit
POLL_SECONDS = 0.1  # how often a worker's memory is looked at when there is no address-space limit
# What a worker imports before it says it is ready, so the first file's clock does not count it.
PRELOAD = ("pipeline.ingest", "pipeline.ingest.pdf", "pdfplumber", "pypdfium2")
FILES_PER_WORKER = 100  # a warm worker is retired after reading this many files (its heap is fresh again)


def start_method() -> str:
    """The multiprocessing start method of the workers: $PLANDRAFT_START_METHOD, else 'spawn' on
    every platform (a fresh interpreter: what Windows must do anyway, and a fork would inherit the
    batch's memory, which the worker's limit counts)."""
    method = os.environ.get(START_METHOD_ENV, "").strip() or "spawn"
    if method not in multiprocessing.get_all_start_methods():
        raise ValueError(f"{START_METHOD_ENV}={method!r}: not one of {', '.join(multiprocessing.get_all_start_methods())}")
    return method


PAGE_START_METHOD_ENV = "PLANDRAFT_PAGE_START_METHOD"


def page_start_method() -> str:
    """The start method of the processes a worker starts to read a large file's pages:
    $PLANDRAFT_PAGE_START_METHOD, else fork on Linux (a copy of the worker, its parsers and the file
    already loaded, ready at once; the worker runs no other thread that a fork could catch holding a
    lock), else spawn (Windows has no fork, and macOS's system libraries are not safe to fork). A
    value this platform has no such method for is passed over (it is a test's setting, and a file
    must not fail for it)."""
    default = "fork" if sys.platform.startswith("linux") else "spawn"
    method = os.environ.get(PAGE_START_METHOD_ENV, "").strip() or default
    return method if method in multiprocessing.get_all_start_methods() else default


# -- the worker side ------------------------------------------------------------------------------

_CONN: Connection | None = None  # in a worker: its pipe to the batch


def report_pages(pages: int) -> None:
    """Tell the batch how many pages the file being read has, so its time limit can grow with them
    (Limits.seconds_for); nothing when the file is read outside a worker."""
    if _CONN is not None:
        with contextlib.suppress(OSError, ValueError):
            _CONN.send(("pages", pages))


def start_limited(address_space_mb: int | None) -> None:
    """The start of every reading process (a worker, and the processes a worker starts to read some of
    a large file's pages): it ends with the process that started it, leaves Ctrl-C to the batch, has
    address_space_mb as its RLIMIT_AS if given, and is silent."""
    _die_with_parent()
    with contextlib.suppress(ValueError, OSError, AttributeError):  # Ctrl-C is the batch's: it ends the workers
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if address_space_mb is not None:
        _limit_address_space(address_space_mb)
    _silence_output()
    import logging

    logging.disable(logging.WARNING)  # pdfminer's complaints about a damaged file; the file's error says it


def _die_with_parent() -> None:
    """End this worker when the batch process dies, so a worker on a pathological file never outlives
    a batch that was killed: the kernel kills it at once on Linux (PR_SET_PDEATHSIG); everywhere, a
    thread waiting on the parent's sentinel ends it."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001 - an unusual libc: the thread below still applies
            pass
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if not parent.is_alive():  # the parent died before the watch began
        os._exit(0)

    def watch() -> None:
        with contextlib.suppress(Exception):
            wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="plandraft-parent-watch", daemon=True).start()


def _limit_address_space(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the batch watches the worker's memory instead
        return
    limit = memory_mb * 1024 * 1024
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError, AttributeError):
        pass


def _silence_output() -> None:
    """Send library output on stdout/stderr to the null device, so a parser's noise never reaches the
    planner's console (the answers travel on the worker's own pipe)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115


def worker_main(conn: Connection, address_space_mb: int | None, preload: Sequence[str] = PRELOAD) -> None:
    """A worker: receives (index, path, ReadSettings, task) requests on conn and answers (index,
    Document | InputError, fatal) until conn closes, with ("pages", n) while a file is read once its
    page count is known; after a MemoryError it answers and exits (fatal), as its heap may be left
    fragmented. address_space_mb, if given, is set as its RLIMIT_AS; preload is imported before the
    worker says it is ready."""
    global _CONN
    start_limited(address_space_mb)
    import importlib

    for module in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    tasks: dict[str, Callable[[Path, ReadSettings], Any]] = {}

    def task_of(name: str) -> Callable[[Path, ReadSettings], Any]:
        if name not in tasks:
            module, _, function = name.partition(":")
            tasks[name] = getattr(importlib.import_module(module), function)
        return tasks[name]

    _CONN = conn
    conn.send(None)  # ready: the batch starts the file's clock now, not while the interpreter starts
    while True:
        try:
            index, path, settings, task = conn.recv()
        except (EOFError, OSError):
            return
        fatal = False
        try:
            result: Result = task_of(task)(Path(path), settings)
        except InputError as exc:
            result = exc
        except MemoryError:
            result, fatal = InputError("MemoryError"), True
        except Exception as exc:  # a parser bug or an unforeseen malformation
            result = input_error("read.failed", kind=type(exc).__name__, reason=exc)
        try:
            conn.send((index, result, fatal))
        except MemoryError:
            return  # the batch sees the worker end without an answer
        if fatal:
            return


# -- the batch side -------------------------------------------------------------------------------


class _Worker:
    """One worker process, its end of the pipe and the file it is reading, if any."""

    def __init__(self, memory_mb: int, context: Any) -> None:
        self.memory_mb = memory_mb
        self.method = context.get_start_method()
        self.world = _world()  # the environment and folder it started in, which it keeps
        self.conn, child = context.Pipe(duplex=True)
        # Not a daemon: a worker may start processes of its own to read a large file's pages in
        # parallel (daemons may not). Batches stop their workers, and the idle ones at exit (stop_idle_workers).
        self.proc = context.Process(
            target=worker_main, args=(child, memory_mb if ADDRESS_SPACE_LIMIT else None),
            name="plandraft-reader", daemon=False,
        )
        self.proc.start()
        child.close()  # the worker holds its end; ours closed, its death reads as EOF
        self.job: int | None = None
        self.seconds = 0.0
        self.deadline = 0.0
        self.started = 0.0  # when the current file was given (or the worker said it was ready)
        self.files = 0  # files given so far
        self.ready = False  # has said it is ready (its start-up does not count against the file)
        self._memory: Any = None  # psutil.Process, when the batch watches the worker's memory

    def give(self, index: int, path: Path, seconds: float, settings: ReadSettings, task: str) -> bool:
        """Send the worker a file; False if it has died."""
        if not self.proc.is_alive():
            return False
        try:
            self.conn.send((index, str(path), settings, task))
        except (OSError, EOFError, ValueError):
            return False
        self.job, self.seconds, self.files = index, seconds, self.files + 1
        self.started = time.monotonic()
        self.deadline = self.started + seconds + (0.0 if self.ready else STARTUP_SECONDS)
        return True

    def answer(self) -> tuple[Any, ...] | str | None:
        """The worker's answer, "ready" when it has started, or None if it died."""
        try:
            message = self.conn.recv()
            return "ready" if message is None else message  # type: ignore[no-any-return]
        except (OSError, EOFError, ValueError, MemoryError):
            return None
        except Exception:  # noqa: BLE001 - an answer that does not unpickle: treat as a crash
            return None

    def fits(self, memory_mb: int, method: str, world: int) -> bool:
        """Whether the worker was started with this memory limit and start method, in this world."""
        return self.memory_mb == memory_mb and self.method == method and self.world == world

    def idle_and_well(self) -> bool:
        """Whether the worker can read another batch's files: alive, reading nothing, not worn out,
        and with nothing unread on its pipe but its ready message."""
        if self.job is not None or not self.proc.is_alive() or self.files >= FILES_PER_WORKER:
            return False
        try:
            while self.conn.poll():
                if self.conn.recv() is not None:
                    return False  # an answer nobody waited for: do not trust the worker
                self.ready = True
        except (OSError, EOFError, ValueError):
            return False
        return True

    def over_memory(self) -> bool:
        """Whether the worker's resident memory passed its limit (checked where no address-space
        limit applies)."""
        if ADDRESS_SPACE_LIMIT:
            return False
        try:
            if self._memory is None:
                import psutil

                self._memory = psutil.Process(self.proc.pid)
            return int(self._memory.memory_info().rss) > self.memory_mb * 1024 * 1024
        except Exception:  # noqa: BLE001 - gone already, or psutil missing: the time limit still applies
            return False

    def death(self) -> InputError:
        """Why the worker ended without answering."""
        self.proc.join(5)
        code = self.proc.exitcode
        if code is None:
            how = "it stopped answering"
        elif code == -getattr(signal, "SIGKILL", 9):
            how = "it was killed, perhaps for lack of memory"
        elif code < 0:
            how = text("read.signal", number=-code)
        else:
            how = text("read.exit_code", number=code)
        return input_error("read.crashed", how=how)

    def stop(self) -> None:
        """End the worker (it holds nothing worth a graceful exit; its page processes end with it) and
        release its pipe."""
        with contextlib.suppress(Exception):
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()
        with contextlib.suppress(ValueError):  # still running after kill: leave it to the OS
            self.proc.close()


def _world() -> int:
    """What a worker inherits at its start and keeps: the environment (language, tool paths, cache
    folder) and the working folder (relative paths). A warm worker reads only for a batch in the same."""
    try:
        folder = os.getcwd()
    except OSError:  # the folder was removed: no worker shares it
        folder = ""
    return hash((tuple(sorted(os.environ.items())), folder))


# Idle warm workers of this process, for the next batch; guarded by _LOCK (the web page's threads).
_IDLE: list[_Worker] = []
_LOCK = threading.Lock()
_AT_EXIT = False


def stop_idle_workers() -> None:
    """Stop the idle workers: at exit (before multiprocessing would wait for them), and for tests."""
    with _LOCK:
        idle, _IDLE[:] = list(_IDLE), []
    for worker in idle:
        worker.stop()


def _new_worker(memory_mb: int, context: Any) -> _Worker:
    global _AT_EXIT
    with _LOCK:
        if not _AT_EXIT:
            import atexit

            atexit.register(stop_idle_workers)  # registered after multiprocessing's own handler, so run before it
            _AT_EXIT = True
    return _Worker(memory_mb, context)


def _take(memory_mb: int, context: Any) -> _Worker:
    """An idle warm worker with this memory limit and start method, started in this environment and
    folder, else a new one; idle workers that do not fit are stopped."""
    world = _world()
    found: _Worker | None = None
    with _LOCK:
        idle, _IDLE[:] = list(_IDLE), []
    keep: list[_Worker] = []
    for worker in idle:
        fits = worker.fits(memory_mb, context.get_start_method(), world) and worker.idle_and_well()
        if fits and found is None:
            found = worker
        elif fits:
            keep.append(worker)
        else:
            worker.stop()  # started in another environment or folder: it will not fit again
    with _LOCK:
        _IDLE[:0] = keep
    return found or _new_worker(memory_mb, context)


def _give_back(worker: _Worker, keep: int) -> None:
    """Keep worker warm for the next batch (up to keep idle ones), else stop it."""
    with _LOCK:
        if len(_IDLE) < keep and worker.idle_and_well():
            _IDLE.append(worker)
            return
    worker.stop()


def idle_workers() -> int:
    """How many warm workers wait for the next batch."""
    with _LOCK:
        return len(_IDLE)


def prestart(count: int = 1, settings: ReadSettings | None = None) -> None:
    """Start count workers now (with the memory limit of settings, by default READER_MEMORY_MB), so
    their interpreters and parsers load while the caller does its own start-up; the next batch of
    this process takes them. Does nothing if they are already there."""
    memory_mb = settings.limits.memory_mb if settings is not None else READER_MEMORY_MB
    context = multiprocessing.get_context(start_method())
    world = _world()
    with _LOCK:
        have = sum(1 for w in _IDLE if w.fits(memory_mb, context.get_start_method(), world))
    for _ in range(count - have):
        worker = _new_worker(memory_mb, context)
        with _LOCK:
            _IDLE.append(worker)


def parse_in_workers(
    files: Sequence[Path],
    workers: int,
    settings: ReadSettings,
    on_result: Callable[[int, Result], None],
    task: str = PARSE_PLAN,
) -> None:
    """Parse files in up to `workers` processes, calling on_result(index in files, result) as each
    file is done (in completion order). A file that passes the time limit (Limits.seconds_for its
    pages, once the worker has said how many) or the memory limit has its worker killed; a worker that
    dies is replaced; each such file gets its InputError. Healthy workers (up to `workers`) stay warm
    for the next batch."""
    limits = settings.limits
    context = multiprocessing.get_context(start_method())
    queue = deque(enumerate(files))
    pool: list[_Worker] = []

    def retire(worker: _Worker) -> None:
        pool.remove(worker)
        worker.stop()

    try:
        while queue or any(w.job is not None for w in pool):
            for worker in list(pool):  # idle workers take the next files
                if worker.job is None and queue:
                    index, path = queue.popleft()
                    if not worker.give(index, path, limits.seconds, settings, task):
                        queue.appendleft((index, path))
                        retire(worker)
            while queue and len(pool) < workers:  # warm or new workers for what is left
                worker = _take(limits.memory_mb, context)
                pool.append(worker)
                index, path = queue.popleft()
                if not worker.give(index, path, limits.seconds, settings, task):  # it died on starting
                    on_result(index, worker.death())
                    retire(worker)
            busy = [w for w in pool if w.job is not None]
            if not busy:
                continue
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            if not ADDRESS_SPACE_LIMIT:
                wait_for = min(wait_for, POLL_SECONDS)
            handles: dict[Any, _Worker] = {}
            for w in busy:
                handles[w.conn] = w
                handles[w.proc.sentinel] = w
            ready = {id(handles[h]): handles[h] for h in wait(list(handles), wait_for)}
            for worker in ready.values():
                given = worker.job
                answer = worker.answer() if worker.conn.poll() else None
                if answer is not None and answer != "ready" and answer[0] == "pages":
                    # The file's page count: its time limit grows with it, counted from the start.
                    worker.seconds = limits.seconds_for(int(answer[1]))
                    worker.deadline = worker.started + worker.seconds
                    continue
                worker.job = None
                if answer is None:
                    error = worker.death()
                    if worker.proc.exitcode == -getattr(signal, "SIGABRT", 6) and ADDRESS_SPACE_LIMIT:
                        # Native code (PDFium) aborts when an allocation fails under the address-space
                        # limit, where Python code would raise MemoryError: the file needed too much.
                        error = limits.memory_error()
                    retire(worker)
                    if given is not None:
                        on_result(given, error)
                    continue
                if answer == "ready":
                    worker.job, worker.ready = given, True
                    worker.started = time.monotonic()
                    worker.deadline = worker.started + worker.seconds
                    continue
                assert not isinstance(answer, str)
                index, result, fatal = answer
                if fatal:
                    result = limits.memory_error()
                    retire(worker)
                on_result(index, result)
            now = time.monotonic()
            for worker in list(pool):
                late = worker.job
                if late is None:
                    continue
                if worker.deadline <= now:
                    retire(worker)
                    on_result(late, limits.timeout_error(worker.seconds))
                elif worker.over_memory():
                    retire(worker)
                    on_result(late, limits.memory_error())
    finally:
        for worker in list(pool):
            if worker.job is None:
                _give_back(worker, workers)
            else:  # interrupted mid-file (Ctrl-C, an error in on_result)
                worker.stop()
