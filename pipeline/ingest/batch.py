"""Parsing files in worker processes that a bad file cannot take down with it: each file has a
wall-clock limit (the worker is killed when it passes) and each worker an address-space limit (a parse
that needs more fails with MemoryError), so no file hangs a batch or exhausts the machine."""
from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..model import Document
from ..settings import ReadSettings

Result = Document | InputError


# -- the worker side ------------------------------------------------------------------------------

_HEADER = struct.Struct("!Q")
_WORKER_CODE = "from pipeline.ingest.batch import worker_main; worker_main()"


def _send(out: IO[bytes], obj: object) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(payload)) + payload)
    out.flush()


def _recv(src: IO[bytes]) -> Any:
    head = src.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    return pickle.loads(src.read(size))


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the batch process dies (Linux), so a worker on a
    pathological file never outlives a batch that was killed."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the time limit still applies
        return
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def worker_main() -> None:
    """A worker: reads (index, path, ReadSettings) requests on stdin, answers (index, Document | InputError, fatal)
    on stdout until stdin closes; after a MemoryError it answers and exits (fatal), as its heap may be
    left fragmented. Library output on stdout/stderr is discarded, so it cannot corrupt the answers."""
    parent, memory_mb = int(sys.argv[1]), int(sys.argv[2])
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle: it ends the workers
    _limit_memory(memory_mb)
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    import logging

    logging.disable(logging.WARNING)  # pdfminer's complaints about a damaged file; the file's error says it

    from . import parse_file

    while True:
        request = _recv(requests)
        if request is None:
            return
        index, path, settings = request
        fatal = False
        try:
            result: Result = parse_file(Path(path), settings)
        except InputError as exc:
            result = exc
        except MemoryError:
            result, fatal = InputError("MemoryError"), True
        except Exception as exc:  # a parser bug or an unforeseen malformation
            result = InputError(f"could not parse ({type(exc).__name__}: {exc})",
                                "check the file opens in Word/Acrobat; report it")
        _send(answers, (index, result, fatal))
        if fatal:
            return


# -- the batch side -------------------------------------------------------------------------------


def _package_root() -> str:
    return str(Path(__file__).resolve().parent.parent.parent)


class _Worker:
    """One worker process and the file it is reading, if any."""

    def __init__(self, settings: ReadSettings) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_package_root(), env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE, str(os.getpid()), str(settings.limits.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.requests: IO[bytes] = self.proc.stdin
        self.answers: IO[bytes] = self.proc.stdout
        self.settings = settings
        self.job: int | None = None
        self.deadline = 0.0

    def give(self, index: int, path: Path, seconds: float) -> bool:
        """Send the worker a file; False if it has died."""
        if self.proc.poll() is not None:
            return False
        try:
            _send(self.requests, (index, str(path), self.settings))
        except OSError:
            return False
        self.job, self.deadline = index, time.monotonic() + seconds
        return True

    def answer(self) -> tuple[int, Result, bool] | None:
        """The worker's answer, or None if it died."""
        try:
            return _recv(self.answers)  # type: ignore[no-any-return]
        except (OSError, EOFError, pickle.UnpicklingError):
            return None

    def death(self) -> InputError:
        """Why the worker ended without answering."""
        code = self.proc.wait()
        if code == -signal.SIGKILL:
            how = "it was killed, perhaps for lack of memory"
        elif code < 0:
            how = f"signal {-code}"
        else:
            how = f"exit code {code}"
        return InputError(f"the reader crashed ({how})", "check the file opens in Word/Acrobat; report it")

    def stop(self) -> None:
        """End the worker (it holds nothing worth a graceful exit) and release its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                stream.close()


def parse_in_workers(
    files: Sequence[Path],
    workers: int,
    settings: ReadSettings,
    on_result: Callable[[int, Result], None],
) -> None:
    """Parse files in up to `workers` processes, calling on_result(index in files, result) as each
    file is done (in completion order). A file that passes the time limit has its worker killed; a
    worker that dies is replaced; each such file gets its InputError."""
    limits = settings.limits
    queue = deque(enumerate(files))
    pool: list[_Worker] = []
    selector = selectors.DefaultSelector()

    def retire(worker: _Worker) -> None:
        selector.unregister(worker.answers)
        pool.remove(worker)
        worker.stop()

    try:
        while queue or any(w.job is not None for w in pool):
            for worker in list(pool):  # idle workers take the next files
                if worker.job is None and queue:
                    index, path = queue.popleft()
                    if not worker.give(index, path, limits.seconds):
                        queue.appendleft((index, path))
                        retire(worker)
            while queue and len(pool) < workers:  # start workers for what is left
                worker = _Worker(settings)
                pool.append(worker)
                selector.register(worker.answers, selectors.EVENT_READ, worker)
                index, path = queue.popleft()
                if not worker.give(index, path, limits.seconds):  # it died on starting
                    on_result(index, worker.death())
                    retire(worker)
            busy = [w for w in pool if w.job is not None]
            wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            for key, _ in selector.select(wait):
                worker = key.data
                index = worker.job
                answer = worker.answer()
                worker.job = None
                if answer is None:
                    error = worker.death()
                    retire(worker)
                    if index is not None:
                        on_result(index, error)
                    continue
                index, result, fatal = answer
                if fatal:
                    result = limits.memory_error()
                    retire(worker)
                on_result(index, result)
            now = time.monotonic()
            late = [(w, w.job) for w in pool if w.job is not None and w.deadline <= now]
            for worker, job in late:
                retire(worker)
                on_result(job, limits.timeout_error())
    finally:
        for worker in list(pool):
            worker.stop()
        selector.close()
